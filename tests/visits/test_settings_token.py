"""The settings token: replaced by every change of a cached setting, whichever app owns the model."""

from __future__ import annotations

from core.settings_models import FacilitySetting, setting_models
from counseling.models import ReferralService
from duty.models import StaffingMinimum
from staff.roles import Role
from visits.models import Facility, Room


def token() -> str:
    return Facility.objects.get(pk=1).settings_version


def test_it_replaces_the_token_when_a_room_is_renamed(facility):
    before = token()
    room = Room.objects.order_by("pk").first()
    room.name = "Nytt navn"
    room.save()

    assert token() != before


def test_it_replaces_the_token_when_another_apps_cached_setting_changes(facility):
    before = token()
    minimum = StaffingMinimum.objects.create(role=Role.HEALTH, count=2)
    created = token()
    minimum.delete()

    assert before != created != token()


def test_it_leaves_the_token_when_a_setting_no_process_keeps_changes(facility):
    before = token()
    ReferralService.objects.create(name="Fastlege", name_en="GP")

    assert token() == before


def test_it_knows_the_cached_settings_of_every_app():
    cached = {model._meta.label for model in setting_models(FacilitySetting.CACHED)}

    assert {"visits.Room", "visits.OpeningHours", "duty.StaffingMinimum"} <= cached
    assert "visits.Facility" not in cached  # its own save replaces the token

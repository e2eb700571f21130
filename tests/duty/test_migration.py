"""The duty records leave staff without losing a row, a past version or a group's permission."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from duty.models import Handover, Shift
from staff.roles import GROUP_NAMES, Role
from tests.support.migrations import migrate, migrated_back
from visits.models import Ban, Incident

# Where the database stood before the move: the migrations before the ones that move the models.
BEFORE = [
    ("staff", "0007_display"),
    ("visits", "0010_check_interval"),
    ("audit", "0008_access_kind_counseling_sessions"),
]
AFTER = [
    ("staff", "0008_duty_records_moved_out"),
    ("visits", "0011_incident_from_staff"),
    ("audit", "0009_historicalban_incident_in_visits"),
    ("duty", "0001_initial"),
]


@pytest.fixture
def before_the_move(transactional_db):
    """The old apps' models, on a database migrated back to before the move; forward again afterwards."""
    with migrated_back(BEFORE) as old:
        yield old


def test_it_keeps_the_rows_their_links_and_the_groups_permissions(before_the_move):
    old = before_the_move
    now = timezone.now()
    User = old.get_model("staff", "User")
    Group = old.get_model("auth", "Group")
    Permission = old.get_model("auth", "Permission")
    OldContentType = old.get_model("contenttypes", "ContentType")
    duty = User.objects.create(username="duty-officer")
    client = old.get_model("visits", "Client").objects.create(
        code="KARI1985K", gender="f", birth_year=1985, registered_at=now, registered_by=duty
    )
    shift = old.get_model("staff", "Shift").objects.create(
        starts_at=now, ends_at=now + dt.timedelta(hours=8), created_at=now, created_by=duty
    )
    old.get_model("staff", "ShiftAssignment").objects.create(shift=shift, user=duty, role="duty", is_duty_officer=True)
    incident = old.get_model("staff", "Incident").objects.create(
        kind="threats",
        occurred_at=now,
        area="entrance",
        description="d",
        action_taken="a",
        recorded_at=now,
        recorded_by=duty,
    )
    incident.clients.add(client)
    old.get_model("staff", "HistoricalIncident").objects.create(
        id=incident.pk,
        kind="threats",
        occurred_at=now,
        area="entrance",
        description="before",
        action_taken="a",
        recorded_at=now,
        history_date=now,
        history_type="+",
        history_change_reason="",
    )
    handover = old.get_model("staff", "Handover").objects.create(shift=shift, written_at=now, written_by=duty)
    handover.incidents.add(incident)
    handover.clients_of_concern.add(client)
    old.get_model("visits", "Ban").objects.create(
        client=client, reason="r", starts_at=now, created_at=now, created_by=duty, incident=incident
    )
    # An installation's duty officers hold the roster's and the incidents' permissions under staff.
    group, _ = Group.objects.get_or_create(name=GROUP_NAMES[Role.DUTY])
    for model, codename in [("shift", "view_roster"), ("incident", "add_incident")]:
        content_type, _ = OldContentType.objects.get_or_create(app_label="staff", model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": codename}
        )
        group.permissions.add(permission)

    migrate(AFTER)
    ContentType.objects.clear_cache()

    moved = Shift.objects.get(pk=shift.pk)
    assert moved.assignments.get().user_id == duty.pk
    assert Handover.objects.get(pk=handover.pk).shift_id == shift.pk
    assert list(Handover.objects.get(pk=handover.pk).incidents.values_list("pk", flat=True)) == [incident.pk]
    assert list(Incident.objects.get(pk=incident.pk).clients.values_list("code", flat=True)) == ["KARI1985K"]
    assert Incident.history.get(id=incident.pk).description == "before"
    assert Ban.objects.get(client_id=client.pk).incident_id == incident.pk
    held = {
        f"{app}.{codename}" for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    assert {"duty.view_roster", "visits.add_incident"} <= held
    assert not ContentType.objects.filter(app_label="staff", model__in=["shift", "incident"]).exists()

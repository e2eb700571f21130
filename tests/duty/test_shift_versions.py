"""Shifts are versioned: a change from a shift form opened before another planner's save is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from duty.models import Shift
from duty.services.roster import shift_update
from staff.roles import Role
from tests.support.factories import shift
from tests.support.pages import STALE_EDIT, nb, text_of
from tests.support.time import TUESDAY, oslo

pytestmark = pytest.mark.django_db

WEDNESDAY = TUESDAY + dt.timedelta(days=1)


@pytest.fixture
def planned(cast, at_noon) -> Shift:
    return shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"], by=cast["coordinator"])


def _form(planned: Shift, duty, *, starts="08:00", ends="15:00", note="", **roles) -> dict:
    """The shift form as it was opened now, with the values given."""
    data = {
        "date": WEDNESDAY.isoformat(),
        "starts": starts,
        "ends": ends,
        "duty_officer": duty.pk,
        "note": note,
        "seen_version": Shift.objects.get(pk=planned.pk).version,
    }
    for user, role in roles.get("members", []):
        data[f"role_{user.pk}"] = role
    return data


def _add_health_worker_meanwhile(planned: Shift, cast) -> None:
    shift_update(
        shift=planned,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        duty_officer=cast["duty"],
        members=[(cast["health"], Role.HEALTH)],
        by=cast["admin"],
    )


def test_it_refuses_a_change_from_a_form_opened_before_another_planner_saved(client_for, cast, planned):
    stale = _form(planned, cast["duty"], starts="09:00", note="Late start")
    _add_health_worker_meanwhile(planned, cast)

    response = client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", stale)

    assert response.status_code == 409
    assert nb(STALE_EDIT) in text_of(response.content.decode())
    planned.refresh_from_db()
    assert timezone_hour(planned.starts_at) == 8
    assert sorted(a.user.username for a in planned.assignments.all()) == ["duty", "health"]


def test_it_lists_the_people_put_on_the_shift_meanwhile_and_by_whom(client_for, cast, planned, at_noon):
    stale = _form(planned, cast["duty"], starts="09:00", note="Late start")
    at_noon.shift(dt.timedelta(minutes=7))
    _add_health_worker_meanwhile(planned, cast)

    html = client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", stale).content.decode()

    with_role = nb("Duty officer")
    assert f'<th scope="row">{nb("Staff and their roles")}</th>' in html
    assert f"<td>duty ({with_role})</td><td>duty ({with_role}), health ({nb('Health worker')})</td>" in html
    assert "admin 12:07:00" in html
    assert "Late start" in html  # what they entered is shown, not lost


def test_it_offers_the_form_again_with_the_shift_as_it_is_now(client_for, cast, planned):
    stale = _form(planned, cast["duty"], starts="09:00")
    _add_health_worker_meanwhile(planned, cast)

    html = client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", stale).content.decode()

    assert 'name="seen_version" value="2"' in html
    assert '<option value="health" selected>' in html


def test_it_saves_a_change_from_a_current_form_and_raises_the_version(client_for, cast, planned):
    response = client_for("coordinator").post(
        f"/roster/shifts/{planned.pk}/", _form(planned, cast["duty"], members=[(cast["health"], "health")])
    )

    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.version == 2
    assert sorted(a.user.username for a in planned.assignments.all()) == ["duty", "health"]


@pytest.mark.parametrize("version", [None, "", "x", "-1"])
def test_it_answers_a_missing_or_garbled_version_with_a_form_error(client_for, cast, planned, version):
    data = _form(planned, cast["duty"], starts="09:00")
    if version is None:
        del data["seen_version"]
    else:
        data["seen_version"] = version

    response = client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", data)

    assert response.status_code == 200
    assert nb("The form is incomplete: reload the page.") in text_of(response.content.decode())
    planned.refresh_from_db()
    assert (timezone_hour(planned.starts_at), planned.version) == (8, 1)


def timezone_hour(moment: dt.datetime) -> int:
    return moment.astimezone(oslo().tzinfo).hour

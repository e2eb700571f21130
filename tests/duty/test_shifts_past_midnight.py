"""A shift that runs past midnight: planned as 18:00-02:00, it ends the next day everywhere it shows."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from duty.models import Shift
from duty.selectors.roster import on_duty_now, understaffed_now
from duty.services.roster import shift_create, shifts_plan
from staff.roles import Role
from tests.support.cast import health_worker, second_duty_officer
from tests.support.factories import minimum, shift
from tests.support.pages import marked_text_all, nb, text_of
from tests.support.time import MONDAY, TUESDAY, oslo

WEDNESDAY = TUESDAY + dt.timedelta(days=1)
THURSDAY = TUESDAY + dt.timedelta(days=2)
SUNDAY_BEFORE = MONDAY - dt.timedelta(days=1)


def _shift_form(day: dt.date, starts: str, ends: str, duty, members=()) -> dict:
    data = {"date": day.isoformat(), "starts": starts, "ends": ends, "duty_officer": duty.pk, "note": ""}
    for user, role in members:
        data[f"role_{user.pk}"] = role
    return data


def _roster_days(client_, monday: dt.date = MONDAY) -> list[str]:
    """The text of each day's card on the roster, Monday first."""
    html = client_.get(f"/roster/?week={monday.isoformat()}").content.decode()
    return marked_text_all(html, "roster-day").split(" | ")


def _understaffed_on(client_, day: dt.date) -> str:
    """The understaffed periods flagged in ``day``'s card on the roster of its week."""
    html = client_.get(f"/roster/?week={day.isoformat()}").content.decode()
    card = html.split('data-testid="roster-day"')[1 + day.weekday()]
    return marked_text_all(card, "understaffed-period")


@pytest.fixture
def late_shift(cast):
    """Wednesday 18:00 to Thursday 02:00, led by ``duty``, with ``health``."""
    return shift(oslo(WEDNESDAY, 18), oslo(THURSDAY, 2), duty=cast["duty"], members=[(cast["health"], Role.HEALTH)])


# --- planning it in the form ---------------------------------------------------------------------


def test_it_tells_the_coordinator_that_an_end_before_the_start_is_the_next_day(client_for, cast):
    html = client_for("coordinator").get(f"/roster/shifts/new/?date={WEDNESDAY.isoformat()}").content.decode()

    assert nb("An end before the start is the next day.") in text_of(html)


def test_it_plans_a_shift_that_ends_before_it_starts_as_ending_the_next_day(client_for, cast):
    data = _shift_form(WEDNESDAY, "18:00", "02:00", cast["duty"], members=[(cast["health"], "health")])

    with time_machine.travel(oslo(hour=9), tick=False):
        response = client_for("coordinator").post("/roster/shifts/new/", data, follow=True)

    planned = Shift.objects.get()
    assert (planned.starts_at, planned.ends_at) == (oslo(WEDNESDAY, 18), oslo(THURSDAY, 2))
    assert "18:00–02:00 (+1)" in marked_text_all(response.content.decode(), "shift")


def test_it_reads_an_end_typed_as_midnight_as_the_next_day_s_midnight(client_for, cast):
    client_for("coordinator").post("/roster/shifts/new/", _shift_form(WEDNESDAY, "1800", "0", cast["duty"]))

    planned = Shift.objects.get()
    assert (planned.starts_at, planned.ends_at) == (oslo(WEDNESDAY, 18), oslo(THURSDAY, 0))


def test_it_shows_the_shift_on_the_day_it_starts_with_its_end_marked_as_the_next_day(client_for, late_shift):
    with time_machine.travel(oslo(hour=9), tick=False):
        days = _roster_days(client_for("coordinator"))

    assert "18:00–02:00 (+1)" in days[WEDNESDAY.weekday()]
    assert "18:00" not in days[THURSDAY.weekday()]
    assert nb("No shifts.") in days[THURSDAY.weekday()]
    assert nb("(+1): ends the next day.") in text_of(
        client_for("coordinator").get(f"/roster/?week={MONDAY.isoformat()}").content.decode()
    )


def test_it_marks_nothing_on_a_shift_within_one_day(client_for, cast):
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])

    html = client_for("coordinator").get(f"/roster/?week={MONDAY.isoformat()}").content.decode()

    assert marked_text_all(html, "shift").startswith("08:00–15:00 ")
    assert "(+" not in marked_text_all(html, "shift")
    assert marked_text_all(html, "ends-next-day") == ""


def test_it_plans_the_late_shift_on_several_days_each_ending_the_next_morning(client_for, cast):
    data = _shift_form(MONDAY, "18:00", "02:00", cast["duty"])
    data["repeat"] = [TUESDAY.isoformat(), WEDNESDAY.isoformat()]

    with time_machine.travel(oslo(MONDAY, 7), tick=False):
        client_for("coordinator").post("/roster/shifts/new/?date=" + MONDAY.isoformat(), data)

    assert [(s.starts_at, s.ends_at) for s in Shift.objects.order_by("starts_at")] == [
        (oslo(MONDAY, 18), oslo(TUESDAY, 2)),
        (oslo(TUESDAY, 18), oslo(WEDNESDAY, 2)),
        (oslo(WEDNESDAY, 18), oslo(THURSDAY, 2)),
    ]


def test_it_opens_the_late_shift_for_editing_on_its_start_date_with_its_times(client_for, late_shift):
    html = client_for("coordinator").get(f"/roster/shifts/{late_shift.pk}/").content.decode()

    assert f'name="date" value="{WEDNESDAY.isoformat()}"' in html
    assert 'name="starts" value="18:00"' in html
    assert 'name="ends" value="02:00"' in html


def test_it_keeps_the_end_on_the_next_day_when_the_late_shift_is_edited(client_for, cast, late_shift):
    data = _shift_form(WEDNESDAY, "19:00", "03:00", cast["duty"])

    client_for("coordinator").post(f"/roster/shifts/{late_shift.pk}/", {**data, "seen_version": late_shift.version})

    late_shift.refresh_from_db()
    assert (late_shift.starts_at, late_shift.ends_at) == (oslo(WEDNESDAY, 19), oslo(THURSDAY, 3))
    assert [a.user.username for a in late_shift.assignments.all()] == ["duty"]


def test_it_refuses_a_start_equal_to_the_end_in_the_service_too(cast):
    with pytest.raises(ValidationError) as caught:
        shifts_plan(
            days=[WEDNESDAY], starts=dt.time(18), ends=dt.time(18), duty_officer=cast["duty"], by=cast["coordinator"]
        )

    assert caught.value.code == "no_length"
    assert not Shift.objects.exists()


def test_it_still_refuses_a_shift_longer_than_24_hours(cast):
    with pytest.raises(ValidationError) as caught:
        shift_create(
            starts_at=oslo(WEDNESDAY, 18),
            ends_at=oslo(THURSDAY, 18, 30),
            duty_officer=cast["duty"],
            by=cast["coordinator"],
        )

    assert caught.value.code == "too_long"


def test_it_shows_a_clear_message_for_a_time_that_is_not_one(client_for, cast):
    response = client_for("coordinator").post(
        "/roster/shifts/new/", _shift_form(WEDNESDAY, "18:00", "26:00", cast["duty"])
    )

    assert response.status_code == 200
    assert nb("Enter a valid time.") in text_of(response.content.decode())
    assert not Shift.objects.exists()


# --- overlap across midnight ---------------------------------------------------------------------


def test_it_refuses_a_shift_the_next_night_that_overlaps_the_late_shift(client_for, cast, late_shift):
    data = _shift_form(THURSDAY, "01:00", "08:00", cast["duty"])

    response = client_for("coordinator").post("/roster/shifts/new/", data)

    assert response.status_code == 200
    assert nb("%(name)s is already on the shift %(shift)s, which overlaps this one.") % {
        "name": "duty",
        "shift": "11.03.2026 18:00–02:00 (+1)",
    } in text_of(response.content.decode())
    assert Shift.objects.count() == 1


def test_it_refuses_a_late_shift_that_overlaps_the_next_morning_s_shift(client_for, cast):
    shift(oslo(THURSDAY, 1), oslo(THURSDAY, 8), duty=cast["duty"])

    response = client_for("coordinator").post(
        "/roster/shifts/new/", _shift_form(WEDNESDAY, "20:00", "02:00", cast["duty"])
    )

    assert response.status_code == 200
    assert "12.03.2026 01:00–08:00" in text_of(response.content.decode())
    assert Shift.objects.count() == 1


def test_it_allows_a_shift_that_starts_when_the_late_shift_ends(client_for, cast, late_shift):
    client_for("coordinator").post("/roster/shifts/new/", _shift_form(THURSDAY, "02:00", "08:00", cast["duty"]))

    assert Shift.objects.count() == 2


# --- on duty after midnight ----------------------------------------------------------------------


def test_it_shows_the_late_shift_on_duty_at_one_in_the_night(client_for, late_shift):
    with time_machine.travel(oslo(THURSDAY, 1), tick=False):
        html = client_for("reception").get("/my-shifts/").content.decode()

    assert marked_text_all(html, "duty-officer") == "duty"
    assert marked_text_all(html, "on-duty") == f"{nb('Duty officer')}: duty {nb('On duty')}: health"


def test_it_takes_the_late_shift_off_duty_at_its_end_the_next_day(late_shift):
    assert on_duty_now(oslo(THURSDAY, 1, 59)).duty_officer.username == "duty"
    assert not on_duty_now(oslo(THURSDAY, 2))
    assert not on_duty_now(oslo(WEDNESDAY, 1))  # the night before it starts


def test_it_shows_the_late_shift_in_my_shifts_as_on_now_after_midnight(client_for, late_shift):
    with time_machine.travel(oslo(THURSDAY, 1), tick=False):
        html = client_for("health").get("/my-shifts/").content.decode()

    upcoming = marked_text_all(html, "my-shift-table").split(" | ")[0]
    assert "18:00–02:00 (+1)" in upcoming
    assert nb("now") in upcoming


# --- the staffing minimum ------------------------------------------------------------------------


def test_it_counts_a_late_shift_towards_the_minimum_until_closing(cast):
    minimum(Role.DUTY, 1)
    kari = second_duty_officer()
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    shift(oslo(WEDNESDAY, 15), oslo(THURSDAY, 1), duty=kari)

    assert understaffed_now(oslo(WEDNESDAY, 21)) == ()


def test_it_flags_no_gap_on_the_roster_when_the_late_shift_covers_the_evening(client_for, cast):
    minimum(Role.DUTY, 1)
    kari = second_duty_officer()
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    shift(oslo(WEDNESDAY, 15), oslo(THURSDAY, 1), duty=kari)

    with time_machine.travel(oslo(WEDNESDAY, 7), tick=False):
        coordinator = client_for("coordinator")
        wednesday, thursday = _understaffed_on(coordinator, WEDNESDAY), _understaffed_on(coordinator, THURSDAY)

    assert wednesday == ""
    assert "08:00–21:30" in thursday  # the late shift's hour after midnight is no cover for Thursday's opening


def test_it_counts_a_night_shift_from_the_week_before_into_monday_morning(client_for, cast):
    minimum(Role.DUTY, 1)
    kari = second_duty_officer()
    shift(oslo(SUNDAY_BEFORE, 22), oslo(MONDAY, 8, 30), duty=kari)
    shift(oslo(MONDAY, 9), oslo(MONDAY, 21, 30), duty=cast["duty"])

    with time_machine.travel(oslo(SUNDAY_BEFORE, 12), tick=False):
        monday = _understaffed_on(client_for("coordinator"), MONDAY)

    # Covered until 08:30 by Sunday's night shift: only the half hour before the day shift is short.
    assert monday.startswith("08:30–09:00")
    assert " | " not in monday


def test_it_warns_when_the_late_shift_has_no_health_worker(cast):
    minimum(Role.HEALTH, 1)
    shift(oslo(WEDNESDAY, 18), oslo(THURSDAY, 2), duty=cast["duty"])
    shift(
        oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 18), duty=second_duty_officer(), members=[(health_worker("ola"), "health")]
    )

    shortfalls = understaffed_now(oslo(WEDNESDAY, 20))

    assert [(s.role, s.present, s.required) for s in shortfalls] == [(Role.HEALTH, 0, 1)]


# --- copying a week ------------------------------------------------------------------------------


def test_it_copies_a_late_shift_into_the_next_week_still_ending_the_next_day(client_for, cast, late_shift):
    next_monday = MONDAY + dt.timedelta(days=7)

    with time_machine.travel(oslo(hour=9), tick=False):
        client_for("coordinator").post("/roster/copy/", {"week": next_monday.isoformat()})

    copy = Shift.objects.exclude(pk=late_shift.pk).get()
    assert (copy.starts_at, copy.ends_at) == (
        oslo(WEDNESDAY + dt.timedelta(days=7), 18),
        oslo(THURSDAY + dt.timedelta(days=7), 2),
    )

"""The roster: who is on duty and the duty officer, the staffing warnings, planning shifts and one's own shifts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from duty.models import Shift, ShiftAssignment
from duty.selectors.roster import on_duty_now, understaffed_now
from staff.roles import Role
from tests.support.cast import health_worker, second_duty_officer
from tests.support.factories import minimum, shift
from tests.support.pages import marked_text_all, nb, text_of
from tests.support.races import race
from tests.support.time import MONDAY, TUESDAY, oslo

WEDNESDAY = TUESDAY + dt.timedelta(days=1)


@pytest.fixture
def two_shifts(cast):
    """Tuesday: the day shift 08:00-15:00 led by ``duty``, the evening shift 15:00-21:30 led by kari."""
    kari = second_duty_officer()
    day = shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"], members=[(cast["health"], Role.HEALTH)])
    evening = shift(oslo(hour=15), oslo(hour=21, minute=30), duty=kari)
    return day, evening


def _header(client_, url="/my-shifts/") -> str:
    return marked_text_all(client_.get(url).content.decode(), "on-duty")


def _duty_officer_shown(client_, url="/my-shifts/") -> str:
    return marked_text_all(client_.get(url).content.decode(), "duty-officer")


# --- on duty now, at the shift boundaries -------------------------------------------------------


def test_it_shows_the_day_shift_s_duty_officer_a_minute_before_the_change(client_for, two_shifts):
    with time_machine.travel(oslo(hour=14, minute=59), tick=False):
        shown = _duty_officer_shown(client_for("reception"))

    assert shown == "duty"


def test_it_shows_the_evening_duty_officer_from_the_minute_of_the_change(client_for, two_shifts):
    with time_machine.travel(oslo(hour=15), tick=False):
        shown = _duty_officer_shown(client_for("reception"))

    assert shown == "kari"


def test_it_counts_a_shift_on_from_its_first_minute_and_off_at_its_end(two_shifts):
    day, _evening = two_shifts

    assert on_duty_now(oslo(hour=8)).duty_officer.username == "duty"
    assert on_duty_now(oslo(hour=15)).duty_officer.username == "kari"
    assert on_duty_now(oslo(hour=21, minute=30)).duty_officer is None
    assert not on_duty_now(oslo(hour=7, minute=59))


def test_it_lists_everyone_on_the_shift_in_the_header(client_for, two_shifts):
    with time_machine.travel(oslo(hour=10), tick=False):
        header = _header(client_for("coordinator"))

    assert header == f"{nb('Duty officer')}: duty {nb('On duty')}: health"


def test_it_says_nobody_is_on_duty_before_the_first_shift(client_for, two_shifts):
    with time_machine.travel(oslo(hour=7), tick=False):
        header = _header(client_for("reception"), "/reception/")

    assert nb("Nobody is rostered on duty now.") in header


def test_it_finds_who_is_on_duty_for_the_header_in_one_query(rf, cast, two_shifts, django_assert_num_queries):
    from duty.context_processors import on_duty

    request = rf.get("/")
    request.user = cast["reception"]
    with time_machine.travel(oslo(hour=10), tick=False):
        context = on_duty(request)
        with django_assert_num_queries(1):
            assert context["on_duty"].duty_officer.username == "duty"
            assert [a.user.username for a in context["on_duty"].others] == ["health"]


# --- the staffing minimum -----------------------------------------------------------------------


def test_it_warns_on_the_dashboard_when_the_shift_on_now_is_below_the_minimum(client_for, two_shifts):
    minimum(Role.HEALTH, 2)

    with time_machine.travel(oslo(hour=10), tick=False):
        warning = marked_text_all(client_for("coordinator").get("/dashboard/").content.decode(), "understaffed")

    assert nb("Understaffed now") in warning
    assert str(Role.HEALTH.label) in warning or nb("Health worker") in warning
    assert "1" in warning and "2" in warning


def test_it_shows_who_is_on_duty_and_the_warning_on_the_floor_board(client_for, two_shifts):
    minimum(Role.HEALTH, 2)

    with time_machine.travel(oslo(hour=10), tick=False):
        html = client_for("reception").get("/floor/board/").content.decode()

    card = marked_text_all(html, "on-duty-card")
    assert nb("Duty officer") in card
    assert "duty" in card and "health" in card
    assert nb("Understaffed now") in marked_text_all(html, "understaffed")


def test_it_does_not_warn_when_the_minimum_is_met(client_for, two_shifts):
    minimum(Role.HEALTH, 1)
    minimum(Role.DUTY, 1)

    with time_machine.travel(oslo(hour=10), tick=False):
        html = client_for("coordinator").get("/dashboard/").content.decode()

    assert marked_text_all(html, "understaffed") == ""


def test_it_does_not_warn_while_the_facility_is_closed(two_shifts):
    minimum(Role.HEALTH, 2)

    assert understaffed_now(oslo(hour=7)) == ()
    assert understaffed_now(oslo(hour=22)) == ()


def test_it_warns_when_the_evening_shift_has_no_health_worker(two_shifts):
    minimum(Role.HEALTH, 1)

    shortfalls = understaffed_now(oslo(hour=16))

    assert [(s.role, s.present, s.required) for s in shortfalls] == [(Role.HEALTH, 0, 1)]


def test_it_applies_a_minimum_only_in_its_hours_and_on_its_weekday(two_shifts):
    minimum(Role.HEALTH, 3, from_time=dt.time(12), until_time=dt.time(14))
    minimum(Role.HEALTH, 5, weekday=WEDNESDAY.weekday())

    assert understaffed_now(oslo(hour=11)) == ()
    assert understaffed_now(oslo(hour=12))[0].required == 3


def test_it_flags_the_understaffed_hours_ahead_on_the_roster(client_for, cast):
    minimum(Role.DUTY, 1)
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])

    with time_machine.travel(oslo(hour=9), tick=False):
        html = client_for("coordinator").get(f"/roster/?week={MONDAY.isoformat()}").content.decode()

    periods = marked_text_all(html, "understaffed-period")
    assert "15:00–21:30" in periods
    # Tuesday has no shift at all: flagged from now on, not for the hours already past.
    assert "09:00–21:30" in periods
    assert "08:00–15:00" not in periods


def test_it_flags_nothing_when_a_change_of_shift_leaves_no_gap(client_for, cast):
    minimum(Role.DUTY, 1)
    kari = second_duty_officer()
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 14, 30), duty=cast["duty"])
    shift(oslo(WEDNESDAY, 14, 30), oslo(WEDNESDAY, 21, 30), duty=kari)

    with time_machine.travel(oslo(WEDNESDAY, 7), tick=False):
        html = client_for("coordinator").get(f"/roster/?week={MONDAY.isoformat()}").content.decode()

    assert nb("Wednesday") in text_of(html) or "onsdag" in text_of(html).lower()
    assert "14:30" not in marked_text_all(html, "understaffed-period")


# --- planning the roster ------------------------------------------------------------------------


def _shift_form(day: dt.date, starts: str, ends: str, duty, **roles) -> dict:
    data = {"date": day.isoformat(), "starts": starts, "ends": ends, "duty_officer": duty.pk, "note": ""}
    for user, role in roles.get("members", []):
        data[f"role_{user.pk}"] = role
    return data


def test_it_plans_a_shift_with_its_people_in_one_form(client_for, cast):
    data = _shift_form(
        WEDNESDAY,
        "08:00",
        "15:00",
        cast["duty"],
        members=[(cast["health"], "health"), (cast["reception"], "reception")],
    )

    with time_machine.travel(oslo(hour=9), tick=False):
        response = client_for("coordinator").post(
            "/roster/shifts/new/?date=" + WEDNESDAY.isoformat(), data, follow=True
        )

    planned = Shift.objects.get()
    assert timezone.localtime(planned.starts_at).hour == 8
    assert {(a.user.username, a.role, a.is_duty_officer) for a in planned.assignments.all()} == {
        ("duty", "duty", True),
        ("health", "health", False),
        ("reception", "reception", False),
    }
    assert "08:00–15:00" in marked_text_all(response.content.decode(), "shift")


def test_it_plans_the_same_shift_on_several_days_at_once(client_for, cast):
    data = _shift_form(MONDAY, "08:00", "15:00", cast["duty"])
    data["repeat"] = [TUESDAY.isoformat(), WEDNESDAY.isoformat()]

    with time_machine.travel(oslo(MONDAY, 7), tick=False):
        client_for("coordinator").post("/roster/shifts/new/?date=" + MONDAY.isoformat(), data)

    days = sorted(timezone.localdate(s.starts_at) for s in Shift.objects.all())
    assert days == [MONDAY, TUESDAY, WEDNESDAY]


def test_it_reads_times_typed_without_a_colon(client_for, cast):
    client_for("coordinator").post("/roster/shifts/new/", _shift_form(WEDNESDAY, "800", "1530", cast["duty"]))

    planned = Shift.objects.get()
    assert (timezone.localtime(planned.starts_at).time(), timezone.localtime(planned.ends_at).time()) == (
        dt.time(8, 0),
        dt.time(15, 30),
    )


def test_it_starts_a_new_shift_at_the_day_s_opening_hours_in_24_hour_time(client_for, cast):
    html = client_for("coordinator").get(f"/roster/shifts/new/?date={WEDNESDAY.isoformat()}").content.decode()

    assert 'name="starts" value="08:00"' in html
    assert 'name="ends" value="21:30"' in html


def test_it_refuses_a_shift_that_ends_when_it_starts(client_for, cast):
    data = _shift_form(WEDNESDAY, "15:00", "15:00", cast["duty"])

    response = client_for("coordinator").post("/roster/shifts/new/", data)

    assert response.status_code == 200
    assert nb("A shift cannot start and end at the same time.") in text_of(response.content.decode())
    assert not Shift.objects.exists()


def test_it_refuses_to_put_one_person_on_two_overlapping_shifts(client_for, cast):
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    data = _shift_form(WEDNESDAY, "14:00", "21:30", cast["duty"])

    response = client_for("coordinator").post("/roster/shifts/new/", data)

    text = text_of(response.content.decode())
    assert response.status_code == 200
    assert "duty" in text
    assert (
        nb("%(name)s is already on the shift %(shift)s, which overlaps this one.")
        % {
            "name": "duty",
            "shift": "11.03.2026 08:00–15:00",
        }
        in text
    )
    assert Shift.objects.count() == 1


def test_it_allows_a_shift_that_starts_when_the_other_ends(cast):
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])

    shift(oslo(WEDNESDAY, 15), oslo(WEDNESDAY, 21), duty=cast["duty"])

    assert Shift.objects.count() == 2


def test_it_refuses_a_role_the_person_does_not_have(client_for, cast):
    data = _shift_form(WEDNESDAY, "08:00", "15:00", cast["duty"], members=[(cast["reception"], "health")])

    response = client_for("coordinator").post("/roster/shifts/new/", data)

    assert response.status_code == 200
    assert not Shift.objects.exists()


def test_it_refuses_a_duty_officer_without_the_duty_officer_role(client_for, cast):
    data = _shift_form(WEDNESDAY, "08:00", "15:00", cast["health"])

    response = client_for("coordinator").post("/roster/shifts/new/", data)

    assert response.status_code == 200
    assert not Shift.objects.exists()


def test_it_keeps_one_duty_officer_per_shift_in_the_database(cast):
    planned = shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    kari = second_duty_officer()

    with pytest.raises(IntegrityError):
        ShiftAssignment.objects.create(shift=planned, user=kari, role=Role.DUTY, is_duty_officer=True)


def test_it_opens_a_shift_for_editing_with_its_times_and_people(client_for, cast):
    planned = shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"], members=[(cast["health"], Role.HEALTH)])

    html = client_for("coordinator").get(f"/roster/shifts/{planned.pk}/").content.decode()

    assert 'name="starts" value="08:00"' in html
    assert f'<option value="{cast["duty"].pk}" selected>' in html
    assert '<option value="health" selected>' in html


def test_it_changes_a_shift_s_people(client_for, cast):
    planned = shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    data = _shift_form(WEDNESDAY, "09:00", "15:00", cast["duty"], members=[(cast["health"], "health")])

    client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", {**data, "seen_version": planned.version})

    planned.refresh_from_db()
    assert timezone.localtime(planned.starts_at).hour == 9
    assert sorted(a.user.username for a in planned.assignments.all()) == ["duty", "health"]


def test_it_removes_a_shift(client_for, cast):
    planned = shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])

    client_for("coordinator").post(f"/roster/shifts/{planned.pk}/delete/")

    assert not Shift.objects.exists()


def test_it_copies_last_week_into_an_empty_week(client_for, cast):
    last_monday = MONDAY - dt.timedelta(days=7)
    shift(oslo(last_monday, 8), oslo(last_monday, 15), duty=cast["duty"], members=[(cast["health"], "health")])
    shift(oslo(last_monday + dt.timedelta(days=2), 15), oslo(last_monday + dt.timedelta(days=2), 21), duty=cast["duty"])

    with time_machine.travel(oslo(MONDAY, 7), tick=False):
        response = client_for("coordinator").post("/roster/copy/", {"week": MONDAY.isoformat()}, follow=True)

    copied = Shift.objects.filter(starts_at__gte=oslo(MONDAY, 0)).order_by("starts_at")
    assert [(timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)) for s in copied] == [
        (oslo(MONDAY, 8), oslo(MONDAY, 15)),
        (oslo(WEDNESDAY, 15), oslo(WEDNESDAY, 21)),
    ]
    assert sorted(a.user.username for a in copied[0].assignments.all()) == ["duty", "health"]
    assert len(marked_text_all(response.content.decode(), "shift")) > 0


def test_it_refuses_to_copy_into_a_week_that_has_shifts(client_for, cast):
    last_monday = MONDAY - dt.timedelta(days=7)
    shift(oslo(last_monday, 8), oslo(last_monday, 15), duty=cast["duty"])
    shift(oslo(MONDAY, 8), oslo(MONDAY, 15), duty=cast["duty"])

    response = client_for("coordinator").post("/roster/copy/", {"week": MONDAY.isoformat()}, follow=True)

    assert nb("This week already has shifts. Copying would double them; remove them first or plan by hand.") in (
        text_of(response.content.decode())
    )
    assert Shift.objects.count() == 2


def test_it_lets_the_duty_officer_read_the_roster_but_not_plan_it(client_for, cast):
    shift(oslo(WEDNESDAY, 8), oslo(WEDNESDAY, 15), duty=cast["duty"])
    duty = client_for("duty")

    html = duty.get(f"/roster/?week={MONDAY.isoformat()}").content.decode()

    assert "08:00–15:00" in marked_text_all(html, "shift")
    assert nb("Add shift") not in text_of(html)
    assert duty.post("/roster/shifts/new/", {}).status_code == 403


@pytest.mark.parametrize("role", ["reception", "health", "counselor", "admin", "norole"])
def test_it_keeps_the_roster_from_roles_that_do_not_plan_or_lead(client_for, role):
    assert client_for(role).get("/roster/").status_code == 403


def test_it_shows_a_staff_member_their_own_shifts(client_for, cast, two_shifts):
    health = client_for("health")

    with time_machine.travel(oslo(hour=7), tick=False):
        html = health.get("/my-shifts/").content.decode()

    table = marked_text_all(html, "my-shift-table")
    assert "08:00–15:00" in table
    assert "15:00–21:30" not in table  # kari's evening shift is not theirs
    assert "duty" in table  # their duty officer


def test_it_shows_my_shifts_to_every_role(client_for, cast):
    other = health_worker("ola")
    shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"], members=[(other, "health")])

    with time_machine.travel(oslo(hour=7), tick=False):
        response = client_for("norole").get("/my-shifts/")

    assert response.status_code == 200
    assert nb("No shifts.") in text_of(response.content.decode())


@pytest.mark.django_db(transaction=True)
def test_it_lets_only_one_of_two_overlapping_shifts_planned_at_once_through(cast):
    from django.core.exceptions import ValidationError

    from duty.services.roster import shift_create

    def plan(start_hour: int, end_hour: int):
        return lambda: shift_create(
            starts_at=oslo(WEDNESDAY, start_hour),
            ends_at=oslo(WEDNESDAY, end_hour),
            duty_officer=cast["duty"],
            by=cast["coordinator"],
        )

    results = race(plan(8, 15), plan(12, 20))

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and [e.code for e in errors[0].error_list] == ["overlap"], results
    assert Shift.objects.count() == 1

"""Who is on duty, kept in each process's memory: no roster query on an ordinary page, never stale.

Every page's header shows who is on duty now. Each process keeps the people of the day's shifts under
the facility's settings token, which every write to the roster replaces; the clock is applied to them
on every request, so a shift starting or ending needs no write, and a new day is read afresh.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from duty.models import Shift, ShiftAssignment
from duty.services.roster import shift_delete, shift_update
from staff.roles import Role
from tests.support.cast import second_duty_officer
from tests.support.factories import minimum, shift
from tests.support.pages import marked_text_all, nb
from tests.support.time import TUESDAY, oslo

WEDNESDAY = TUESDAY + dt.timedelta(days=1)


@pytest.fixture
def two_shifts(cast):
    """Tuesday: the day shift 08:00-15:00 led by ``duty``, the evening shift 15:00-21:30 led by kari."""
    kari = second_duty_officer()
    day = shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"], members=[(cast["health"], Role.HEALTH)])
    evening = shift(oslo(hour=15), oslo(hour=21, minute=30), duty=kari)
    return day, evening


@pytest.fixture
def coordinator(cast) -> Client:
    """A second browser, the coordinator's, who plans the roster while reception reads the header."""
    browser = Client()
    browser.force_login(cast["coordinator"])
    return browser


def _header(browser, url: str = "/reception/") -> str:
    return marked_text_all(browser.get(url).content.decode(), "on-duty")


def _roster_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if "duty_shift" in q["sql"]]


def _form(day: dt.date, starts: str, ends: str, duty, members=()) -> dict:
    data = {"date": day.isoformat(), "starts": starts, "ends": ends, "duty_officer": duty.pk, "note": ""}
    for user, role in members:
        data[f"role_{user.pk}"] = role
    return data


# --- no query on an ordinary page ----------------------------------------------------------------


def test_it_reads_the_roster_for_the_header_only_once(client_for, two_shifts):
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        first = _header(reception)
        with CaptureQueriesContext(connection) as captured:
            second = _header(reception)

    assert second == first == f"{nb('Duty officer')}: duty {nb('On duty')}: health"
    assert _roster_queries(captured) == []


def test_it_reads_the_roster_once_for_who_is_on_duty_and_the_staffing_warning(client_for, two_shifts):
    minimum(Role.HEALTH, 2)
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        reception.get("/floor/")
        with CaptureQueriesContext(connection) as captured:
            html = reception.get("/floor/").content.decode()

    assert "health" in marked_text_all(html, "on-duty-card")
    assert nb("Understaffed now") in marked_text_all(html, "understaffed")
    assert _roster_queries(captured) == []


# --- a write to the roster shows on the very next page --------------------------------------------


def test_it_shows_a_shift_planned_through_the_service_on_the_next_page(client_for, cast):
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        before = _header(reception)
        shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"])
        after = _header(reception)

    assert nb("Nobody is rostered on duty now.") in before
    assert after == f"{nb('Duty officer')}: duty {nb('On duty')}: {nb('nobody else')}"


def test_it_shows_a_shift_changed_through_the_service_on_the_next_page(client_for, cast, two_shifts):
    day, _evening = two_shifts
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        _header(reception)
        shift_update(
            shift=day,
            starts_at=oslo(hour=8),
            ends_at=oslo(hour=15),
            duty_officer=cast["duty"],
            members=[(cast["reception"], Role.RECEPTION)],
            by=cast["coordinator"],
        )
        after = _header(reception)

    assert after == f"{nb('Duty officer')}: duty {nb('On duty')}: reception"


def test_it_drops_a_shift_removed_through_the_service_from_the_next_page(client_for, cast, two_shifts):
    day, _evening = two_shifts
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        _header(reception)
        shift_delete(shift=day, by=cast["coordinator"])
        after = _header(reception)

    assert nb("Nobody is rostered on duty now.") in after


def test_it_shows_a_shift_planned_on_the_roster_page_on_the_next_page(client_for, coordinator, cast):
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        before = _header(reception)
        coordinator.post("/roster/shifts/new/", _form(TUESDAY, "08:00", "15:00", cast["duty"]))
        after = _header(reception)

    assert nb("Nobody is rostered on duty now.") in before
    assert after == f"{nb('Duty officer')}: duty {nb('On duty')}: {nb('nobody else')}"


def test_it_shows_a_shift_changed_on_the_roster_page_on_the_next_page(client_for, coordinator, cast, two_shifts):
    day, _evening = two_shifts
    reception = client_for("reception")
    data = _form(TUESDAY, "11:00", "15:00", cast["duty"], members=[(cast["health"], "health")])
    with time_machine.travel(oslo(hour=10), tick=False):
        before = _header(reception)
        coordinator.post(f"/roster/shifts/{day.pk}/", {**data, "seen_version": day.version})
        after = _header(reception)

    assert before == f"{nb('Duty officer')}: duty {nb('On duty')}: health"
    assert nb("Nobody is rostered on duty now.") in after  # the day shift now starts at 11


def test_it_drops_a_shift_removed_on_the_roster_page_from_the_next_page(client_for, coordinator, two_shifts):
    day, _evening = two_shifts
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        _header(reception)
        coordinator.post(f"/roster/shifts/{day.pk}/delete/")
        after = _header(reception)

    assert nb("Nobody is rostered on duty now.") in after


def test_it_shows_a_change_saved_on_the_rows_themselves_on_the_next_page(client_for, cast, two_shifts):
    # As the admin or the shell would: a save or delete of a row, not through the services.
    day, _evening = two_shifts
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        _header(reception)
        ShiftAssignment.objects.filter(shift=day, user=cast["health"]).get().delete()
        without_health = _header(reception)
        ShiftAssignment.objects.create(shift=day, user=cast["reception"], role=Role.RECEPTION)
        with_reception = _header(reception)
        moved = Shift.objects.get(pk=day.pk)
        moved.starts_at = oslo(hour=11)
        moved.save()
        after_move = _header(reception)

    assert without_health == f"{nb('Duty officer')}: duty {nb('On duty')}: {nb('nobody else')}"
    assert with_reception == f"{nb('Duty officer')}: duty {nb('On duty')}: reception"
    assert nb("Nobody is rostered on duty now.") in after_move


def test_it_shows_a_new_name_of_someone_on_duty_on_the_next_page(client_for, cast, two_shifts):
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=10), tick=False):
        _header(reception)
        health = cast["health"]
        health.first_name, health.last_name = "Ola", "Nordmann"
        health.save()
        after = _header(reception)

    assert after == f"{nb('Duty officer')}: duty {nb('On duty')}: Ola Nordmann"


# --- the clock moves on, nothing is written -------------------------------------------------------


def test_it_changes_the_header_when_a_shift_starts_and_ends_without_a_write(client_for, two_shifts):
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=14, minute=59), tick=False) as clock:
        before = marked_text_all(reception.get("/reception/").content.decode(), "duty-officer")
        clock.move_to(oslo(hour=15))
        with CaptureQueriesContext(connection) as at_change:
            after = marked_text_all(reception.get("/reception/").content.decode(), "duty-officer")
        clock.move_to(oslo(hour=21, minute=30))
        with CaptureQueriesContext(connection) as at_end:
            closed = _header(reception)

    assert (before, after) == ("duty", "kari")
    assert nb("Nobody is rostered on duty now.") in closed
    assert _roster_queries(at_change) == _roster_queries(at_end) == []


def test_it_reads_the_next_day_s_shifts_when_the_date_changes(client_for, cast, two_shifts):
    kari = two_shifts[1].assignments.get().user
    shift(oslo(WEDNESDAY, 1), oslo(WEDNESDAY, 9), duty=kari)
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=23), tick=False) as clock:
        late = _header(reception)
        clock.move_to(oslo(WEDNESDAY, 1, 30))
        night = marked_text_all(reception.get("/reception/").content.decode(), "duty-officer")

    assert nb("Nobody is rostered on duty now.") in late
    assert night == "kari"


def test_it_shows_a_shift_from_the_evening_before_after_midnight(client_for, cast):
    shift(oslo(hour=20), oslo(WEDNESDAY, 2), duty=cast["duty"])
    reception = client_for("reception")
    with time_machine.travel(oslo(hour=23), tick=False) as clock:
        evening = marked_text_all(reception.get("/reception/").content.decode(), "duty-officer")
        clock.move_to(oslo(WEDNESDAY, 1, 59))
        night = marked_text_all(reception.get("/reception/").content.decode(), "duty-officer")
        clock.move_to(oslo(WEDNESDAY, 2))
        after = _header(reception)

    assert evening == night == "duty"
    assert nb("Nobody is rostered on duty now.") in after

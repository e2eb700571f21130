"""The reports' opening-hour figures read the hours every rule reads: special days, closed days and 24:00."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from staff.roles import Role
from tests.support.factories import minimum
from tests.support.figures import figures, marked_rows
from tests.support.pages import nb
from tests.support.time import oslo
from visits.models import ClosedDay, SpecialHours
from visits.models.facility import END_OF_DAY

SPRING_FORWARD = dt.date(2026, 3, 29)  # a Sunday of 23 hours


@pytest.fixture
def with_a_minimum(facility):
    minimum(Role.RECEPTION, 1)  # the dashboard shows the opening hours beside the staffing minimum


def _dashboard(client_for, first: dt.date, last: dt.date) -> str:
    with time_machine.travel(oslo(dt.date(2026, 4, 15), 12), tick=False):
        response = client_for("coordinator").get(f"/dashboard/?period=custom&start={first}&end={last}")
    return response.content.decode()


def _hours(hours: int, minutes: int) -> str:
    return nb("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def test_the_opening_hours_figure_counts_the_week_s_hours_on_an_ordinary_day(with_a_minimum, client_for):
    page = _dashboard(client_for, SPRING_FORWARD, SPRING_FORWARD)

    assert figures(page)["staffing-open"] == _hours(13, 30)  # 08:00-21:30


def test_the_opening_hours_figure_follows_a_day_open_around_the_clock_as_summer_time_begins(with_a_minimum, client_for):
    SpecialHours.objects.create(date=SPRING_FORWARD, opens=dt.time.min, closes=END_OF_DAY, last_admission_minutes=0)

    page = _dashboard(client_for, SPRING_FORWARD, SPRING_FORWARD)

    assert figures(page)["staffing-open"] == _hours(23, 0)


def test_the_opening_hours_figure_follows_a_short_day_and_a_closed_day(with_a_minimum, client_for):
    first = SPRING_FORWARD - dt.timedelta(days=2)
    SpecialHours.objects.create(date=first, opens=dt.time(10), closes=dt.time(14))
    ClosedDay.objects.create(date=first + dt.timedelta(days=1))

    page = _dashboard(client_for, first, first + dt.timedelta(days=1))

    assert figures(page)["staffing-open"] == _hours(4, 0)


def test_the_arrivals_heatmap_shows_every_hour_of_a_day_open_around_the_clock(facility, client_for):
    SpecialHours.objects.create(date=SPRING_FORWARD, opens=dt.time.min, closes=END_OF_DAY, last_admission_minutes=0)

    page = _dashboard(client_for, SPRING_FORWARD, SPRING_FORWARD)

    assert [int(hour) for hour in marked_rows(page, "heatmap")[0][1:]] == list(range(24))


def test_the_arrivals_heatmap_shows_the_week_s_hours_otherwise(facility, client_for):
    page = _dashboard(client_for, SPRING_FORWARD, SPRING_FORWARD)

    assert [int(hour) for hour in marked_rows(page, "heatmap")[0][1:]] == list(range(8, 22))

"""Dates at the ends of the calendar: each page says which dates it takes, and shows its default.

Python's dates stop at year 9999 and start at year 1, so a week, a day or a month past them cannot be
computed. The app works with 2000 to 2100 (core/dates.py); these pages once answered 500 for the
addresses below.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils.translation import override

from core.dates import out_of_range_message
from duty.models import Shift
from duty.services.roster import shift_create
from tests.support.pages import nb, text_of
from tests.support.time import NOON_2024 as NOON


@pytest.fixture
def message() -> str:
    with override("nb"):
        return out_of_range_message()


@pytest.fixture
def at_noon():
    with time_machine.travel(NOON, tick=False):
        yield


def test_the_message_names_the_range_in_the_page_language(message):
    with override("en"):
        assert out_of_range_message() == "Choose a date between 1 January 2000 and 31 December 2100."
    assert "2000" in message and "2100" in message


@pytest.mark.parametrize("week", ["9999-12-31", "0001-01-01", "2101-01-03"])
def test_the_roster_refuses_a_week_out_of_range_and_shows_this_week(client_for, at_noon, message, week):
    response = client_for("coordinator").get(f"/roster/?week={week}")

    assert response.status_code == 200
    assert message in text_of(response.content)
    assert 'name="week" value="2024-03-04"' in response.content.decode()  # this week's roster


def test_the_roster_says_when_the_week_is_not_a_date(client_for, at_noon):
    text = text_of(client_for("coordinator").get("/roster/?week=next").content)

    assert nb("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": "next"} in text


def test_a_new_shift_on_a_day_out_of_range_starts_from_today(client_for, at_noon, message):
    response = client_for("coordinator").get("/roster/shifts/new/?date=9999-12-31")

    assert response.status_code == 200
    assert message in text_of(response.content)
    assert 'value="2024-03-05"' in response.content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_handover_log_refuses_a_day_out_of_range(client_for, at_noon, message, day):
    response = client_for("duty").get(f"/handovers/?date={day}")

    assert response.status_code == 200
    assert message in text_of(response.content)


def test_the_incident_list_refuses_a_range_past_the_calendar(client_for, at_noon, message):
    response = client_for("duty").get("/incidents/?date_from=0001-01-01&date_to=9999-12-31")

    assert response.status_code == 200
    assert text_of(response.content).count(message) == 2  # one for each end


def test_the_incident_list_refuses_a_range_that_ends_before_it_starts(client_for, at_noon):
    response = client_for("duty").get("/incidents/?date_from=2024-03-05&date_to=2024-03-01")

    assert nb("The period ends before it starts.") in text_of(response.content)


def test_the_access_review_refuses_a_range_past_the_calendar(client_for, at_noon, message):
    response = client_for("coordinator").get("/access-log/staff/?start=0001-01-01&end=9999-12-31")

    assert response.status_code == 400
    assert message in text_of(response.content)


def test_the_dashboard_refuses_a_custom_range_past_the_calendar(client_for, at_noon, message):
    response = client_for("coordinator").get("/dashboard/?period=custom&start=0001-01-01&end=9999-12-31")

    assert response.status_code == 200
    assert message in text_of(response.content)


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1999-12", "2101-01"])
@pytest.mark.parametrize("csv", ["", "csv/"])
def test_a_monthly_report_out_of_range_is_not_found_and_says_the_range(client_for, at_noon, message, month, csv):
    response = client_for("coordinator").get(f"/reports/monthly/{month}/{csv}")

    assert response.status_code == 404
    assert nb("The page or record you asked for does not exist.") in text_of(response.content)
    assert message in text_of(response.content)


@pytest.mark.parametrize("month", ["0000-00", "2026-13"])
@pytest.mark.parametrize("csv", ["", "csv/"])
def test_a_monthly_report_for_no_month_is_not_found_and_says_the_form(client_for, at_noon, month, csv):
    response = client_for("coordinator").get(f"/reports/monthly/{month}/{csv}")

    assert response.status_code == 404
    assert f"«{month}» er ikke en måned; bruk formen ÅÅÅÅ-MM." in text_of(response.content)


def test_a_monthly_report_for_a_month_to_come_says_it_has_not_begun(client_for, at_noon):
    response = client_for("coordinator").get("/reports/monthly/2100-12/")

    assert response.status_code == 200
    assert "Denne måneden har ikke begynt ennå: det finnes ingen tall for den." in text_of(response.content)


def test_the_report_for_this_month_says_it_is_not_over(client_for, at_noon):
    month = f"{NOON:%Y-%m}"
    response = client_for("coordinator").get(f"/reports/monthly/{month}/")

    assert "Måneden er ikke over" in text_of(response.content)
    assert "har ikke begynt" not in text_of(response.content)


def test_the_first_and_last_months_link_no_further(client_for, at_noon):
    http = client_for("coordinator")

    first = http.get("/reports/monthly/2000-01/").content.decode()
    last = http.get("/reports/monthly/2100-12/").content.decode()

    assert "/reports/monthly/1999-12/" not in first and "/reports/monthly/2000-02/" in first
    assert "/reports/monthly/2101-01/" not in last and "/reports/monthly/2100-11/" in last


def test_asking_for_a_month_out_of_range_shows_last_month_with_the_message(client_for, at_noon, message):
    response = client_for("coordinator").get("/reports/monthly/?month=9999-12", follow=True)

    assert response.redirect_chain[-1][0] == "/reports/monthly/2024-02/"
    assert message in text_of(response.content)


def test_copying_into_a_week_out_of_range_copies_nothing(client_for, cast, message):
    # Last week's shift: a copy into "this week" instead of the week asked for would take it.
    shift_create(
        starts_at=NOON - dt.timedelta(days=7),
        ends_at=NOON - dt.timedelta(days=7, hours=-3),
        duty_officer=cast["duty"],
        by=cast["coordinator"],
    )

    with time_machine.travel(NOON, tick=False):
        response = client_for("coordinator").post("/roster/copy/", {"week": "9999-12-27"}, follow=True)

    assert message in text_of(response.content)
    assert Shift.objects.count() == 1

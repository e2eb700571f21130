"""The period picker: named periods around today, custom ranges, and a clear word for a bad one, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from health.models import Emergency
from reports.periods import Period, PeriodKind, named_period
from tests.support.factories import ClientFactory, VisitFactory
from tests.support.figures import figures, number
from tests.support.pages import marked_text_all as marked_text
from tests.support.time import NOON, oslo

pytestmark = pytest.mark.django_db


def _dashboard(client_for, query: str = "") -> str:
    return client_for("coordinator").get(f"/dashboard/{query}").content.decode()


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        (PeriodKind.TODAY, dt.date(2026, 4, 15), dt.date(2026, 4, 15)),
        (PeriodKind.WEEK, dt.date(2026, 4, 13), dt.date(2026, 4, 19)),
        (PeriodKind.MONTH, dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        (PeriodKind.LAST_MONTH, dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ],
)
def test_it_names_the_periods_around_today(kind, first, last):
    period = named_period(kind, dt.date(2026, 4, 15))

    assert (period.first, period.last) == (first, last)


def test_it_takes_last_month_across_new_year():
    period = named_period(PeriodKind.LAST_MONTH, dt.date(2027, 1, 3))

    assert (period.first, period.last) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


def test_it_bounds_a_month_by_oslo_midnights_whatever_summer_time_does():
    march = Period.for_month(dt.date(2026, 3, 1))
    october = Period.for_month(dt.date(2026, 10, 1))

    assert march.start.isoformat() == "2026-03-01T00:00:00+01:00"
    assert march.end.isoformat() == "2026-04-01T00:00:00+02:00"
    assert march.end.timestamp() - march.start.timestamp() == (31 * 24 - 1) * 3600
    assert october.end.timestamp() - october.start.timestamp() == (31 * 24 + 1) * 3600


def test_it_shows_today_by_default(client_for, facility):
    with time_machine.travel(NOON, tick=False):
        page = _dashboard(client_for)

    assert marked_text(page, "period-label") == "tirsdag 10. mars 2026"


def test_it_shows_this_week_from_monday_to_sunday(client_for, facility):
    with time_machine.travel(NOON, tick=False):
        page = _dashboard(client_for, "?period=week")

    assert marked_text(page, "period-label") == "9. mars 2026 – 15. mars 2026"


def test_it_shows_a_custom_range(client_for, facility):
    with time_machine.travel(NOON, tick=False):
        page = _dashboard(client_for, "?period=custom&start=2026-01-05&end=2026-02-10")

    assert marked_text(page, "period-label") == "5. januar 2026 – 10. februar 2026"
    assert 'value="2026-01-05"' in page


@pytest.mark.parametrize(
    "query",
    [
        "?period=custom&start=2026-02-30&end=2026-03-01",  # no such day
        "?period=custom&start=not-a-date&end=2026-03-01",
        "?period=custom&start=2026-03-10&end=2026-03-01",  # ends before it starts
        "?period=custom&start=2024-01-01&end=2026-03-01",  # longer than a year
        "?period=custom&start=2026-03-01",  # no last day
        "?period=custom&start=0001-01-01&end=0001-01-02",  # before the year 2000
        "?period=custom&start=9999-12-30&end=9999-12-31",
        "?period=nonsense",
        "?start=%3Cscript%3E&end=2026-13-01",
    ],
)
def test_it_says_what_is_wrong_with_a_period_and_shows_today(client_for, facility, query):
    with time_machine.travel(NOON, tick=False):
        response = client_for("coordinator").get(f"/dashboard/{query}")
    page = response.content.decode()

    assert response.status_code == 200
    assert marked_text(page, "period-errors")
    assert marked_text(page, "period-label") == "tirsdag 10. mars 2026"
    assert "<script>" not in marked_text(page, "period-errors")


def test_it_shows_live_figures_for_today(client_for, cast):
    with time_machine.travel(NOON, tick=False):
        for letters in ("LIVA", "LIVB"):
            VisitFactory(client=ClientFactory(letters=letters), checked_in_at=oslo(hour=11))
        ClientFactory(letters="LIVC")
        VisitFactory(
            client=ClientFactory(letters="LIVD"), checked_in_at=oslo(hour=9), ended_at=oslo(hour=10), location="gone"
        )
        VisitFactory(
            client=ClientFactory(letters="LIVE"),
            checked_in_at=oslo(dt.date(2026, 3, 9), hour=20),
            ended_at=oslo(dt.date(2026, 3, 9), hour=21),
            location="gone",
        )
        for letters, ended in (("LIVA", None), ("LIVD", oslo(hour=10, minute=30))):
            Emergency.objects.create(
                client=ClientFactory(letters=letters),
                started_at=oslo(hour=10),
                started_by=cast["health"],
                ended_at=ended,
                outcome="recovered" if ended else "",
            )
        shown = figures(_dashboard(client_for))

    assert number(shown["live-inside"]) == 2
    assert number(shown["live-visits"]) == 3
    assert number(shown["live-emergencies"]) == 1


def test_it_leaves_out_live_figures_for_a_past_period(client_for, facility):
    with time_machine.travel(NOON, tick=False):
        page = _dashboard(client_for, "?period=last_month")

    assert "live-inside" not in figures(page)

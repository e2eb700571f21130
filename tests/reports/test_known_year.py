"""Two known years (tests.support.scenes.known_year), every figure worked out by hand: ``period_figures``
for each year, for December, January and the range across New Year; the dashboard's year as a
coordinator sees it; the daily rollup and the charts agreeing with them; the monthly reports of
December 2017 and January 2018."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from reports.models import DailyFigures
from reports.selectors.figures import period_figures
from reports.services import daily_figures_rollup
from tests.support.figures import chart_data, figures, number
from tests.support.pages import marked_text
from tests.support.scenes.known_year import (
    DECEMBER_2017,
    DECEMBER_TO_JANUARY,
    EXPECTED_2017,
    EXPECTED_2018,
    EXPECTED_DECEMBER_2017,
    EXPECTED_DECEMBER_TO_JANUARY,
    EXPECTED_JANUARY_2018,
    FEBRUARY_15_2019,
    JANUARY_2018,
    OVERDOSES_PER_MONTH,
    VISITS_PER_MONTH,
    YEAR_2017,
    YEAR_2018,
    build_known_year,
    expected_figures,
)

pytestmark = pytest.mark.django_db

PERIODS = {
    "2017": (YEAR_2017, EXPECTED_2017),
    "2018": (YEAR_2018, EXPECTED_2018),
    "december-2017": (DECEMBER_2017, EXPECTED_DECEMBER_2017),
    "january-2018": (JANUARY_2018, EXPECTED_JANUARY_2018),
    "december-to-january": (DECEMBER_TO_JANUARY, EXPECTED_DECEMBER_TO_JANUARY),
}
RANGES = {
    "2017": ("?period=custom&start=2017-01-01&end=2017-12-31", "1. januar 2017 – 31. desember 2017"),
    "2018": ("?period=custom&start=2018-01-01&end=2018-12-31", "1. januar 2018 – 31. desember 2018"),
    "december-to-january": (
        "?period=custom&start=2017-12-01&end=2018-01-31",
        "1. desember 2017 – 31. januar 2018",
    ),
}


@pytest.fixture
def known_year(cast):
    """The two years built, and time standing still at noon on 15 February 2019 (Oslo)."""
    with time_machine.travel(FEBRUARY_15_2019, tick=False):
        yield build_known_year(cast)


@pytest.mark.parametrize("name", PERIODS)
def test_it_counts_every_figure_of_the_period_as_worked_out_by_hand(known_year, name):
    period, expected = PERIODS[name]

    assert expected_figures(period_figures(period, now=timezone.now())) == expected


def test_it_counts_ages_by_the_first_year_of_a_range_across_new_year(known_year):
    """T is 39 in the range (by 2017) and 40 in January 2018: the same visit, another band."""
    ranged = period_figures(DECEMBER_TO_JANUARY, now=timezone.now()).demographics
    january = period_figures(JANUARY_2018, now=timezone.now()).demographics

    assert (ranged.year, january.year) == (2017, 2018)
    assert ranged.cells[("K", "30_39")] == 1 and ("K", "40_49") not in ranged.cells
    assert january.cells[("K", "40_49")] == 1


@pytest.mark.parametrize("name", RANGES)
def test_it_shows_the_ranges_figures_on_the_dashboard_as_a_coordinator_sees_it(known_year, client_for, name):
    query, label = RANGES[name]
    expected = PERIODS[name][1]

    page = client_for("coordinator").get(f"/dashboard/{query}").content.decode()
    shown = figures(page)

    assert marked_text(page, "period-label") == label
    assert {
        "visits": number(shown["visits"]),
        "unique_clients": number(shown["unique-clients"]),
        "new_registrations": number(shown["new-registrations"]),
        "gender": {gender: number(shown[f"gender-{gender}"]) for gender in "MKA"},
        "age": {band: number(shown[f"age-{band}"]) for band in expected["age"]},
        "refusals": number(shown["refusals"]),
        "consumption_events": number(shown["consumption-events"]),
        "overdoses": number(shown["overdoses"]),
        "other_emergencies": number(shown["emergencies-other"]),
        "naloxone_doses": number(shown["naloxone-doses"]),
        "ambulance_calls": number(shown["ambulance-calls"]),
        "contacts": number(shown["contacts"]),
    } == {
        "visits": expected["visits"],
        "unique_clients": expected["unique_clients"],
        "new_registrations": expected["new_registrations"],
        "gender": expected["gender"],
        "age": expected["age"],
        "refusals": sum(expected["refusals"].values()),
        "consumption_events": expected["consumption_events"],
        "overdoses": expected["overdoses"],
        "other_emergencies": expected["other_emergencies"],
        "naloxone_doses": expected["naloxone_doses"],
        "ambulance_calls": expected["ambulance_calls"],
        "contacts": expected["contacts"],
    }


@pytest.mark.parametrize("name", ["2017", "2018", "december-2017", "january-2018", "december-to-january"])
def test_it_rolls_up_the_days_to_the_periods_figures(known_year, name):
    period, expected = PERIODS[name]
    daily_figures_rollup(first=dt.date(2016, 11, 1), last=dt.date(2019, 2, 14))

    summed = DailyFigures.objects.filter(date__gte=period.first, date__lte=period.last).aggregate(
        visits=Sum("visits"),
        new_registrations=Sum("new_registrations"),
        refusals=Sum("refusals"),
        consumption_events=Sum("consumption_events"),
        emergencies=Sum("emergencies"),
        overdoses=Sum("overdoses"),
    )

    assert summed == {
        "visits": expected["visits"],
        "new_registrations": expected["new_registrations"],
        "refusals": sum(expected["refusals"].values()),
        "consumption_events": expected["consumption_events"],
        "emergencies": expected["emergencies"],
        "overdoses": expected["overdoses"],
    }


def _per_month(page: str, chart: str) -> dict[str, int]:
    data = chart_data(page, chart)
    return {label: n for label, n in zip(data["labels"], data["values"], strict=True) if n}


def _labelled(per_month: dict[dt.date, int]) -> dict[str, int]:
    """The months as the bokmål chart labels them: "des 2017"."""
    names = "jan feb mar apr mai jun jul aug sep okt nov des".split()
    return {f"{names[month.month - 1]} {month.year}": n for month, n in per_month.items()}


@pytest.mark.parametrize("rolled_up", [False, True], ids=["from-the-records", "from-the-rollup"])
def test_it_draws_the_per_month_chart_in_agreement_with_the_years(known_year, client_for, rolled_up):
    if rolled_up:
        daily_figures_rollup(first=dt.date(2016, 11, 1), last=dt.date(2019, 2, 14))

    page = client_for("coordinator").get("/dashboard/?period=last_month").content.decode()
    visits, overdoses = _per_month(page, "data-per-month"), _per_month(page, "data-overdoses-per-month")

    assert visits == _labelled(VISITS_PER_MONTH)
    assert overdoses == _labelled(OVERDOSES_PER_MONTH)
    for year, expected in (("2017", EXPECTED_2017), ("2018", EXPECTED_2018)):
        assert sum(n for label, n in visits.items() if label.endswith(year)) == expected["visits"]
        assert sum(n for label, n in overdoses.items() if label.endswith(year)) == expected["overdoses"]
    assert (visits["des 2017"], visits["jan 2018"]) == (
        EXPECTED_DECEMBER_2017["visits"],
        EXPECTED_JANUARY_2018["visits"],
    )


def test_it_draws_the_last_days_of_2018_by_oslo_day(known_year, client_for):
    page = client_for("coordinator").get("/dashboard/?period=last_month").content.decode()
    data = chart_data(page, "data-per-day")
    per_day = dict(zip(data["labels"], data["values"], strict=True))

    # S2 at 23:30 on 31 December; V1 at 00:20 on 1 January 2019, 23:20 UTC the day before.
    assert (per_day["31.12."], per_day["1.1."]) == (1, 1)


GENDERS = {"M": "Man", "K": "Woman", "A": "Other / not stated"}
AGE_BANDS = {
    "under_20": "Under 20",
    "20_29": "20–29",
    "30_39": "30–39",
    "40_49": "40–49",
    "50_59": "50–59",
    "60_plus": "60 and over",
}


def _csv(client, month: str) -> dict[str, str]:
    response = client.get(f"/reports/monthly/{month}/csv/")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {indicator: value for _section, indicator, value in rows[1:]}


@pytest.mark.parametrize(
    ("month", "expected"),
    [("2017-12", EXPECTED_DECEMBER_2017), ("2018-01", EXPECTED_JANUARY_2018)],
    ids=["december-2017", "january-2018"],
)
def test_it_reports_the_months_either_side_of_new_year(known_year, reader, month, expected):
    report = _csv(reader("coordinator", "en"), month)

    assert report["Month"] == month
    assert {
        "visits": int(report["Visits"]),
        "unique_clients": int(report["Unique clients (each counted once in the month)"]),
        "new_registrations": int(report["New registrations"]),
        "gender": {key: int(report[f"Gender: {name}"]) for key, name in GENDERS.items()},
        "age": {key: int(report[f"Age: {name}"]) for key, name in AGE_BANDS.items()},
        "consumption_events": int(report["Consumption events"]),
        "overdoses": int(report["Overdoses"]),
        "other_emergencies": int(report["Other medical emergencies"]),
        "naloxone_doses": int(report["Naloxone doses given"]),
        "ambulance_calls": int(report["Ambulance calls"]),
        "refusals": int(report["Refusals at the door"]),
        "contacts": int(report["Walk-in contacts"]),
    } == {
        "visits": expected["visits"],
        "unique_clients": expected["unique_clients"],
        "new_registrations": expected["new_registrations"],
        "gender": expected["gender"],
        "age": expected["age"],
        "consumption_events": expected["consumption_events"],
        "overdoses": expected["overdoses"],
        "other_emergencies": expected["other_emergencies"],
        "naloxone_doses": expected["naloxone_doses"],
        "ambulance_calls": expected["ambulance_calls"],
        "refusals": sum(expected["refusals"].values()),
        "contacts": expected["contacts"],
    }

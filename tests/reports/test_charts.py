"""Every chart's embedded data and its table, counted in Oslo days and hours, from the records or the rollup."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from reports.models import DailyFigures
from tests.support.factories import ClientFactory, VisitFactory
from tests.support.figures import chart_data, marked_rows, number
from tests.support.scenes.march import at

pytestmark = pytest.mark.django_db


def _page(client_for, query: str = "?period=last_month") -> str:
    return client_for("coordinator").get(f"/dashboard/{query}").content.decode()


def _by_label(data: dict) -> dict[str, int]:
    return dict(zip(data["labels"], data["values"], strict=True))


def test_it_embeds_visits_per_day_for_the_last_90_days(march, client_for):
    data = chart_data(_page(client_for), "data-per-day")

    assert len(data["labels"]) == len(data["values"]) == 90
    assert data["labels"][0] == "16.1." and data["labels"][-1] == "15.4."
    assert {label: n for label, n in _by_label(data).items() if n} == {
        "28.2.": 1,  # 23:30 in Oslo, 22:30 UTC
        "1.3.": 1,
        "10.3.": 2,
        "15.3.": 1,
        "20.3.": 1,
        "29.3.": 1,  # 03:30 on the night summer time begins
        "31.3.": 1,  # 23:30
        "1.4.": 1,  # 00:30 in Oslo, still 31 March in UTC
    }


def test_it_embeds_visits_and_overdoses_per_month_over_all_years(march, client_for):
    page = _page(client_for)
    visits = chart_data(page, "data-per-month")
    overdoses = chart_data(page, "data-overdoses-per-month")

    assert visits["labels"] == overdoses["labels"] == ["feb 2026", "mar 2026", "apr 2026"]
    assert visits["values"] == [1, 7, 1]
    assert overdoses["values"] == [0, 4, 1]  # March's include the unknown person's


def test_it_puts_each_charts_numbers_in_a_table_beside_it(march, client_for):
    page = _page(client_for)

    for chart in ("per-day", "per-month", "overdoses-per-month"):
        rows = marked_rows(page, f"chart-table-{chart}")[1:]
        data = chart_data(page, f"data-{chart}")
        assert [(label, number(value)) for label, value in rows] == list(
            zip(data["labels"], data["values"], strict=True)
        )


def test_it_shows_arrivals_by_weekday_and_local_hour(march, client_for):
    rows = marked_rows(_page(client_for), "heatmap")
    hours = [int(hour) for hour in rows[0][1:]]
    cells = {(row[0], hour): int(value) for row in rows[1:] for hour, value in zip(hours, row[1:], strict=True)}

    assert hours == list(range(0, 24))
    assert {key: n for key, n in cells.items() if n} == {
        ("Søndag", 0): 1,
        ("Søndag", 3): 1,  # 01:30 UTC on the night summer time begins
        ("Søndag", 9): 1,
        ("Tirsdag", 12): 1,
        ("Tirsdag", 13): 1,
        ("Tirsdag", 23): 1,
        ("Fredag", 10): 1,
    }


def test_it_counts_both_passes_of_the_hour_repeated_when_summer_time_ends(cast, client_for):
    client = ClientFactory(letters="OKT")
    for moment in (at(10, 25, 2, 30, fold=0), at(10, 25, 2, 30, fold=1)):
        end = moment.astimezone(dt.UTC) + dt.timedelta(minutes=10)
        VisitFactory(client=client, checked_in_at=moment, ended_at=end, location="gone")

    with time_machine.travel(at(11, 15, 12), tick=False):
        page = _page(client_for, "?period=custom&start=2026-10-25&end=2026-10-25")

    rows = marked_rows(page, "heatmap")
    hours = [int(hour) for hour in rows[0][1:]]
    sunday = next(row for row in rows if row[0] == "Søndag")
    assert int(sunday[1 + hours.index(2)]) == 2
    assert _by_label(chart_data(page, "data-per-day"))["25.10."] == 2


def test_it_draws_the_same_charts_from_the_rollup_as_from_the_records(march, client_for):
    before = _page(client_for)

    call_command("rollup_daily", "--all", stdout=open("/dev/null", "w"))
    after = _page(client_for)

    assert DailyFigures.objects.exists()
    for chart in ("data-per-day", "data-per-month", "data-overdoses-per-month"):
        assert chart_data(after, chart) == chart_data(before, chart)


def test_it_reads_the_rolled_up_days_from_the_rollup(march, client_for):
    call_command("rollup_daily", "--all", stdout=open("/dev/null", "w"))
    DailyFigures.objects.filter(date=dt.date(2026, 3, 10)).update(visits=40)

    data = chart_data(_page(client_for), "data-per-day")

    assert _by_label(data)["10.3."] == 40
    assert chart_data(_page(client_for), "data-per-month")["values"] == [1, 45, 1]


def test_it_counts_yesterday_and_today_from_the_records_whatever_the_rollup_says(march, client_for):
    call_command("rollup_daily", "--all", stdout=open("/dev/null", "w"))
    for day in (dt.date(2026, 4, 14), dt.date(2026, 4, 15)):
        DailyFigures.objects.update_or_create(date=day, defaults={"visits": 99, "computed_at": at(4, 15, 11)})
    VisitFactory(
        client=ClientFactory(letters="TODAY"),
        checked_in_at=at(4, 15, 11),
        ended_at=at(4, 15, 11, 30),
        location="gone",
    )

    data = _by_label(chart_data(_page(client_for), "data-per-day"))

    assert (data["14.4."], data["15.4."]) == (0, 1)

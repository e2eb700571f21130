"""The annual report: the two known years (tests.support.scenes.two_years) figure by figure, the previous
year beside each with the change, the month table, the annual extras, the external version's suppression,
the CSV, the way to a year and the addresses that are no year."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scipy.optimize import linprog

from reports.disclosure import PROTECTION_WIDTH
from tests.support.factories import VisitFactory
from tests.support.figures import marked_rows
from tests.support.pages import marked_text, t
from tests.support.queries import own_queries
from tests.support.scenes.march import at
from tests.support.scenes.two_years import TODAY_2026, build_two_years

pytestmark = pytest.mark.django_db

PAGE = "/reports/annual/2025/"
CSV = "/reports/annual/2025/csv/"


@pytest.fixture
def two_years(cast, facility):
    with time_machine.travel(TODAY_2026, tick=False):
        yield build_two_years(cast)


def _csv(response) -> dict[tuple[str, str], list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    return {(row[0], row[1]): row[2:] for row in rows[1:]}


def test_it_counts_the_year_beside_the_previous_one(two_years, coordinator_en):
    rows = _csv(coordinator_en.get(CSV))
    # value, previous year, change (signed), change in per cent
    assert rows[("Report", "Year")][:2] == ["2025", "2024"]
    # 1 (January) + 10 (March) + 10 (June) + 6 (December) = 27; 2024: 10 + 1 = 11. 27 − 11 = 16, 16/11 = 145.5 %.
    assert rows[("Visits and clients", "Visits")] == ["27", "11", "+16", "+145.5 %"]
    # R1-R12 = 12; 2024 R1-R10 = 10: +2, +20 %.
    assert rows[("Visits and clients", "Unique clients (each counted once in the year)")] == [
        "12",
        "10",
        "+2",
        "+20.0 %",
    ]
    # R11, R12 on 1 February 2025; R1-R10 in January 2024: 2 − 10 = −8, −80 %.
    assert rows[("Visits and clients", "New registrations")] == ["2", "10", "-8", "-80.0 %"]
    # The ten March booth sessions; none in 2024 (no per cent of nothing).
    assert rows[("Consumption", "Consumption events")] == ["10", "0", "+10", ""]
    assert rows[("Overdoses and other medical emergencies", "Overdoses")] == ["1", "0", "+1", ""]
    assert rows[("Overdoses and other medical emergencies", "Naloxone given in total (mg)")][:2] == ["1.80", "0.00"]
    assert rows[("Unique clients by gender and age", "Gender: Man")] == ["8", "8", "0", "0.0 %"]
    assert rows[("Unique clients by gender and age", "Gender: Woman")] == ["4", "2", "+2", "+100.0 %"]


def test_it_adds_the_annual_figures(two_years, coordinator_en):
    rows = _csv(coordinator_en.get(CSV))
    extras = "Deregistrations, age and visits per client"
    # X on 5 May 2025; Y at 23:30 on 31 December 2024 (Oslo) belongs to 2024.
    assert rows[(extras, "Deregistrations")][:3] == ["1", "1", "0"]
    # 2025: (35 + 45 + 10 × 30) / 12 = 380 / 12 = 31.67; 2024: (34 + 44 + 8 × 29) / 10 = 310 / 10 = 31.0.
    assert rows[(extras, "Mean age (years)")] == ["31.7", "31.0", "+0.7", "+2.2 %"]
    # Ten at 30, then 35 and 45: the 6th and 7th are 30. 2024: eight at 29, then 34 and 44: 29.
    assert rows[(extras, "Median age (years)")][:3] == ["30.0", "29.0", "+1.0"]
    # 8 men of 12 = 66.7 %; 8 of 10 = 80 %: −13.3 percentage points, no per cent of a per cent.
    assert rows[(extras, "Share of men (%)")] == ["66.7", "80.0", "-13.3", ""]
    # 2025: R1 once, R2-R11 twice, R12 six times; 2024: R2-R10 once, R1 twice.
    assert rows[(extras, "Clients who visited once")][:2] == ["1", "9"]
    assert rows[(extras, "Clients who visited 2–5 times")][:2] == ["10", "1"]
    assert rows[(extras, "Clients who visited 6–20 times")][:2] == ["1", "0"]
    assert rows[(extras, "Clients who visited 21–100 times")][:2] == ["0", "0"]
    assert rows[(extras, "Clients who visited more than 100 times")][:2] == ["0", "0"]
    rates = "Overdoses, staffing and cost"
    # 1 overdose / 10 consumption events × 1,000 = 100; none consumed in 2024.
    assert rows[(rates, "Overdoses per 1,000 consumption events")][:2] == ["100.00", ""]
    # 2 700 000 / 27 visits = 100 000; / 12 clients = 225 000. 2024: 1 100 000 / 11 = 100 000; / 10 = 110 000.
    assert rows[(rates, "Cost per visit (NOK)")] == ["100000", "100000", "0", "0.0 %"]
    assert rows[(rates, "Cost per client (NOK)")] == ["225000", "110000", "+115000", "+104.5 %"]


def test_it_counts_the_months_in_oslo_time(two_years, coordinator_en):
    rows = _csv(coordinator_en.get(CSV))
    visits = [rows[(f"Month 2025-{m:02d}", "Visits")][0] for m in range(1, 13)]
    # 00:10 on 1 January 2025 is January's (23:10 UTC the day before); 00:30 on 1 January 2026 is not 2025's.
    assert visits == ["1", "0", "10", "0", "0", "10", "0", "0", "0", "0", "0", "6"]
    clients = [rows[(f"Month 2025-{m:02d}", "Unique clients")][0] for m in range(1, 13)]
    assert clients == ["1", "0", "10", "0", "0", "10", "0", "0", "0", "0", "0", "1"]
    assert rows[("Month 2025-06", "Overdoses")][0] == "1"
    assert rows[("Month 2025-06", "Naloxone emergencies")][0] == "1"
    assert rows[("Month 2025-06", "Ambulance calls")][0] == "1"
    assert rows[("Month 2025-03", "Consumption events")][0] == "10"


def test_its_month_table_adds_up_to_the_year_on_the_page(two_years, coordinator_en):
    response = coordinator_en.get(PAGE)
    table = marked_rows(response.content.decode(), "month-table-rows")
    total = table[-1]
    assert total[:3] == ["The year", "27", "12"]
    assert sum(int(row[1]) for row in table[1:-1]) == 27


def test_it_shows_the_cover_line(two_years, coordinator_en, cast):
    line = marked_text(coordinator_en.get(PAGE).content, "cover-line")
    assert "2025" in line
    assert "Internal: all counts" in line
    assert "15/1/2026 12:00" in line
    assert cast["coordinator"].display_name in line


WITHHELD = ("<10", ":")


def _attack(column: list[str], total: str) -> list[float]:
    """How wide an outsider can keep each withheld month of a column that adds up to ``total`` (the year's),
    from what the marks say: "<10" is 1-9, ":" is 1 or more (SciPy's HiGHS; inf: no upper limit)."""
    cells = [*column, total]
    hidden = [i for i, text in enumerate(cells) if text in WITHHELD]
    # withheld months − withheld total = published total − published months
    row = [(-1 if i == len(column) else 1) for i in hidden]
    rhs = -sum(int(text) for text in column if text not in WITHHELD) + (0 if total in WITHHELD else int(total))
    bounds = [(1, 9 if cells[i] == "<10" else None) for i in hidden]
    widths = []
    for j, i in enumerate(hidden):
        if i == len(column):
            continue
        objective = [1.0 if k == j else 0.0 for k in range(len(hidden))]
        low = linprog(objective, A_eq=[row], b_eq=[rhs], bounds=bounds, method="highs")
        high = linprog([-v for v in objective], A_eq=[row], b_eq=[rhs], bounds=bounds, method="highs")
        assert low.status == 0  # the true figures are a solution: never infeasible
        widths.append(-high.fun - low.fun if high.status == 0 else float("inf"))  # otherwise unbounded
    return widths


def test_it_leaves_no_withheld_month_to_be_worked_out_from_the_year(two_years, coordinator_en):
    rows = _csv(coordinator_en.get(CSV + "?version=external"))
    visits = [rows[(f"Month 2025-{m:02d}", "Visits")][0] for m in range(1, 13)]
    # January's 1 and December's 6 are small, March's and June's 10 published; the year's 27 would leave
    # 7 for the two (and the visits per client bound them further): the audit withholds the year too.
    assert visits == ["<10", "0", "10", "0", "0", "10", "0", "0", "0", "0", "0", "<10"]
    total = rows[("Visits and clients", "Visits")][0]
    assert total == ":"
    assert all(width >= PROTECTION_WIDTH for width in _attack(visits, total))
    # With the year's visits withheld, so is the cost per visit, which would give them away.
    assert rows[("Overdoses, staffing and cost", "Cost per visit (NOK)")][0] == ":"
    # The one overdose is withheld, in June and in the year; so is the rate it gives.
    assert rows[("Month 2025-06", "Overdoses")][0] == "<10"
    assert rows[("Overdoses and other medical emergencies", "Overdoses")][0] == "<10"
    assert rows[("Overdoses, staffing and cost", "Overdoses per 1,000 consumption events")][0] == ":"


def test_it_shows_a_change_only_where_both_years_are_published(two_years, coordinator_en):
    rows = _csv(coordinator_en.get(CSV + "?version=external"))
    # Consumption: 10 and 0, both published.
    assert rows[("Consumption", "Consumption events")] == ["10", "0", "+10", ""]
    # 2 this year is withheld, 10 the year before is not: no change.
    assert rows[("Visits and clients", "New registrations")][0] == "<10"
    assert rows[("Visits and clients", "New registrations")][2:] == ["", ""]
    # Eight men each year: withheld, and with them the share of men.
    assert rows[("Unique clients by gender and age", "Gender: Man")] == ["<10", "<10", "", ""]
    assert rows[("Deregistrations, age and visits per client", "Share of men (%)")][:2] == [":", ":"]
    # The mean age rests on 12 clients this year (shown) and 10 the year before (shown).
    assert rows[("Deregistrations, age and visits per client", "Mean age (years)")][:2] == ["31.7", "31.0"]


def test_it_withholds_the_mean_age_of_fewer_than_ten_clients(cast, facility, coordinator_en):
    with time_machine.travel(TODAY_2026, tick=False):
        VisitFactory(checked_in_at=at(5, 5, 12, year=2025))
        rows = _csv(coordinator_en.get(CSV + "?version=external"))
    assert rows[("Deregistrations, age and visits per client", "Mean age (years)")][0] == "n<10"
    assert rows[("Deregistrations, age and visits per client", "Median age (years)")][0] == "n<10"


def test_its_query_count_does_not_grow_with_history(two_years, coordinator_en):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_en.get(PAGE).status_code == 200
        return len(own_queries(captured))

    count()  # the first reading fills the per-process caches (the special opening hours)
    before = count()
    # Visits in every month of the year and of years before: the same queries.
    with time_machine.travel(TODAY_2026, tick=False):
        for month in range(1, 13):
            VisitFactory(checked_in_at=at(month, 14, 12, year=2025))
            VisitFactory(checked_in_at=at(month, 14, 12, year=2023))
    assert count() == before
    # The year's figures, the previous year's, the month table; the rollup's span and days for what it answers.
    assert before <= 88


@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/reports/annual/0000/", 404),
        ("/reports/annual/9999/", 404),
        ("/reports/annual/1999/", 404),
        ("/reports/annual/10000/", 404),
        ("/reports/annual/abcd/", 404),
        ("/reports/annual/2025/csv/?version=secret", 404),
    ],
)
def test_it_answers_an_address_that_is_no_year_with_a_404(coordinator_en, address, status):
    assert coordinator_en.get(address).status_code == status


def test_it_says_why_year_0000_has_no_report(coordinator_en):
    response = coordinator_en.get("/reports/annual/0000/")
    assert "2100" in response.content.decode()


def test_it_goes_to_the_last_complete_year(facility, coordinator_en):
    with time_machine.travel(TODAY_2026, tick=False):
        assert coordinator_en.get("/reports/annual/").url == "/reports/annual/2025/"


@pytest.mark.parametrize("asked", ["abc", "10000", "0000", "20 25", "٢٠٢٥"])
def test_it_says_what_is_wrong_with_an_asked_year(facility, coordinator_en, asked):
    with time_machine.travel(TODAY_2026, tick=False):
        response = coordinator_en.get("/reports/annual/", {"year": asked}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/reports/annual/2025/"
    assert "YYYY" in response.content.decode() or "2100" in response.content.decode()


def test_it_goes_to_the_asked_year(facility, coordinator_en):
    assert coordinator_en.get("/reports/annual/", {"year": "2019"}).url == "/reports/annual/2019/"


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "admin", "norole"])
def test_it_is_forbidden_to_everyone_but_the_coordinator(cast, client, role):
    client.force_login(cast[role])
    assert client.get(PAGE).status_code == 403


def test_it_is_linked_from_the_monthly_report(cast, facility, coordinator_en):
    with time_machine.travel(TODAY_2026, tick=False):
        response = coordinator_en.get("/reports/monthly/2025-12/")
    assert marked_text(response.content, "annual-report-link") == "Annual report 2025"


def test_it_is_linked_from_the_dashboard_for_a_whole_year(cast, facility, coordinator_en):
    with time_machine.travel(TODAY_2026, tick=False):
        response = coordinator_en.get("/dashboard/", {"period": "custom", "start": "2024-01-01", "end": "2024-12-31"})
    assert marked_text(response.content, "annual-report-link") == "Annual report 2024"
    assert t  # the bokmål helper is imported for the tests that read bokmål pages

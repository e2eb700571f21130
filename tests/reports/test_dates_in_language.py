"""Every date in a report's title or heading is written the reader's way: bokmål "tirsdag 10. mars 2026",
"mars 2026" (names in lower case), English the British way, "Tuesday 10 March 2026", "March 2026".

The patterns are named formats of each language (bergen_injection/formats/); a date written with a
bokmål pattern in English ("1. January 2026") is what these tests catch.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from bergen_injection.formats.en import formats as en_formats
from bergen_injection.formats.nb import formats as nb_formats
from reports.periods import Period, PeriodKind
from tests.support.figures import chart_data
from tests.support.pages import marked_text
from tests.support.time import NOON

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "day", "month", "year"),
    [
        ("nb", "tirsdag 10. mars 2026", "mars 2026", "1. januar 2017 – 31. desember 2017"),
        ("en", "Tuesday 10 March 2026", "March 2026", "1 January 2017 – 31 December 2017"),
    ],
)
def test_it_titles_a_period_in_the_language(language, day, month, year):
    with translation.override(language):
        assert Period(PeriodKind.TODAY, dt.date(2026, 3, 10), dt.date(2026, 3, 10)).label == day
        assert Period.for_month(dt.date(2026, 3, 1)).label == month
        assert Period(PeriodKind.CUSTOM, dt.date(2017, 1, 1), dt.date(2017, 12, 31)).label == year


@pytest.mark.parametrize(
    ("language", "query", "label"),
    [
        ("nb", "", "tirsdag 10. mars 2026"),
        ("en", "", "Tuesday 10 March 2026"),
        ("nb", "?period=week", "9. mars 2026 – 15. mars 2026"),
        ("en", "?period=week", "9 March 2026 – 15 March 2026"),
        ("nb", "?period=month", "mars 2026"),
        ("en", "?period=month", "March 2026"),
        ("nb", "?period=custom&start=2025-12-01&end=2026-01-31", "1. desember 2025 – 31. januar 2026"),
        ("en", "?period=custom&start=2025-12-01&end=2026-01-31", "1 December 2025 – 31 January 2026"),
    ],
)
def test_it_titles_the_dashboards_period_in_the_readers_language(reader, facility, language, query, label):
    with time_machine.travel(NOON, tick=False):
        page = reader("coordinator", language).get(f"/dashboard/{query}").content

    assert marked_text(page, "period-label") == label


@pytest.mark.parametrize(
    ("language", "month", "previous", "following", "period"),
    [
        ("nb", "mars 2026", "‹ feb 2026", "apr 2026 ›", "1.3.2026–31.3.2026"),
        ("en", "March 2026", "‹ Feb 2026", "Apr 2026 ›", "1/3/2026–31/3/2026"),
    ],
)
def test_it_heads_the_monthly_report_in_the_readers_language(
    reader, march, language, month, previous, following, period
):
    page = reader("coordinator", language).get("/reports/monthly/2026-03/").content

    assert marked_text(page, "monthly-heading").endswith(f", {month}")
    assert marked_text(page, "previous-month") == previous
    assert marked_text(page, "next-month") == following
    assert period in marked_text(page, "monthly-period")


@pytest.mark.parametrize(
    ("language", "heading", "previous", "following"),
    [
        ("nb", "tirsdag 10. mars 2026", "‹ 9. mar", "11. mar ›"),
        ("en", "Tuesday 10 March 2026", "‹ 9 Mar", "11 Mar ›"),
    ],
)
def test_it_heads_the_day_sheet_in_the_readers_language(reader, facility, language, heading, previous, following):
    with time_machine.travel(NOON + dt.timedelta(days=5), tick=False):
        page = reader("duty", language).get("/reports/day/2026-03-10/").content

    assert marked_text(page, "day-sheet-date") == heading
    assert marked_text(page, "previous-day") == previous
    assert marked_text(page, "next-day") == following


@pytest.mark.parametrize(
    ("language", "first_day", "months"),
    [
        ("nb", "16.1.", ["feb 2026", "mar 2026", "apr 2026"]),
        ("en", "16 Jan", ["Feb 2026", "Mar 2026", "Apr 2026"]),
    ],
)
def test_it_labels_the_charts_in_the_readers_language(reader, march, language, first_day, months):
    page = reader("coordinator", language).get("/dashboard/?period=last_month").content.decode()

    assert chart_data(page, "data-per-day")["labels"][0] == first_day
    assert chart_data(page, "data-per-month")["labels"] == months


def test_it_names_every_format_in_both_languages():
    """A named format missing from a language would be read as a pattern itself: "WEEKDAY_DATE_FORMAT"
    would come out as letters of a date."""

    def names(module) -> set[str]:
        return {name for name in vars(module) if name.endswith("_FORMAT")}

    assert names(nb_formats) == names(en_formats)

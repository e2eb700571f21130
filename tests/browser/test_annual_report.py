"""The annual report of a year of demo history in real Chromium: on paper the navigation and the buttons
are gone, nothing is wider than the A4 page, the PDF is A4 portrait, and the CSV downloads and parses."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.synthetic import generate_history
from reports.selectors.annual import year_period
from tests.support.browser import login
from tests.support.pages import nb
from visits.models import Visit

pytestmark = pytest.mark.browser

# A4 is 210 mm wide; the report's print margins are 12 mm a side: 186 mm of paper at 96 px to the inch.
A4_PRINTABLE_PX = round(186 / 25.4 * 96)


def test_it_prints_a_year_of_demo_history_on_a4_and_downloads_its_csv(page, live_server, cast, shot):
    year = timezone.localdate().year - 1
    # A year of synthetic history ending on New Year's Day: the whole of last year.
    generate_history(visits=1500, years=1, end=dt.date(year + 1, 1, 1), progress=lambda line: None)
    period = year_period(year)
    visits = Visit.objects.filter(checked_in_at__gte=period.start, checked_in_at__lt=period.end).count()
    assert visits > 1000
    login(page, live_server, "coordinator")

    page.goto(f"{live_server.url}/reports/annual/")
    page.wait_for_url(f"{live_server.url}/reports/annual/{year}/")
    report = page.get_by_test_id("annual-report")
    expect(page.get_by_test_id("cover-line")).to_contain_text(str(year))
    expect(page.get_by_test_id("month-table")).to_be_visible()
    shot("screen")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1100})
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("csv-link")).to_be_hidden()
    expect(report).to_be_visible()
    shot("print")
    widest = page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth,
             ...[...document.querySelectorAll('[data-testid=annual-report] table')]
                .map(t => t.getBoundingClientRect().right))"""
    )
    assert widest <= A4_PRINTABLE_PX, f"the report is {widest}px wide on a page {A4_PRINTABLE_PX}px wide"
    pdf = page.pdf(format="A4", print_background=True)
    boxes = {tuple(float(n) for n in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 portrait: 595 × 842 points
        assert abs(width - 595) < 2 and abs(height - 842) < 2, (width, height)

    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    with page.expect_download() as download:
        page.get_by_test_id("csv-link").click()
    body = Path(download.value.path()).read_bytes().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert all(len(row) == 6 for row in rows)
    values = {(row[0], row[1]): row[2] for row in rows}
    assert values[(nb("Visits and clients"), nb("Visits"))] == str(visits)
    months = [values[(nb("Month %(month)s") % {"month": f"{year}-{m:02d}"}, nb("Visits"))] for m in range(1, 13)]
    assert sum(int(n) for n in months) == visits

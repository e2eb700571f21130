"""The day sheet in real Chromium: on paper the navigation and the buttons are gone, nothing is wider than
the A4 page, and the PDF is A4 portrait."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from health import services
from tests.support.browser import login
from tests.support.factories import RefusalFactory, VisitFactory, make_client
from tests.support.pages import nb
from visits.models import Incident, Refusal, Visit

pytestmark = pytest.mark.browser

# A4 is 210 mm wide; the sheet's print margins are 12 mm a side: 186 mm of paper at 96 px to the inch.
A4_PRINTABLE_PX = round(186 / 25.4 * 96)


def _busy_morning(cast) -> None:
    """Today so far (the browser tests run on the real clock): a dozen refusals, an overdose, an incident,
    a visit closed with a reason and a long note."""
    now = timezone.now()
    start = now - dt.timedelta(minutes=30)
    if timezone.localdate(start) != timezone.localdate(now):  # just after midnight: keep to today
        start = now
    reception = cast["reception"]
    clients = [make_client(f"PRNT{1970 + n}M", by=reception, at=start) for n in range(12)]
    for client in clients:
        RefusalFactory(client=client, at=start, by=reception, reason=Refusal.Reason.TOO_INTOXICATED)
    visit = VisitFactory(client=clients[0], checked_in_by=reception, checked_in_at=start)
    Visit.objects.filter(pk=visit.pk).update(
        ended_at=start,
        ended_by=cast["duty"],
        location=Visit.Location.GONE,
        end_reason=Visit.EndReason.LEFT_UNNOTICED,
        end_note="Went out through the back door without a word, " * 6,
    )
    emergency, _ = services.emergency_open(client=clients[1], by=cast["health"], now=start)
    services.emergency_intervention_add(
        emergency=emergency, kind="naloxone", route="in", dose_mg=Decimal("1.8"), by=cast["health"], now=start
    )
    Incident.objects.create(
        kind=Incident.Kind.THREATS,
        occurred_at=start,
        area=Incident.Area.ENTRANCE,
        description="Shouted at the door for a long time, " * 10,
        action_taken="Talked him down",
        recorded_at=start,
        recorded_by=cast["duty"],
    ).clients.set(clients[2:4])


def test_it_prints_the_day_sheet_on_a4_without_the_navigation(page, live_server, cast, shot):
    _busy_morning(cast)
    login(page, live_server, "duty")

    page.get_by_role("link", name=nb("Day sheet"), exact=True).click()
    page.wait_for_url(f"{live_server.url}/reports/day/")
    sheet = page.get_by_test_id("day-sheet")
    expect(sheet).to_contain_text("PRNT1970M")
    expect(page.get_by_test_id("print")).to_be_visible()
    shot("screen")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1100})
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    expect(page.get_by_test_id("day-picker")).to_be_hidden()
    expect(page.get_by_test_id("on-duty")).to_be_hidden()
    expect(page.get_by_test_id("keys-help")).to_be_hidden()
    expect(sheet).to_be_visible()
    # Printed during the day, the paper says so: the day is not over.
    expect(page.get_by_test_id("day-sheet-state")).to_be_visible()
    shot("print")
    widest = page.evaluate(
        """() => Math.max(document.documentElement.scrollWidth,
             ...[...document.querySelectorAll('[data-testid=day-sheet] table')]
                .map(t => t.getBoundingClientRect().right))"""
    )
    assert widest <= A4_PRINTABLE_PX, f"the sheet is {widest}px wide on a page {A4_PRINTABLE_PX}px wide"

    pdf = page.pdf(format="A4", print_background=True)
    boxes = {tuple(float(n) for n in box) for box in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)}
    assert boxes, "no page in the PDF"
    for width, height in boxes:  # A4 portrait: 595 × 842 points
        assert abs(width - 595) < 2 and abs(height - 842) < 2, (width, height)

"""A coordinator opens the dashboard in real Chromium and the charts are drawn from the embedded data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.factories import ClientFactory, VisitFactory

pytestmark = pytest.mark.browser


def test_it_draws_the_dashboards_charts(page, live_server, cast, shot):
    now = timezone.now()
    for n in range(12):
        start = now - dt.timedelta(days=n * 5, hours=n % 4)
        VisitFactory(
            client=ClientFactory(letters=f"CHR{chr(65 + n)}"),
            checked_in_at=start,
            ended_at=start + dt.timedelta(minutes=30),
            location="gone",
        )

    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/dashboard/?period=month")
    canvases = page.locator("canvas[data-chart]")
    expect(canvases).to_have_count(3)
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 3")
    shot("dashboard")

    assert page.evaluate("Chart.instances ? Object.keys(Chart.instances).length : 0") == 3
    for index in range(3):
        box = canvases.nth(index).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0
    drawn = page.evaluate("Object.values(Chart.instances).map(c => c.data.datasets[0].data.reduce((a, b) => a + b, 0))")
    assert drawn[0] == 12  # visits per day, last 90 days
    expect(page.get_by_test_id("chart-heatmap")).to_be_visible()

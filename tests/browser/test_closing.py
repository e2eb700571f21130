"""Closing in the browser: the banner switches itself on as the warning starts, and a booth assigned too
near closing is asked about on the injection board, answered "Cancel" or "Assign anyway".

The tests run on the real clock: the facility is made to close a few minutes from now.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import login, waiting
from visits.models import BoothSession, Facility, OpeningHours, OpeningHoursPeriod

pytestmark = pytest.mark.browser


def _closing_in(delta: dt.timedelta) -> None:
    """Open since midnight, closing ``delta`` from now, admitting until closing."""
    closes = timezone.localtime() + delta
    if closes.date() != timezone.localdate() or timezone.localtime().hour == 0:
        pytest.skip("too near midnight for a closing later today")
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=closes.time().replace(microsecond=0))
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def test_it_switches_the_closing_banner_on_in_the_browser(page, live_server, cast):
    Facility.objects.filter(pk=1).update(closing_warning_minutes=1)
    _closing_in(dt.timedelta(minutes=1, seconds=12))
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    banner = page.get_by_test_id("closing-banner")
    expect(banner).to_be_hidden()

    # No reload: the browser shows it when the warning starts, from the timestamps the page carried.
    expect(banner).to_be_visible(timeout=25_000)
    expect(banner).to_contain_text("1 min")


def test_it_asks_before_a_booth_that_would_run_past_closing(page, live_server, cast):
    _closing_in(dt.timedelta(minutes=20))
    waiting("AB1985M", cast["reception"])
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    expect(page.get_by_test_id("closing-banner")).to_be_visible()
    assign = page.locator("form.assign-form").filter(has=page.locator("button", has_text="AB1985M"))

    assign.locator("button").click()
    question = page.get_by_test_id("assign-confirm")
    expect(question).to_contain_text("AB1985M")
    expect(question.get_by_test_id("assign-confirm-text")).to_contain_text("(")
    page.get_by_test_id("assign-cancel").click()
    expect(question).to_have_count(0)
    assert not BoothSession.objects.exists()

    assign.locator("button").click()
    page.get_by_test_id("assign-anyway").click()
    expect(page.get_by_test_id("board-notice")).to_contain_text("AB1985M")
    expect(page.get_by_test_id("booth-card").filter(has_text="AB1985M")).to_have_count(1)
    assert BoothSession.objects.filter(visit__client__code="AB1985M").count() == 1

"""Checks on time in real Chromium: the injection board says when each check is due and ticks towards it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.pages import nb
from visits.models import Booth, Client, OpeningHours, OpeningHoursPeriod, Route, Substance
from visits.services.checkin import visit_check_in
from visits.services.rooms import booth_assign

pytestmark = pytest.mark.browser


def _in_booth(code: str, label: str, *, minutes_ago: int, by) -> None:
    at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    client = Client.objects.create(
        code=code, birth_year=1985, gender="M", status="active", registered_at=at, registered_by=by
    )
    substance = Substance.objects.filter(enabled=True).first()
    visit = visit_check_in(client=client, by=by, substance=substance, now=at)
    route = Route.objects.filter(enabled=True).first()
    booth_assign(visit=visit, booth=Booth.objects.get(label=label), route=route, substance=substance, by=by, now=at)


def test_it_shows_checks_due_and_overdue_by_text_and_ticks_the_next_one(page, live_server, cast, shot):
    # The test runs on the real clock, so the facility admits at any hour of the day for it.
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)
    _in_booth("AB1985M", "1", minutes_ago=10, by=cast["health"])  # due 5 minutes ago: overdue
    _in_booth("CD1980K", "2", minutes_ago=6, by=cast["health"])  # due a minute ago
    _in_booth("EF1975K", "3", minutes_ago=1, by=cast["health"])  # due in 4 minutes

    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")

    overdue = page.get_by_test_id("overdue-checks")
    expect(overdue).to_contain_text("AB1985M")
    expect(overdue).not_to_contain_text("CD1980K")
    expect(overdue).to_contain_text(nb("Check overdue by %(minutes)s min") % {"minutes": 5})
    due = page.locator("[data-testid=booth-card]", has_text="CD1980K").get_by_test_id("check-due")
    expect(due).to_contain_text(nb("Check due %(due)s").split("%")[0].strip())
    upcoming = page.locator("[data-testid=booth-card]", has_text="EF1975K").get_by_test_id("check-due")
    before = upcoming.inner_text()
    page.wait_for_timeout(1_500)
    expect(upcoming).not_to_have_text(before)  # the countdown ticks in the browser between refreshes
    shot("injection-checks-due-and-overdue")

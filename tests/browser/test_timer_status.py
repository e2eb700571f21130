"""A timer card changes status in the browser as its time comes, with the label the server gave the board.

The board's refreshes are held back, so that only the browser's own ticking can change the card.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.pages import nb
from visits.models import Booth, Client, Facility, OpeningHours, OpeningHoursPeriod, Route, Substance, Visit
from visits.services.checkin import visit_check_in
from visits.services.rooms import booth_assign, booth_end

pytestmark = pytest.mark.browser
SOON = dt.timedelta(seconds=12)  # the status changes this long after the page is asked for


def _open_all_day() -> None:
    # The test runs on the real clock, so the facility admits at any hour of the day for it.
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def _in_booth(code: str, by, *, started: dt.datetime):
    client = Client.objects.create(
        code=code, birth_year=1985, gender="M", status="active", registered_at=started, registered_by=by
    )
    substance = Substance.objects.filter(enabled=True).first()
    visit = visit_check_in(client=client, by=by, substance=substance, now=started)
    route = Route.objects.filter(enabled=True).first()
    booth = Booth.objects.filter(active=True).order_by("label").first()
    return booth_assign(visit=visit, booth=booth, route=route, substance=substance, by=by, now=started)


def _held_back(page, path: str) -> None:
    page.route(f"**{path}**", lambda route: route.abort())


def test_it_turns_a_booth_due_soon_in_the_browser(page, live_server, cast):
    _open_all_day()
    login(page, live_server, "health")
    route = Route.objects.filter(enabled=True).first()
    due_soon = dt.timedelta(minutes=Facility.objects.get().due_soon_minutes)
    started = timezone.now() - dt.timedelta(minutes=route.booth_time_limit_minutes) + due_soon + SOON
    _in_booth("AB1985M", cast["health"], started=started)
    page.goto(f"{live_server.url}/injection/")
    _held_back(page, "/injection/board/")
    card = page.get_by_test_id("booth-card").filter(has_text="AB1985M")
    expect(card.locator("[data-status-text]")).to_have_text(nb("Running"))

    expect(card.locator("[data-status-text]")).to_have_text(nb("Due soon"), timeout=25_000)
    expect(card).to_have_class(re.compile(r"\bstatus-due_soon\b"))
    expect(card).to_have_attribute("data-status", "due_soon")


def test_it_marks_the_minimum_observation_time_reached_in_the_browser(page, live_server, cast):
    _open_all_day()
    login(page, live_server, "health")
    route = Route.objects.filter(enabled=True).first()
    moved = timezone.now() - dt.timedelta(minutes=route.min_observation_minutes) + SOON
    session = _in_booth("CD1985M", cast["health"], started=moved - dt.timedelta(minutes=5))
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=moved)
    page.goto(f"{live_server.url}/observation/")
    _held_back(page, "/observation/board/")
    card = page.get_by_test_id("observation-card").filter(has_text="CD1985M")
    expect(card.locator("[data-status-text]")).to_have_text(nb("Observing"))

    expect(card.locator("[data-status-text]")).to_have_text(nb("Minimum time reached"), timeout=25_000)
    expect(card).to_have_attribute("data-status", "minimum_reached")

"""A new client's first visit in real Chromium: registered at reception, accepted at intake, checked in, in the queue.

The browser keeps real time (its cookies would expire in a travelled-to past), so the facility is set to
admit all day instead of moving the clock.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils.text import capfirst
from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, login
from tests.support.pages import nb
from visits.models import Client, OpeningHours, OpeningHoursPeriod, Visit

pytestmark = pytest.mark.browser

CODE = "TEBR1990M"


@pytest.fixture
def open_all_day(facility):
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def test_it_registers_runs_the_intake_checks_in_and_shows_the_client_in_the_building(
    page, browser, live_server, cast, open_all_day, shot, request
):
    # Reception: the code typed in search is nobody's, so reception is offered to register it.
    login(page, live_server, "reception")
    page.locator("#client-search").fill("tebr 1990 m")
    offer = page.get_by_role("link", name=nb("Register %(code)s as a new client") % {"code": CODE})
    expect(offer).to_be_visible()
    shot("reception-offers-to-register")
    offer.click()

    expect(page.locator("input[name=letters]")).to_have_value("TEBR")
    expect(page.locator("input[name=birth_year]")).to_have_value("1990")
    with page.expect_navigation():
        page.get_by_role("button", name=nb("Register client")).click()
    expect(page.get_by_test_id("client-status")).to_have_text(nb("Pending intake"))
    expect(page.get_by_test_id("intake-alert")).to_be_visible()
    shot("registered-pending-intake")
    assert Client.objects.get(code=CODE).status == Client.Status.PENDING

    # Counselor, at another computer: the intake interview, every criterion met, accepted.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    counselor = context.new_page()
    try:
        login(counselor, live_server, "counselor")
        waiting = counselor.locator(".list-group-item", has_text=CODE)
        with counselor.expect_navigation():
            waiting.get_by_role("link", name=nb("Start intake")).click()
        for criterion in (
            "18 years or older",
            "long-term heroin dependence",
            "harmful injection practice",
            "consent to registration given",
            "house rules explained",
            "harm reduction advice given",
        ):
            counselor.get_by_label(capfirst(nb(criterion)), exact=True).check()
        counselor.get_by_label(nb("Accepted"), exact=True).check()
        counselor.screenshot(path=str(_artifact(request, "intake-filled-in")), full_page=True)
        with counselor.expect_navigation():
            counselor.get_by_role("button", name=nb("Save intake")).click()
        expect(counselor.get_by_role("alert")).to_contain_text(
            nb("%(code)s is accepted and can now be checked in.") % {"code": CODE}
        )
        counselor.screenshot(path=str(_artifact(request, "intake-accepted")), full_page=True)
    finally:
        context.close()
    assert Client.objects.get(code=CODE).status == Client.Status.ACTIVE

    # Reception: Enter on the exact code opens the card; one click checks the client in.
    page.goto(f"{live_server.url}/reception/")
    page.locator("#client-search").fill(CODE)
    with page.expect_navigation():
        page.locator("#client-search").press("Enter")
    expect(page.get_by_test_id("client-status")).to_have_text(nb("Active"))
    shot("card-ready-for-check-in")
    with page.expect_navigation(url=re.compile(r"/reception/$")):
        page.get_by_role("button", name=nb("Check in"), exact=True).click()

    inside = page.locator("section[aria-labelledby=inside-heading]")
    expect(inside.get_by_role("row", name=re.compile(CODE))).to_contain_text(nb("Waiting for a booth"))
    shot("in-the-building-now")
    visit = Visit.objects.get(client__code=CODE)
    assert (visit.location, visit.ended_at, visit.checked_in_by) == (Visit.Location.QUEUE, None, cast["reception"])


def _artifact(request, name: str):
    """A screenshot path beside the ones ``shot`` saves for this test."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"counselor-{name}.png"

"""An emergency opened from a booth card in real Chromium shows on the floor board in red, with a running timer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from health.models import Emergency
from tests.support.browser import booth_card, login, open_all_day, waiting
from tests.support.pages import nb
from visits.models import Booth, Route, Visit
from visits.services.rooms import booth_assign

pytestmark = pytest.mark.browser


def test_it_opens_an_emergency_from_a_booth_card_and_shows_it_on_the_floor_board(
    page, browser, live_server, cast, shot
):
    open_all_day()
    waiting("ODBO1985M", cast["reception"])
    visit = Visit.objects.get(client__code="ODBO1985M")
    booth_assign(
        visit=visit,
        booth=Booth.objects.get(label="2"),
        route=Route.objects.filter(enabled=True).first(),
        substance=visit.substance,
        by=cast["health"],
    )

    # The duty officer watches the floor board on another computer.
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        duty = other.new_page()
        login(duty, live_server, "duty")
        duty.goto(f"{live_server.url}/floor/")
        expect(booth_card(duty, "2")).to_contain_text("ODBO1985M")

        login(page, live_server, "health")
        page.goto(f"{live_server.url}/injection/")
        booth_card(page, "2").get_by_test_id("open-emergency").click()
        page.wait_for_url(f"{live_server.url}/health/emergencies/*/")
        expect(page.get_by_test_id("emergency-header")).to_contain_text("ODBO1985M")
        folder = shot("emergency-page").parent

        strip = duty.get_by_test_id("board-emergencies")
        expect(strip).to_contain_text("ODBO1985M", timeout=12_000)
        expect(strip).to_contain_text(nb("Booth"))
        timer = strip.locator("[data-since]")
        before = timer.inner_text()
        # It ticks every second; under a busy machine allow a few seconds for the next tick.
        duty.wait_for_function(
            "before => document.querySelector('[data-testid=board-emergencies] [data-since]').textContent !== before",
            arg=before,
            timeout=6_000,
        )
        expect(booth_card(duty, "2")).to_contain_text(nb("Emergency in progress"))
        duty.screenshot(path=str(folder / "02-duty-floor-board.png"), full_page=True)
    finally:
        other.close()
    assert Emergency.objects.get(client__code="ODBO1985M").place == Emergency.Place.BOOTH

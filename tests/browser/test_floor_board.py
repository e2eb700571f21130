"""The floor board in real Chromium: another staff member's action shows up without a reload, and timers tick."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import booth_card, login, open_all_day, waiting
from tests.support.pages import nb

pytestmark = pytest.mark.browser


def test_it_shows_another_staff_members_booth_assignment_without_a_reload_and_ticks(
    page, browser, live_server, cast, shot
):
    open_all_day()
    waiting("AB1985M", cast["reception"])

    login(page, live_server, "duty")
    page.goto(f"{live_server.url}/floor/")
    expect(page.get_by_test_id("queue")).to_contain_text("AB1985M")
    expect(booth_card(page, "1")).to_contain_text(nb("Free"))
    page.evaluate("window.__sameDocument = true")
    shot("duty-floor-before")

    # A health worker at the injection room's computer assigns the booth.
    other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        nurse = other.new_page()
        login(nurse, live_server, "health")
        nurse.goto(f"{live_server.url}/injection/")
        nurse.get_by_role("button", name=f"{nb('Assign booth')} AB1985M").click()
        expect(nurse.get_by_test_id("board-notice")).to_contain_text("AB1985M")
    finally:
        other.close()

    card = booth_card(page, "1")
    expect(card).to_contain_text("AB1985M", timeout=12_000)
    expect(page.get_by_test_id("queue")).not_to_contain_text("AB1985M")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"

    timer = card.locator("[data-since]")
    before = timer.inner_text()
    page.wait_for_timeout(1_500)
    expect(timer).not_to_have_text(before)  # ticking in the browser, between the board's refreshes
    expect(card.locator("[data-status-text]")).to_have_text(nb("Running"))
    shot("duty-floor-after")


def test_it_keeps_what_is_typed_the_open_section_and_the_focus_when_the_board_redraws(page, live_server, cast, shot):
    open_all_day()
    waiting("AB1985M", cast["reception"])
    waiting("CD1985M", cast["reception"])

    login(page, live_server, "duty")
    page.goto(f"{live_server.url}/floor/")
    queue = page.get_by_test_id("queue")
    expect(queue).to_contain_text("CD1985M")
    page.evaluate("window.__sameDocument = true")

    # Half-way through two things: a booth chosen and a check-out note written for one client, a note
    # being typed for the other.
    first = queue.get_by_test_id("person-row").filter(has_text="AB1985M")
    first.get_by_label(nb("Booth")).select_option(label=nb("Booth %(label)s") % {"label": "2"})
    first.locator("details summary").click()
    first.get_by_label(nb("Note on check-out")).fill("Went to the pharmacy")
    second = queue.get_by_test_id("person-row").filter(has_text="CD1985M")
    second.locator("details summary").click()
    typing = second.get_by_label(nb("Note on check-out"))
    typing.click()
    page.keyboard.type("Back at")

    # Someone checks a third client in meanwhile: the board redraws by itself.
    waiting("EF1985M", cast["reception"])
    expect(queue).to_contain_text("EF1985M", timeout=12_000)
    page.keyboard.type(" two")

    expect(typing).to_be_focused()
    expect(typing).to_have_value("Back at two")
    expect(first.get_by_label(nb("Note on check-out"))).to_have_value("Went to the pharmacy")
    expect(first.locator("details")).to_have_attribute("open", "")
    expect(first.get_by_label(nb("Booth"))).to_have_value(
        first.get_by_label(nb("Booth"))
        .locator("option", has_text=nb("Booth %(label)s") % {"label": "2"})
        .get_attribute("value")
    )
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"
    shot("typed-values-kept")

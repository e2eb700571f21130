"""The keyboard in real Chromium: the skip links, "/" to the code search, the arrow keys in its matches,
and where the focus lands after a check-in, a booth assignment and an error."""

from __future__ import annotations

import re

import pytest
from django.utils.translation import ngettext, override
from playwright.sync_api import expect

from tests.support.browser import booth_card, login, open_all_day, waiting
from tests.support.factories import BanFactory, ClientFactory
from tests.support.pages import nb

pytestmark = pytest.mark.browser


def test_it_skips_to_the_main_content_from_the_top_of_every_page(page, live_server, cast, facility):
    login(page, live_server, "coordinator")
    page.goto(f"{live_server.url}/reports/dashboard/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=nb("Skip to main content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_it_skips_to_the_booths_on_the_injection_board(page, live_server, cast):
    open_all_day()
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=nb("Skip to the queue"))).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name=nb("Skip to the booths"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#booths-heading")).to_be_focused()


def test_it_focuses_the_code_search_with_slash_but_not_while_typing(page, live_server, cast, facility, shot):
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    search = page.locator("#client-search")
    page.get_by_test_id("keys-help").locator("summary").click()  # the focus is away from the search
    expect(search).not_to_be_focused()
    shot("keys-help-open")
    page.keyboard.press("/")
    expect(search).to_be_focused()
    page.keyboard.type("ab/1")
    expect(search).to_have_value("ab/1")  # typed into the field, not taken as a shortcut

    # The keys help turns the single-key shortcut off (WCAG 2.1.4), for this browser.
    page.get_by_label(nb("Single-key shortcuts (/) on")).uncheck()
    page.reload()
    page.get_by_test_id("keys-help").locator("summary").click()
    page.keyboard.press("/")
    expect(search).not_to_be_focused()


def test_it_moves_through_the_matches_with_the_arrow_keys_and_opens_one_with_enter(page, live_server, cast, facility):
    clients = [ClientFactory(code=code) for code in ("ARRO1981M", "ARRO1982K", "ARRO1983M")]
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    page.keyboard.type("arro")
    with override("nb"):
        found = ngettext(
            "%(counter)s client found. The arrow keys move through the list.",
            "%(counter)s clients found. The arrow keys move through the list.",
            3,
        )
    expect(page.get_by_test_id("result-count")).to_have_text(found % {"counter": 3})
    matches = page.locator("#search-results a[data-result]")
    expect(matches).to_have_count(3)

    page.keyboard.press("ArrowDown")
    expect(matches.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # stays on the last
    expect(matches.nth(2)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(matches.nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#client-search")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.press("ArrowUp")
    with page.expect_navigation(url=re.compile(rf"/clients/{clients[1].pk}/$")):
        page.keyboard.press("Enter")
    expect(page.get_by_test_id("client-code")).to_have_text("ARRO1982K")


def test_it_puts_the_cursor_back_in_the_search_after_a_check_in(page, live_server, cast):
    open_all_day()
    client = ClientFactory(code="BACK1984M")
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    with page.expect_navigation(url=re.compile(r"/reception/$")):
        page.get_by_role("button", name=nb("Check in"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("BACK1984M")
    expect(page.locator("#client-search")).to_be_focused()


def test_it_focuses_the_reason_when_a_check_in_is_refused(page, live_server, cast):
    open_all_day()
    client = ClientFactory(code="BANF1980K")
    BanFactory(client=client, created_by=cast["duty"], reason="Truet personalet")
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    with page.expect_navigation(url=re.compile(rf"/clients/{client.pk}/$")):
        page.get_by_role("button", name=nb("Check in"), exact=True).click()
    blockers = page.get_by_test_id("blockers")
    expect(blockers).to_have_attribute("role", "alert")
    expect(blockers).to_be_focused()


def test_it_focuses_the_booths_next_action_after_assigning_it(page, live_server, cast):
    open_all_day()
    waiting("FOCU1985M", cast["reception"])
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    page.get_by_role("button", name=f"{nb('Assign booth')} FOCU1985M").click()
    expect(page.get_by_test_id("board-notice")).to_contain_text("FOCU1985M")
    end = booth_card(page, "1").get_by_role("button", name=f"{nb('End: to observation')} FOCU1985M")
    expect(end).to_be_focused()

    # Ended: the focus is on the booth, free again for the next client.
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("board-notice")).to_contain_text(
        nb("%(code)s is in the observation room.") % {"code": "FOCU1985M"}
    )
    expect(booth_card(page, "1")).to_contain_text(nb("Free"))
    expect(booth_card(page, "1").locator("h3")).to_be_focused()


def test_it_focuses_the_error_when_the_booth_was_taken_meanwhile(page, live_server, cast):
    open_all_day()
    waiting("FIRS1985M", cast["reception"])
    waiting("SECO1985M", cast["reception"])
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    first, second = (
        page.locator("form.assign-form", has=page.get_by_role("button", name=re.compile(code)))
        for code in ("FIRS1985M", "SECO1985M")
    )
    booth = page.locator("[data-testid=booth-card] h3").first.inner_text()
    first.get_by_label(nb("Booth")).select_option(label=booth)
    second.get_by_label(nb("Booth")).select_option(label=booth)
    first.get_by_role("button").click()
    expect(page.get_by_test_id("board-notice")).to_contain_text("FIRS1985M")

    second.get_by_role("button").click()
    error = page.get_by_test_id("board-error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_be_focused()


def test_it_keeps_the_focus_on_a_heading_when_the_board_redraws(page, live_server, cast):
    open_all_day()
    waiting("HEAD1985M", cast["reception"])
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    page.get_by_role("button", name=f"{nb('Assign booth')} HEAD1985M").click()
    end = booth_card(page, "1").get_by_role("button", name=f"{nb('End: to observation')} HEAD1985M")
    expect(end).to_be_focused()
    end.press("Enter")
    heading = booth_card(page, "1").locator("h3")
    expect(heading).to_be_focused()

    waiting("NEXT1985M", cast["reception"])  # the board changes under the focus
    page.evaluate("htmx.trigger(document.querySelector('[data-board]'), 'board-refresh')")
    expect(page.get_by_test_id("queue")).to_contain_text("NEXT1985M")
    expect(heading).to_be_focused()

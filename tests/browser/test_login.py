"""Logging in at a station computer and switching the interface to English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.pages import nb

pytestmark = pytest.mark.browser


def test_it_logs_reception_in_to_its_station_in_norwegian_and_switches_to_english(page, live_server, cast, shot):
    login(page, live_server, "reception")
    shot("reception-in-norwegian")

    assert page.url == f"{live_server.url}/reception/"
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator('nav a[aria-current="page"]')).to_have_attribute("href", "/reception/")
    # nb() asks the bokmål catalogue, as the page does: "Logg ut" (Django's own catalogue has it).
    expect(page.get_by_role("button", name=nb("Log out"), exact=True)).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="English", exact=True).click()
    shot("reception-in-english")

    assert page.url == f"{live_server.url}/reception/"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out", exact=True)).to_be_visible()

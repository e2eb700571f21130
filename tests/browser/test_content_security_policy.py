"""Each station page under the real Content-Security-Policy in Chromium: no violation in the console,
the scripts work (htmx swaps a board, the idle warning counts down and "Stay logged in" pings)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from health.models import Emergency
from tests.support.browser import login

pytestmark = pytest.mark.browser

STATIONS = {
    "reception": ["/reception/", "/clients/{client}/", "/interview/clients/{client}/timeline/"],
    "counselor": ["/interview/", "/interview/referrals/", "/interview/sessions/new/?client={client}"],
    "health": ["/health/", "/injection/", "/observation/", "/health/clients/{client}/", "/health/stock/"],
    "duty": ["/floor/", "/handovers/", "/handovers/new/", "/incidents/", "/incidents/new/", "/emergency/"],
    "coordinator": ["/dashboard/", "/reports/", "/roster/", "/access-log/", "/access-log/clients/{client}/"],
}


def violations_while_visiting(page, live_server, urls: list[str]) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda msg: found.append(f"{page.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    for url in urls:
        response = page.goto(f"{live_server.url}{url}")
        assert response.status < 500, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    return found


@pytest.mark.parametrize("role", list(STATIONS))
def test_the_station_pages_run_without_a_policy_violation(page, live_server, cast, history, role):
    emergency = Emergency.objects.filter(client=history).first()
    urls = [
        url.format(client=history.pk).replace("/emergency/", f"/health/emergencies/{emergency.pk}/")
        for url in STATIONS[role]
    ]
    login(page, live_server, role)

    assert violations_while_visiting(page, live_server, urls) == []


def test_the_board_still_refreshes_through_htmx(page, live_server, cast, history):
    login(page, live_server, "duty")
    page.goto(f"{live_server.url}/floor/")
    board = page.locator("[data-board]").first
    expect(board).to_be_visible()

    with page.expect_response(lambda r: "/floor/board/" in r.url):
        page.evaluate("htmx.trigger(document.querySelector('[data-board]'), 'board-refresh')")

    expect(page.locator("[data-board]").first).to_be_visible()


@override_settings(IDLE_TIMEOUT_MINUTES=2)
def test_the_idle_warning_counts_down_and_stay_logged_in_pings(page, live_server, cast):
    page.clock.install()
    login(page, live_server, "reception")
    warning = page.get_by_test_id("idle-warning")
    expect(warning).to_be_hidden()

    page.clock.run_for(61_000)
    expect(warning).to_be_visible()

    with page.expect_response(lambda r: "/session/ping/" in r.url and r.status == 200):
        warning.get_by_role("button").click()
    expect(warning).to_be_hidden()

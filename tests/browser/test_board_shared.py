"""A board drawn by its poll is the same bytes for everyone: its forms still post, and its polls go on.

The board a poll brings has no CSRF token in its forms (htmx sends it in a header, from base.html) and
no poll token in its URL (the answer gives it in a header, which timers.js sends back with the next poll).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.browser import login, open_all_day, waiting
from tests.support.pages import nb
from visits.models import Visit

pytestmark = pytest.mark.browser


def _board_poll(response) -> bool:
    return "/floor/board/" in response.url and response.request.method == "GET"


def test_a_form_of_a_board_drawn_by_its_poll_posts_and_the_board_polls_on(page, live_server, cast, shot):
    open_all_day()
    waiting("AB1985M", cast["reception"])
    login(page, live_server, "duty")
    page.goto(f"{live_server.url}/floor/")
    expect(page.get_by_test_id("queue")).to_contain_text("AB1985M")

    # Someone at reception checks another client in: the board's poll brings the board drawn for all.
    with page.expect_response(lambda r: _board_poll(r) and r.status == 200, timeout=12_000) as drawn:
        waiting("CD1980K", cast["reception"])
    assert drawn.value.header_value("x-board-token")
    expect(page.get_by_test_id("queue")).to_contain_text("CD1980K")
    assert page.locator("#board input[name=csrfmiddlewaretoken]").count() == 0
    shot("board-drawn-for-all")

    # Its form posts (the CSRF token in htmx's header), and the board shows the move.
    page.get_by_role("button", name=f"{nb('To interview')} CD1980K").click()
    expect(page.get_by_test_id("board-notice")).to_contain_text("CD1980K")
    expect(page.get_by_test_id("interview")).to_contain_text("CD1980K")
    assert Visit.objects.get(client__code="CD1980K").location == Visit.Location.INTERVIEW

    # The next polls carry the token the last answer gave, and hear "no change" while nothing changes.
    with page.expect_response(lambda r: _board_poll(r) and r.status == 204, timeout=12_000) as unchanged:
        pass
    assert unchanged.value.request.header_value("x-board-token")
    shot("board-after-the-move")

"""The floor board at a glance in real Chromium: a full floor (six booths taken, four in observation, three
waiting, an open emergency, every banner a busy afternoon brings) fits one screen on a desktop at 1280x800
and on a tablet held upright at 800x1280, no scrolling; and on a tablet every control is big enough for a
finger (44x44 px, WCAG 2.5.5).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.scenes.full_floor import IN_BOOTHS, OBSERVED, WAITING, build_full_floor

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 800, "height": 1280}
FINGER = 44  # px, the smallest target a finger hits reliably


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not drawn"
    return box


def _inside(box: dict, size: dict) -> bool:
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"] + 0.5
        and box["y"] + box["height"] <= size["height"] + 0.5
    )


def _full_floor_on(page, live_server, cast, size: dict):
    build_full_floor(cast)
    page.set_viewport_size(size)
    login(page, live_server, "duty")
    page.goto(f"{live_server.url}/floor/")
    board = page.locator("#board")
    for code in (*IN_BOOTHS, *OBSERVED, *WAITING):
        expect(board).to_contain_text(code)
    # The emergency: the alarm at the top of every page, and on a wide screen the board's own line too.
    expect(page.get_by_test_id("alarm")).to_be_visible()
    if size["width"] >= 992:
        expect(page.get_by_test_id("board-emergencies")).to_be_visible()
    # The browser blocks the alarm's sound until someone clicks: a person at the board clicks "allow".
    unblock = page.get_by_test_id("alarm-unblock")
    expect(unblock).to_be_visible()
    unblock.click()
    expect(unblock).to_be_hidden()
    return board


@pytest.mark.parametrize("size", [DESKTOP, TABLET], ids=["desktop", "tablet"])
def test_it_shows_a_full_floor_on_one_screen(page, live_server, cast, shot, size):
    _full_floor_on(page, live_server, cast, size)
    for banner in ("understaffed", "unread-handovers", "closing-banner", "board-stock", "left-open", "overdue-checks"):
        expect(page.get_by_test_id(banner)).to_be_visible()
    shot("full-floor")

    scroll = page.evaluate("document.documentElement.scrollTop")
    assert scroll == 0
    booths = page.get_by_test_id("booth-card")
    expect(booths).to_have_count(6)
    observations = page.get_by_test_id("observation-card")
    expect(observations).to_have_count(len(OBSERVED))
    section = page.locator("section[aria-labelledby=observation-heading]")
    boxes = {
        "alarm": _box(page.get_by_test_id("alarm")),
        "observation room": _box(section),
        **{f"booth {n + 1}": _box(booths.nth(n)) for n in range(6)},
        **{f"observed {n + 1}": _box(observations.nth(n)) for n in range(len(OBSERVED))},
    }
    if size["width"] >= 992:
        boxes["emergency on the board"] = _box(page.get_by_test_id("board-emergencies"))
    print(size, {name: (round(b["y"]), round(b["y"] + b["height"])) for name, b in boxes.items()})
    outside = {name: box for name, box in boxes.items() if not _inside(box, size)}
    assert not outside, f"outside the {size['width']}x{size['height']} screen: {outside}"


# A checkbox is hit through its label, which wraps it: the label is the target measured.
_TARGET = "e => (e.type === 'checkbox' || e.type === 'radio') && e.closest('label') ? e.closest('label') : e"


def _too_small(controls) -> list:
    small = []
    for control in controls.all():
        if not control.is_visible():
            continue
        box = control.evaluate_handle(_TARGET).as_element().bounding_box()
        if box["width"] < FINGER - 0.5 or box["height"] < FINGER - 0.5:
            small.append((control.evaluate("e => e.outerHTML.slice(0, 90)"), round(box["width"]), round(box["height"])))
    return small


def test_it_gives_every_control_on_the_board_a_finger_sized_target_on_a_tablet(page, live_server, cast, shot):
    board = _full_floor_on(page, live_server, cast, TABLET)
    # The folded parts open as a finger would open them, so that what is inside is measured too.
    for summary in board.locator("details > summary").all():
        summary.click()
    shot("every-fold-open")
    controls = board.locator("button, a, input:not([type=hidden]), select, textarea, summary")
    assert controls.count() > 100  # every card's and row's actions, opened
    assert not _too_small(controls)


# Each station as the role that works there; a busy floor so that the boards carry every kind of control.
STATIONS = [
    ("reception", "visits:reception"),
    ("counselor", "counseling:interview"),
    ("health", "health:room"),
    ("health", "visits:injection"),
    ("health", "visits:observation"),
    ("duty", "visits:floor"),
]


@pytest.mark.parametrize(("username", "url_name"), STATIONS, ids=[name for _, name in STATIONS])
def test_it_gives_every_action_on_a_station_a_finger_sized_target_on_a_tablet(
    page, live_server, cast, shot, username, url_name
):
    build_full_floor(cast)
    page.set_viewport_size(TABLET)
    login(page, live_server, username)
    page.goto(f"{live_server.url}{reverse(url_name)}")
    unblock = page.get_by_test_id("alarm-unblock")
    expect(unblock).to_be_visible()
    unblock.click()
    for summary in page.locator("main details > summary").all():
        if summary.is_visible():
            summary.click()
    shot(url_name.split(":")[1])
    # The page's controls and those drawn as buttons in the bars above it (the menu button, the alarm's).
    controls = page.locator(
        "main :is(button, a.btn, input:not([type=hidden]), select, textarea, summary), "
        "body > nav button, [data-testid=alarm] :is(button, a), [data-testid=unread-handovers] a"
    )
    assert controls.count() > 5
    assert not _too_small(controls)

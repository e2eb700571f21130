"""Two health workers at two computers give the last free booth at the same moment, on whichever database
the run uses (SQLite, the default, or PostgreSQL with DATABASE_URL): one client gets the booth, the other
station is told that no booth is free, and neither sees an error page. A write that waited too long for
another station's is told "the database is busy, try again" above the board, and the next try works.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from staff.roles import Role
from tests.support.browser import login
from tests.support.cast import make_user
from tests.support.pages import nb
from tests.support.races import another_station_writing
from tests.support.rooms import checked_in, in_booth
from visits.models import Booth, BoothSession, OpeningHours, OpeningHoursPeriod, Visit

pytestmark = pytest.mark.browser

# Both pages click at this many milliseconds from now, by the same clock (one Chromium, two contexts).
CLICK_IN_MS = 400
CLICK_AT = """([code, at]) => {
  const button = [...document.querySelectorAll("form.assign-form button")].find((b) => b.textContent.includes(code));
  window.setTimeout(() => button.click(), Math.max(0, at - Date.now()));
}"""


def _open_all_day() -> None:
    # The test runs on the real clock, so the facility admits at any hour of the day for it.
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def test_it_gives_the_last_booth_to_one_of_two_stations_clicking_at_once_and_tells_the_other(
    page, browser, live_server, cast, shot
):
    _open_all_day()
    now = timezone.now()
    booths = list(Booth.objects.filter(active=True).order_by("pk").values_list("label", flat=True))
    occupants = [letter * 2 + "1980M" for letter in "ABCDEHJKLMNPRSTUVWXYZ"]
    for code, label in zip(occupants, booths[:-1], strict=False):
        in_booth(code, cast["health"], label=label, now=now)
    waiting = [checked_in("FF1980M", cast["reception"], now=now), checked_in("GG1980M", cast["reception"], now=now)]
    make_user("health2", Role.HEALTH)

    other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        second = other.new_page()
        stations = [(page, "health", "FF1980M"), (second, "health2", "GG1980M")]
        statuses: list[int] = []
        for station, username, code in stations:
            station.on("response", lambda r: statuses.append(r.status) if "/assign-booth/" in r.url else None)
            login(station, live_server, username)
            station.goto(f"{live_server.url}/injection/")
            expect(station.get_by_role("button", name=f"{nb('Assign booth')} {code}")).to_be_visible()

        at = int(time.time() * 1000) + CLICK_IN_MS
        for station, _username, code in stations:
            station.evaluate(CLICK_AT, [code, at])

        for station, _username, _code in stations:
            expect(station.locator("#board-messages [role]")).to_be_visible()
        shot("first-station")
        messages = {code: station.locator("#board-messages").inner_text().strip() for station, _u, code in stations}
    finally:
        other.close()

    assert len(statuses) == 2 and all(status < 500 for status in statuses), statuses
    winner = BoothSession.objects.get(visit__in=waiting, ended_at__isnull=True)
    loser = next(visit for visit in waiting if visit.pk != winner.visit_id)
    assert winner.booth.label == booths[-1]
    assert Visit.objects.get(pk=loser.pk).location == Visit.Location.QUEUE
    won = nb("%(code)s is in %(booth)s.") % {"code": winner.visit.client.code, "booth": winner.booth}
    assert messages[winner.visit.client.code] == won
    assert messages[loser.client.code] == nb("No booth is free. The client stays in the queue.")


def test_it_says_the_database_is_busy_above_the_board_and_the_next_try_assigns_the_booth(
    page, live_server, cast, monkeypatch
):
    # The live server keeps a browser's connection open, and with it its database connection: here each
    # request opens its own, so that the short wait set below applies to the click.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    _open_all_day()
    checked_in("FF1980M", cast["reception"], now=timezone.now())
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    assign = page.get_by_role("button", name=f"{nb('Assign booth')} FF1980M")

    with another_station_writing():
        assign.click()
        expect(page.get_by_test_id("database-busy")).to_have_text(
            nb(
                "The database is busy: several stations saved at the same moment. "
                "Nothing from the last action was saved. Try again."
            )
        )
    assign.click()

    expect(page.get_by_test_id("board-notice")).to_contain_text("FF1980M")
    assert BoothSession.objects.filter(visit__client__code="FF1980M", ended_at__isnull=True).count() == 1

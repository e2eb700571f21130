"""Wall displays: the floor board all day on a registered screen, read-only and without a staff login.

The secret link is shown once and only its hash is stored; a revoked display, or one used from outside
its address range, gets a clear 403 page, on the next full request and on its polls within a minute.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from health.services import emergency_open
from staff.displays import DISPLAY_COOKIE
from staff.models import Display
from staff.models.displays import token_hash
from staff.services.displays import display_create, displays_revoke
from tests.support.pages import marked_text, nb, text_of
from tests.support.rooms import checked_in, in_booth
from tests.support.time import NOON_2024 as NOON

pytestmark = pytest.mark.django_db
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def counted_at_once():
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS floor_changed IMMEDIATE")


@pytest.fixture
def clock(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def _display(cast, **fields) -> tuple[Display, str]:
    display = Display(name=fields.pop("name", "Staff room"), **fields)
    token = display_create(display=display, by=cast["admin"])
    return display, token


@pytest.fixture
def wall(cast, clock):
    return _display(cast)


def board_url(html: str) -> str:
    return re.search(r'data-board [^>]*hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


def alarm_url(html: str) -> str:
    return re.search(r'data-alarm-region [^>]*hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


def opened(client, token: str):
    """The screen opens its link once; it lands on the board with the token in a cookie."""
    response = client.get(f"/display/{token}/")
    assert response.status_code == 302 and response["Location"] == "/display/"
    return client


def test_it_stores_only_the_tokens_hash(wall):
    display, token = wall

    stored = Display.objects.values()[0]

    assert token not in str(stored)
    assert stored["token_hash"] == token_hash(token)
    assert len(token) >= 40


def test_it_shows_the_board_without_a_login(client, cast, wall):
    _display_row, token = wall
    checked_in("WALL1985M", cast["reception"])

    response = opened(client, token).get("/display/")

    assert response.status_code == 200
    assert "WALL1985M" in marked_text(response.content, "queue")
    assert "Staff room" in marked_text(response.content, "display-name")
    assert 'name="password"' not in response.content.decode()


def test_it_keeps_the_token_out_of_the_address_bar_in_an_httponly_cookie(client, wall):
    _display_row, token = wall

    response = client.get(f"/display/{token}/")

    cookie = response.cookies[DISPLAY_COOKIE]
    assert cookie.value == token and cookie["httponly"]


def test_it_shows_no_clinical_detail_and_no_forms(client, cast, wall):
    _display_row, token = wall
    session = in_booth("WALL1985M", cast["health"], label="2")
    checked_in("QUEU1990K", cast["reception"])
    emergency_open(client=session.visit.client, by=cast["health"])

    html = opened(client, token).get("/display/").content.decode()

    substance = session.substance.label
    assert "WALL1985M" in html and "QUEU1990K" in html
    assert substance not in text_of(html)
    assert session.route.label not in text_of(html)
    assert "<form" not in html
    assert 'data-testid="alarm"' in html  # the emergency banner, for all to see
    assert 'data-testid="alarm-answer"' not in html
    assert 'data-testid="alarm-silence"' not in html  # it sounds until someone answers at a station
    assert "/health/emergencies/" not in html  # no link to the record


def test_it_shows_the_board_read_only_even_in_a_browser_where_staff_is_logged_in(client, cast, wall):
    _display_row, token = wall
    checked_in("WALL1985M", cast["reception"])
    client.force_login(cast["duty"])

    html = opened(client, token).get("/display/").content.decode()

    assert "<form" not in html
    assert 'data-testid="current-user"' not in html


def test_it_never_creates_a_staff_session(client, cast, wall):
    _display_row, token = wall
    in_booth("WALL1985M", cast["health"])

    display = opened(client, token)
    url = board_url(display.get("/display/").content.decode())
    display.get(url, HTTP_HX_REQUEST="true")

    assert not Session.objects.exists()
    assert settings.SESSION_COOKIE_NAME not in display.cookies


def test_it_refuses_a_revoked_display_with_a_clear_page(client, cast, wall):
    display_row, token = wall
    display = opened(client, token)

    displays_revoke(displays=Display.objects.filter(pk=display_row.pk), by=cast["admin"])
    response = display.get("/display/")

    assert response.status_code == 403
    assert nb("This display has been revoked by an administrator.") in text_of(response.content)
    assert client.get(f"/display/{token}/").status_code == 403


def test_a_revoked_displays_polls_stop_within_a_minute(client, cast, wall, clock):
    display_row, token = wall
    in_booth("WALL1985M", cast["health"])
    display = opened(client, token)
    html = display.get("/display/").content.decode()
    board, alarm = board_url(html), alarm_url(html)

    displays_revoke(displays=Display.objects.filter(pk=display_row.pk), by=cast["admin"])
    # Nothing on the floor changed: within the minute the polls may still hear "no change"...
    assert display.get(board, HTTP_HX_REQUEST="true").status_code in (204, 403)
    clock.shift(dt.timedelta(seconds=61))

    # ...and then go the whole way, and are refused.
    assert display.get(board, HTTP_HX_REQUEST="true").status_code == 403
    assert display.get(alarm, HTTP_HX_REQUEST="true").status_code == 403


def test_it_refuses_an_address_outside_the_displays_range(client, cast, clock):
    _display_row, token = _display(cast, allowed_network="10.20.0.0/24")

    inside = client.get(f"/display/{token}/", REMOTE_ADDR="10.20.0.7")
    outside = client.get("/display/", REMOTE_ADDR="192.168.1.9")

    assert inside.status_code == 302
    assert outside.status_code == 403
    assert "192.168.1.9" in text_of(outside.content)
    assert client.get("/display/", REMOTE_ADDR="10.20.0.8").status_code == 200


def test_it_rejects_an_address_range_that_is_not_one(cast, clock):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _display(cast, allowed_network="10.20.0.0/33")


@pytest.mark.parametrize(
    "path",
    [
        "/display/",
        "/display/board/",
        "/display/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/",
        "/health/alarm/display/",
    ],
)
def test_it_refuses_a_screen_without_a_valid_token_with_a_page(client, wall, path):
    client.cookies[DISPLAY_COOKIE] = "not-a-token"

    response = client.get(path)

    assert response.status_code == 403
    assert nb("This screen is not registered as a display, or its link is no longer valid.") in text_of(
        response.content
    )


@pytest.mark.parametrize("path", ["/display/x/", "/display/%00/", "/display/" + "A" * 300 + "/", "/display/a/b/"])
def test_an_odd_display_address_is_a_page_not_an_error(client, wall, path):
    response = client.get(path)

    assert response.status_code in (403, 404)
    assert "<html" in response.content.decode()


def test_its_poll_answers_no_change_in_one_query(client, cast, wall):
    _display_row, token = wall
    in_booth("WALL1985M", cast["health"])
    display = opened(client, token)
    html = display.get("/display/").content.decode()

    for url in (board_url(html), alarm_url(html)):
        with CaptureQueriesContext(connection) as queries:
            assert display.get(url, HTTP_HX_REQUEST="true").status_code == 204
        assert len(queries.captured_queries) == 1


def test_its_poll_brings_the_board_and_the_banner_after_a_change(client, cast, wall):
    _display_row, token = wall
    session = in_booth("WALL1985M", cast["health"])
    display = opened(client, token)
    html = display.get("/display/").content.decode()

    emergency_open(client=session.visit.client, by=cast["health"])
    board = display.get(board_url(html), HTTP_HX_REQUEST="true")
    alarm = display.get(alarm_url(html), HTTP_HX_REQUEST="true")

    assert board.status_code == 200 and "board-emergencies" in board.content.decode()
    assert alarm.status_code == 200 and "WALL1985M" in marked_text(alarm.content, "alarm")


def test_it_stays_on_all_day_without_an_idle_timeout(client, cast, wall, clock, settings):
    settings.IDLE_TIMEOUT_MINUTES = 15
    _display_row, token = wall
    display = opened(client, token)

    clock.shift(dt.timedelta(hours=9))

    assert display.get("/display/").status_code == 200


def test_it_notes_when_and_where_it_was_last_seen_at_most_every_30_seconds(client, wall, clock):
    display_row, token = wall
    display = opened(client, token)
    display.get("/display/")
    first = Display.objects.get(pk=display_row.pk).last_seen_at
    assert first == NOON

    clock.shift(dt.timedelta(seconds=10))
    display.get("/display/")
    assert Display.objects.get(pk=display_row.pk).last_seen_at == first

    clock.shift(dt.timedelta(seconds=25))
    display.get("/display/")
    seen = Display.objects.get(pk=display_row.pk)
    assert seen.last_seen_at == NOON + dt.timedelta(seconds=35)
    assert seen.last_address == "127.0.0.1"


def test_it_logs_the_displays_requests(client, wall, caplog):
    _display_row, token = wall
    display = opened(client, token)

    with caplog.at_level(logging.INFO, logger="staff.displays"):
        display.get("/display/")

    assert any("Staff room" in r.getMessage() and "/display/" in r.getMessage() for r in caplog.records)


# The admin ----------------------------------------------------------------------------------------------


def test_an_administrator_creates_a_display_and_sees_its_link_once(client, cast, clock):
    client.force_login(cast["admin"])

    response = client.post("/admin/staff/display/add/", {"name": "Corridor", "allowed_network": ""})

    assert response.status_code == 200
    url = re.search(r'value="(http[^"]+/display/[^"]+/)"', response.content.decode()).group(1)
    display = Display.objects.get(name="Corridor")
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert display.token_hash == token_hash(token) and display.created_by == cast["admin"]
    assert token not in client.get(f"/admin/staff/display/{display.pk}/change/").content.decode()
    assert token not in client.get("/admin/staff/display/").content.decode()


def test_an_administrator_revokes_displays_in_the_admin(client, cast, wall):
    display_row, _token = wall
    client.force_login(cast["admin"])

    client.post(
        "/admin/staff/display/",
        {"action": "revoke", "_selected_action": [display_row.pk]},
    )

    display_row.refresh_from_db()
    assert display_row.revoked_at == NOON and display_row.revoked_by == cast["admin"]


def test_the_admin_refuses_a_bad_address_range(client, cast, clock):
    client.force_login(cast["admin"])

    response = client.post("/admin/staff/display/add/", {"name": "Corridor", "allowed_network": "not a range"})

    assert response.status_code == 200
    assert not Display.objects.exists()
    assert "errornote" in response.content.decode()


def test_displays_are_for_administrators_only(client, cast, clock):
    client.force_login(cast["duty"])

    assert client.get("/admin/staff/display/add/").status_code in (302, 403)

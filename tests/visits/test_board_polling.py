"""A board's poll answers "no change" when the floor is as the board last showed it, and the board otherwise.

The database raises the floor's version with every change to a live table (triggers); the settings'
token and the minute are part of it too.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duty.services.roster import shift_create
from health.services import emergency_open
from tests.support.factories import booth, heroin, injection
from tests.support.rooms import checked_in, in_booth
from tests.support.time import NOON_2024 as NOON
from visits.models import EquipmentItem, Route
from visits.services.rooms import booth_assign
from visits.services.stock import stock_deliver

pytestmark = pytest.mark.django_db
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
WATCHED = [
    "visits_visit",
    "visits_boothsession",
    "visits_observation",
    "visits_observationcheck",
    "visits_stockbalance",
    "health_emergency",
    "health_intervention",
    "health_emergencyresponder",
    "duty_shift",
    "duty_shiftassignment",
]


@pytest.fixture(autouse=True)
def counted_at_once():
    """On PostgreSQL the counter is raised at commit, and a test never commits: raise it at once here."""
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS floor_changed IMMEDIATE")


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def board_url(html: str) -> str:
    """Where the board asks for its next refresh, as htmx reads it from the page."""
    return re.search(r'data-board [^>]*hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


def poll(http, url: str, token: str = ""):
    """A poll as htmx sends it: a board drawn with its page has its token in its URL; a board its poll
    drew (the same bytes for everyone) got it in a header, and sends it back in one."""
    headers = {"HTTP_X_BOARD_TOKEN": token} if token else {}
    return http.get(url, HTTP_HX_REQUEST="true", **headers)


def test_it_answers_no_change_when_nothing_changed(client_for, cast, clock):
    in_booth("AB1985M", cast["health"])
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    response = poll(duty, url)

    assert response.status_code == 204
    assert response.content == b""


def test_it_sends_the_board_after_a_change_with_the_change_on_it(client_for, cast, clock):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    checked_in("CD1980K", cast["reception"])
    response = poll(duty, url)

    assert response.status_code == 200
    assert "CD1980K" in response.content.decode()
    assert response["X-Board-Token"] not in url
    assert poll(duty, "/floor/board/", response["X-Board-Token"]).status_code == 204


def test_each_kind_of_change_makes_the_board_redraw(client_for, cast, clock):
    visit = checked_in("AB1985M", cast["reception"])
    duty = client_for("duty")
    changes = [
        lambda: booth_assign(visit=visit, booth=booth("2"), route=injection(), substance=heroin(), by=cast["health"]),
        lambda: emergency_open(client=visit.client, by=cast["health"]),
        lambda: stock_deliver(item=EquipmentItem.objects.first(), quantity=10, by=cast["health"]),
        lambda: shift_create(
            starts_at=NOON + dt.timedelta(hours=1),
            ends_at=NOON + dt.timedelta(hours=5),
            duty_officer=cast["duty"],
            members=[],
            by=cast["coordinator"],
        ),
    ]
    for change in changes:
        token = poll(duty, "/floor/board/")["X-Board-Token"]
        change()
        assert poll(duty, "/floor/board/", token).status_code == 200, change


def test_a_change_of_a_setting_makes_the_board_redraw(client_for, cast, clock):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    route = Route.objects.filter(enabled=True).first()
    route.booth_time_limit_minutes += 5
    route.save()

    assert poll(duty, url).status_code == 200


def test_it_redraws_the_board_at_least_once_a_minute(client_for, cast, clock):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    clock.shift(dt.timedelta(seconds=61))

    assert poll(duty, url).status_code == 200


def test_no_change_costs_one_query(client_for, cast, clock):
    in_booth("AB1985M", cast["health"])
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    with CaptureQueriesContext(connection) as queries:
        assert poll(duty, url).status_code == 204

    # The version only: a board's token stands for the session and user checked when it was drawn.
    assert len(queries.captured_queries) == 1


def test_a_board_whose_token_was_tampered_with_is_drawn_again(client_for, cast, clock):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())

    response = poll(duty, url.replace("v=", "v=1"))

    assert response.status_code == 200
    assert "data-board" in response.content.decode()


def test_a_token_is_good_only_with_the_session_it_was_drawn_for(client_for, cast, clock, client):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())
    duty.logout()  # the station's session ends; the board still polls with its token

    response = poll(duty, url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_session_that_ended_gets_the_login_page_within_the_minute(client_for, cast, clock):
    duty = client_for("duty")
    url = board_url(duty.get("/floor/").content.decode())
    session = duty.session
    session.flush()  # ended on the server (idle timeout, or logged out elsewhere); the cookie stays

    clock.shift(dt.timedelta(seconds=61))
    response = poll(duty, url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_every_live_table_raises_the_counter():
    """A schema change that rebuilds a table (SQLite does, to alter one) must not lose its trigger."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'floor_changed'")
            tables = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'floor_changed_%'")
            tables = {row[0] for row in cursor.fetchall()}
    assert tables == set(WATCHED)

"""A board's poll draws it once per floor version and variant, and every board that asks gets those bytes.

The variant is the board, what the person may see (clinical detail, their permissions) and the
language; the floor version holds the counter the database raises with each change, the settings and
the minute. Nothing of one person's is in the bytes: the CSRF token goes in a header (htmx, from
base.html), the poll token and the server's clock come in headers of the answer.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from audit.models import AccessLogEntry
from staff.models import Display
from staff.roles import Role
from staff.services.displays import display_create
from tests.support.cast import make_user
from tests.support.pages import form_values
from tests.support.rooms import checked_in, in_booth
from tests.support.time import NOON_2024 as NOON
from visits.templatetags.room_timers import iso

pytestmark = pytest.mark.django_db
DRAWING_TABLES = ("visits_visit", "visits_boothsession", "visits_observation", "health_emergency")


@pytest.fixture
def clock():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def logged_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def poll(http: HttpClient, url: str = "/floor/board/"):
    return http.get(url, HTTP_HX_REQUEST="true")


def drawing_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read what the board shows (not the session, user, version or access log)."""
    return [q["sql"] for q in queries.captured_queries if any(f'"{t}"' in q["sql"] for t in DRAWING_TABLES)]


def test_two_people_with_the_same_roles_get_the_same_bytes_drawn_once(cast, clock):
    in_booth("AB1985M", cast["health"])
    first = logged_in(make_user("hilde", Role.HEALTH))
    second = logged_in(make_user("henrik", Role.HEALTH))
    poll(second, "/injection/")  # the session and permissions read, as on a board that is open

    drawn = poll(first)
    with CaptureQueriesContext(connection) as queries:
        served = poll(second)

    assert drawn.status_code == served.status_code == 200
    assert "AB1985M" in served.content.decode()
    assert served.content == drawn.content
    assert drawing_queries(queries) == []


def test_the_first_poll_after_a_change_draws_the_board_with_the_change(cast, clock):
    duty = logged_in(cast["duty"])
    before = poll(duty)

    checked_in("CD1980K", cast["reception"])
    with CaptureQueriesContext(connection) as queries:
        after = poll(duty)

    assert "CD1980K" not in before.content.decode()
    assert "CD1980K" in after.content.decode()
    assert drawing_queries(queries) != []


def test_a_new_minute_draws_the_board_again(cast, clock):
    duty = logged_in(cast["duty"])
    poll(duty)

    clock.shift(dt.timedelta(seconds=61))
    with CaptureQueriesContext(connection) as queries:
        poll(duty)

    assert drawing_queries(queries) != []


def test_other_roles_get_their_own_board(cast, clock):
    checked_in("CD1980K", cast["reception"])
    in_booth("AB1985M", cast["health"])

    health = poll(logged_in(cast["health"])).content.decode()
    reception = poll(logged_in(cast["reception"])).content.decode()

    # Health staff record checks and see what was used; reception sees where everyone is.
    assert health != reception
    assert 'class="check-form' in health
    assert 'class="check-form' not in reception


def test_another_language_gets_its_own_board(cast, clock):
    checked_in("CD1980K", cast["reception"])
    norwegian = logged_in(make_user("nina", Role.DUTY, language="nb"))
    english = logged_in(make_user("emma", Role.DUTY, language="en"))

    in_norwegian = poll(norwegian).content.decode()
    in_english = poll(english).content.decode()

    assert "Reception queue" in in_english
    assert "Kø i mottaket" in in_norwegian
    assert "Reception queue" not in in_norwegian


def test_nothing_of_the_persons_is_in_the_bytes(cast, clock):
    checked_in("CD1980K", cast["reception"])
    in_booth("AB1985M", cast["health"])
    health = logged_in(make_user("hilde", Role.HEALTH))
    page = health.get("/floor/").content.decode()
    csrf = health.cookies["csrftoken"].value if "csrftoken" in health.cookies else ""

    response = poll(health)
    html = response.content.decode()

    assert "<form" in html
    assert "csrfmiddlewaretoken" not in html
    assert "hilde" not in html
    assert health.session.session_key not in html
    assert response["X-Board-Token"] not in html
    assert 'hx-get="/floor/board/"' in html
    assert not csrf or csrf not in html
    # The page drawn whole keeps the token in each form, for a browser without JavaScript.
    assert "csrfmiddlewaretoken" in page


def test_the_answer_carries_the_next_polls_token_and_the_servers_clock(cast, clock):
    duty = logged_in(cast["duty"])

    response = poll(duty)

    assert response["X-Server-Now"] == iso(NOON)
    again = duty.get("/floor/board/", HTTP_HX_REQUEST="true", HTTP_X_BOARD_TOKEN=response["X-Board-Token"])
    assert again.status_code == 204


def test_another_sessions_token_is_not_good_for_this_one(cast, clock):
    first = logged_in(make_user("dina", Role.DUTY))
    second = logged_in(make_user("dag", Role.DUTY))
    token = poll(first)["X-Board-Token"]

    response = second.get("/floor/board/", HTTP_HX_REQUEST="true", HTTP_X_BOARD_TOKEN=token)

    assert response.status_code == 200


def test_each_person_shown_a_clients_clinical_detail_is_in_the_access_log(cast, clock):
    session = in_booth("AB1985M", cast["health"])
    hilde, henrik = make_user("hilde", Role.HEALTH), make_user("henrik", Role.HEALTH)

    poll(logged_in(hilde))
    poll(logged_in(henrik))  # served the board drawn for hilde

    logged = AccessLogEntry.objects.filter(client=session.visit.client, kind=AccessLogEntry.Kind.ROOM_BOARD)
    assert set(logged.values_list("user__username", flat=True)) == {"hilde", "henrik"}


def test_a_form_from_the_polled_board_posts_with_the_header_token(cast, clock):
    visit = checked_in("CD1980K", cast["reception"])
    health = HttpClient(enforce_csrf_checks=True)
    health.force_login(cast["health"])
    page = health.get("/floor/").content.decode()
    header = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    board = poll(health).content.decode()
    action = f"/visits/{visit.pk}/move/"
    values = {**form_values(board, action), "to": "interview"}

    refused = health.post(action, values, HTTP_HX_REQUEST="true")
    moved = health.post(action, values, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=header)

    assert refused.status_code == 403
    assert moved.status_code == 200
    visit.refresh_from_db()
    assert visit.location == "interview"


def test_a_form_of_the_page_posts_without_javascript(cast, clock):
    visit = checked_in("CD1980K", cast["reception"])
    health = HttpClient(enforce_csrf_checks=True)
    health.force_login(cast["health"])
    page = health.get("/floor/").content.decode()
    action = f"/visits/{visit.pk}/move/"

    response = health.post(action, {**form_values(page, action), "to": "interview"})

    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.location == "interview"


def test_a_wall_display_gets_the_board_without_forms(cast, clock, client):
    checked_in("CD1980K", cast["reception"])
    token = display_create(display=Display(name="Staff room"), by=cast["admin"])
    client.get(f"/display/{token}/")

    response = client.get("/display/board/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "CD1980K" in response.content.decode()
    assert "<form" not in response.content.decode()
    assert response["X-Board-Token"]

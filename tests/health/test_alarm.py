"""The alarm on every page: an open emergency shows in red at the top of every station page of every role,
polled like a board (204 in one query while nothing changed); "I am on it" once per person, shown to all."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import override

from health.models import Emergency, EmergencyResponder
from health.services import emergency_answer, emergency_close, emergency_open
from staff.navigation import stations_for
from tests.support.pages import marked_text, marked_texts, nb
from tests.support.rooms import in_booth
from tests.support.time import NOON_2024 as NOON

pytestmark = pytest.mark.django_db
POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def counted_at_once():
    """On PostgreSQL the floor's counter is raised at commit, and a test never commits: at once here."""
    if POSTGRES:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS floor_changed IMMEDIATE")


def _pages_of(user) -> list[str]:
    """Every station page the user may open (the admin has its own look, without the banner), and My shifts."""
    return [station.url for station in stations_for(user) if station.slug != "admin"] + ["/my-shifts/"]


def alarm_url(html: str) -> str:
    return re.search(r'data-alarm-region [^>]*hx-get="([^"]+)"', html).group(1).replace("&amp;", "&")


def poll(http, url: str):
    return http.get(url, HTTP_HX_REQUEST="true")


@pytest.fixture
def overdose(at_noon, cast):
    """A client overdosing in booth 2, the emergency opened by the health worker."""
    session = in_booth("ALRM1985M", cast["health"], label="2")
    emergency, _created = emergency_open(client=session.visit.client, by=cast["health"])
    return emergency


ROLES = ["reception", "counselor", "health", "duty", "coordinator", "admin", "norole"]


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_banner_on_every_page_of_every_role(client_for, cast, overdose, role):
    http = client_for(role)
    for url in _pages_of(cast[role]):
        response = http.get(url)
        assert response.status_code == 200, url
        banner = marked_text(response.content.decode(), "alarm")
        assert "ALRM1985M" in banner, url
        assert nb("Booth") in banner and "2" in banner, url
        assert nb("since %(time)s") % {"time": "12:00:00"} in banner, url


def test_it_shows_no_banner_before_an_emergency_or_after_it_is_closed(client_for, cast, overdose):
    reception = client_for("reception")
    emergency_close(emergency=overdose, outcome=Emergency.Outcome.RECOVERED, by=cast["health"])

    html = reception.get("/reception/").content.decode()

    assert 'data-testid="alarm"' not in html
    assert "data-alarm-region" in html  # still polling for the next one


def test_it_shows_no_banner_to_an_anonymous_visitor(client, overdose):
    html = client.get("/login/").content.decode()

    assert "data-alarm-region" not in html
    assert "ALRM1985M" not in html


def test_it_says_unknown_person_when_nobody_knows_who(client_for, cast, at_noon):
    Emergency.objects.create(client=None, place=Emergency.Place.OUTSIDE, started_at=NOON, started_by=cast["reception"])

    banner = marked_text(client_for("reception").get("/reception/").content.decode(), "alarm")

    assert nb("Unknown person") in banner
    assert nb("Outside the entrance") in banner


def test_it_links_the_record_only_for_those_who_may_read_it(client_for, overdose):
    record = f'href="/health/emergencies/{overdose.pk}/"'

    assert record in client_for("health").get("/injection/").content.decode()
    assert record not in client_for("reception").get("/reception/").content.decode()


def test_it_records_i_am_on_it_once_per_person(cast, overdose):
    first, created = emergency_answer(emergency=overdose, by=cast["duty"], now=NOON + dt.timedelta(seconds=20))
    again, created_again = emergency_answer(emergency=overdose, by=cast["duty"], now=NOON + dt.timedelta(seconds=40))

    assert created and not created_again
    assert again.pk == first.pk
    assert list(EmergencyResponder.objects.values_list("by__username", "at")) == [
        ("duty", NOON + dt.timedelta(seconds=20))
    ]


def test_it_refuses_an_answer_to_a_closed_emergency(cast, overdose):
    emergency_close(emergency=overdose, outcome=Emergency.Outcome.RECOVERED, by=cast["health"])

    with pytest.raises(ValidationError) as refused:
        emergency_answer(emergency=overdose, by=cast["duty"])
    assert refused.value.code == "closed"
    assert not EmergencyResponder.objects.exists()


def test_i_am_on_it_from_the_banner_shows_who_answered_to_everyone(client_for, cast, overdose, client):
    reception = client_for("reception")
    response = reception.post(f"/health/emergencies/{overdose.pk}/answer/", {"next": "/reception/"})
    assert response.status_code == 302 and response["Location"] == "/reception/"
    reception.post(f"/health/emergencies/{overdose.pk}/answer/", {"next": "/reception/"})  # a double click

    client.logout()
    duty = client_for("duty")
    floor = duty.get("/floor/").content.decode()

    assert EmergencyResponder.objects.filter(emergency=overdose).count() == 1
    responders = marked_text(floor, "alarm-responders")
    assert nb("On it:") in responders and "reception" in responders and "12:00:00" in responders
    assert 'data-alarm="answered"' in floor
    assert "reception" in marked_text(floor, "strip-responders")


def test_i_am_on_it_with_htmx_answers_with_the_banner(client_for, overdose):
    response = client_for("health").post(f"/health/emergencies/{overdose.pk}/answer/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "data-alarm-region" in html and 'data-alarm="answered"' in html
    assert 'data-testid="alarm-answer"' not in html  # answered already: no second button for them


def test_the_banner_sounds_until_someone_answers(client_for, cast, overdose):
    html = client_for("reception").get("/reception/").content.decode()

    assert 'data-alarm="sounding"' in html
    assert nb("Nobody has answered yet.") in marked_text(html, "alarm-responders")
    assert "audio/alarm.wav" in html


def test_answering_is_for_those_who_may_raise_an_emergency(client_for, overdose):
    response = client_for("coordinator").post(f"/health/emergencies/{overdose.pk}/answer/")

    assert response.status_code == 403
    assert 'data-testid="alarm-answer"' not in client_for("coordinator").get("/dashboard/").content.decode()


def test_answering_an_emergency_that_does_not_exist_is_a_404_page(client_for, at_noon):
    response = client_for("duty").post("/health/emergencies/999999/answer/")

    assert response.status_code == 404


# The poll ---------------------------------------------------------------------------------------------


def test_its_poll_answers_no_change_in_one_query_while_nothing_changed(client_for, cast, overdose):
    reception = client_for("reception")
    url = alarm_url(reception.get("/reception/").content.decode())

    with CaptureQueriesContext(connection) as queries:
        response = poll(reception, url)

    assert response.status_code == 204
    assert len(queries.captured_queries) == 1


def test_its_poll_brings_the_banner_when_an_emergency_opens(client_for, cast, at_noon):
    session = in_booth("ALRM1985M", cast["health"], label="2")
    reception = client_for("reception")
    url = alarm_url(reception.get("/reception/").content.decode())
    assert poll(reception, url).status_code == 204

    emergency_open(client=session.visit.client, by=cast["health"])
    response = poll(reception, url)

    assert response.status_code == 200
    assert "ALRM1985M" in marked_text(response.content.decode(), "alarm")
    assert alarm_url(response.content.decode()) != url


def test_its_poll_brings_who_answered(client_for, cast, overdose):
    reception = client_for("reception")
    url = alarm_url(reception.get("/reception/").content.decode())

    emergency_answer(emergency=overdose, by=cast["duty"])
    response = poll(reception, url)

    assert response.status_code == 200
    assert "duty" in marked_text(response.content.decode(), "alarm-responders")


def test_its_poll_is_not_activity_for_the_idle_timeout(client_for, overdose, settings):
    settings.IDLE_TIMEOUT_MINUTES = 15
    reception = client_for("reception")
    url = alarm_url(reception.get("/reception/").content.decode())
    started = reception.session["last_activity"]

    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        poll(reception, f"{url}x")  # a spoilt token goes the whole way

    assert reception.session["last_activity"] == started


def test_its_poll_sends_a_logged_out_station_to_the_login_page(client_for, overdose):
    reception = client_for("reception")
    url = alarm_url(reception.get("/reception/").content.decode())
    reception.logout()

    response = poll(reception, url)

    assert response.status_code == 302 and response["Location"].startswith("/login/")


# What it costs a page ---------------------------------------------------------------------------------


def _banner_queries(http, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert http.get(url).status_code == 200
    # The facility row every request reads carries whether an emergency is open: not the banner's own.
    return [
        q["sql"]
        for q in queries.captured_queries
        if "health_emergency" in q["sql"] and "visits_facility" not in q["sql"]
    ]


def test_the_banner_costs_a_page_no_query_of_its_own_without_an_emergency(client_for, at_noon):
    reception = client_for("reception")
    reception.get("/reception/")

    with CaptureQueriesContext(connection) as queries:
        reception.get("/reception/")

    sql = [q["sql"] for q in queries.captured_queries]
    assert [s for s in sql if "health_emergency" in s and "visits_facility" not in s] == []
    # Whether one is open, and the version the banner polls with, ride with the facility row.
    facility = [s for s in sql if "visits_facility" in s]
    assert len(facility) == 1 and "health_emergency" in facility[0] and "visits_floorstate" in facility[0]


def test_the_banner_costs_two_queries_with_emergencies_open(client_for, cast, overdose):
    emergency_answer(emergency=overdose, by=cast["duty"])
    reception = client_for("reception")

    banner = _banner_queries(reception, "/reception/")

    assert len(banner) == 2  # the emergencies with client and booth; who answered, with their names


def test_the_banner_costs_no_query_on_the_next_page_while_the_floor_is_unchanged(client_for, cast, overdose):
    emergency_answer(emergency=overdose, by=cast["duty"])
    reception = client_for("reception")
    reception.get("/reception/")

    banner = _banner_queries(reception, "/reception/")
    html = reception.get("/reception/").content.decode()

    assert banner == []
    assert "ALRM1985M" in marked_text(html, "alarm") and "duty" in marked_text(html, "alarm-responders")


def test_the_banner_kept_counts_the_time_since_the_emergency_began_on_each_page(client_for, overdose, at_noon):
    reception = client_for("reception")
    reception.get("/reception/")
    at_noon.shift(dt.timedelta(seconds=42))  # the same minute, the floor unchanged

    html = reception.get("/reception/").content.decode()

    assert "0:42" in marked_text(html, "alarm")


def test_the_next_page_shows_an_emergency_opened_after_the_page_before(client_for, cast, overdose):
    session = in_booth("SNDR1990K", cast["health"], label="3")
    reception = client_for("reception")
    reception.get("/reception/")

    emergency_open(client=session.visit.client, by=cast["health"])
    html = reception.get("/reception/").content.decode()

    assert [("ALRM1985M" in text, "SNDR1990K" in text) for text in marked_texts(html, "alarm")] == [
        (True, False),
        (False, True),
    ]


def test_the_next_page_shows_who_answered_after_the_page_before(client_for, cast, overdose):
    reception = client_for("reception")
    assert nb("Nobody has answered yet.") in marked_text(reception.get("/reception/").content, "alarm-responders")

    emergency_answer(emergency=overdose, by=cast["duty"])
    html = reception.get("/reception/").content.decode()

    assert "duty" in marked_text(html, "alarm-responders")
    assert nb("Nobody has answered yet.") not in marked_text(html, "alarm-responders")


def test_the_next_page_shows_no_alarm_for_an_emergency_closed_after_the_page_before(client_for, cast, overdose):
    reception = client_for("reception")
    assert "ALRM1985M" in marked_text(reception.get("/reception/").content, "alarm")

    emergency_close(emergency=overdose, outcome=Emergency.Outcome.RECOVERED, by=cast["health"])
    html = reception.get("/reception/").content.decode()

    assert 'data-testid="alarm"' not in html


def test_the_banner_speaks_the_users_language(client_for, cast, overdose):
    cast["reception"].language = "en"
    cast["reception"].save()

    banner = marked_text(client_for("reception").get("/reception/").content.decode(), "alarm")

    assert "EMERGENCY" in banner and "Nobody has answered yet." in banner and "I am on it" in banner
    with override("nb"):
        assert nb("Nobody has answered yet.") != "Nobody has answered yet."  # bokmål has its own words


# The health room: its list of open emergencies and the banner above it, from one read --------------------


def _reads_of(sql: list[str], table: str) -> list[int]:
    """Where in ``sql`` the queries reading ``table`` itself are (not in a subquery of another's, aliased U0)."""
    return [n for n, query in enumerate(sql) if re.search(rf'FROM "{table}"(?! U\d)', query)]


def _health_room(http) -> tuple[str, list[str]]:
    http.get("/health/")  # the session, permissions and settings are kept from here on
    with CaptureQueriesContext(connection) as queries:
        response = http.get("/health/")
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in queries.captured_queries]


def test_the_health_room_shows_the_banner_and_its_emergencies_from_one_read(client_for, cast, overdose):
    health = client_for("health")
    health.get("/health/")  # the session, permissions and settings are kept from here on
    emergency_answer(emergency=overdose, by=cast["duty"])  # a change on the floor: the emergencies read again

    with CaptureQueriesContext(connection) as queries:
        html = health.get("/health/").content.decode()
    sql = [q["sql"] for q in queries.captured_queries]

    assert "ALRM1985M" in marked_text(html, "alarm") and "duty" in marked_text(html, "alarm-responders")
    assert ["ALRM1985M" in text for text in marked_texts(html, "open-emergency")] == [True]
    emergencies, responders = _reads_of(sql, "health_emergency"), _reads_of(sql, "health_emergencyresponder")
    assert len(emergencies) == 1 and len(responders) == 1, "\n".join(sql)
    # The facility row, with the floor's counter the banner polls with, is read before the emergencies.
    assert _reads_of(sql, "visits_facility")[0] < emergencies[0]
    # The session, the user, the facility row; the open emergencies and who answered; the clients in the
    # room, today's services, the stock's alerts. Who is on duty for the header is kept from the first page.
    assert len(sql) == 8, "\n".join(sql)


def test_the_health_room_reads_no_emergency_on_the_next_page_while_the_floor_is_unchanged(client_for, cast, overdose):
    emergency_answer(emergency=overdose, by=cast["duty"])

    html, sql = _health_room(client_for("health"))

    assert "ALRM1985M" in marked_text(html, "alarm") and "duty" in marked_text(html, "alarm-responders")
    assert ["ALRM1985M" in text for text in marked_texts(html, "open-emergency")] == [True]
    assert _reads_of(sql, "health_emergency") == [] and _reads_of(sql, "health_emergencyresponder") == []
    assert len(sql) == 6, "\n".join(sql)


def test_the_health_room_reads_no_emergency_while_none_is_open(client_for, at_noon):
    html, sql = _health_room(client_for("health"))

    assert 'data-testid="alarm"' not in html
    assert nb("No open emergency.") in html
    assert _reads_of(sql, "health_emergency") == [] and _reads_of(sql, "health_emergencyresponder") == []
    assert len(sql) == 6, "\n".join(sql)


def test_the_health_room_lists_an_emergency_opened_since_it_was_last_drawn(client_for, cast, at_noon):
    health = client_for("health")
    health.get("/health/")
    session = in_booth("ALRM1985M", cast["health"], label="2")
    emergency_open(client=session.visit.client, by=cast["health"])

    html = health.get("/health/").content.decode()

    assert "ALRM1985M" in marked_text(html, "alarm")
    assert ["ALRM1985M" in text for text in marked_texts(html, "open-emergency")] == [True]

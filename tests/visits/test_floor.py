"""The live floor board: everyone's place and timer, in a constant number of queries and a small page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from health.services import emergency_open
from tests.support.factories import heroin, injection
from tests.support.pages import booth_card, marked_text, observation_card, section, t
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Booth, BoothSession, Client, Observation, ObservationCheck, Visit, VisitEvent
from visits.selectors.floor import floor_kept
from visits.services.rooms import observation_check_record, visit_move

pytestmark = pytest.mark.django_db
NOW = NOON + dt.timedelta(minutes=20)
CODES = [
    f"{a}{b}19{n:02d}M"
    for n, (a, b) in enumerate(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "QRSTUVWXYZABCDEFGHIJKLMNOP", strict=True))
]


def _busy_floor(cast, *, in_queue=2, in_booths=3, observed=2) -> None:
    codes = iter(CODES)
    for number in range(1, in_booths + 1):
        in_booth(next(codes), cast["health"], label=str(number))
    for _ in range(observed):
        observation = in_observation(next(codes), cast["health"], label=str(in_booths + 1))
        observation_check_record(visit=observation.visit, state="drowsy", by=cast["health"], now=NOW)
    for _ in range(in_queue):
        checked_in(next(codes), cast["reception"])
    visit_move(visit=checked_in(next(codes), cast["reception"]), to="health", by=cast["health"], now=NOON)
    visit_move(visit=checked_in(next(codes), cast["reception"]), to="interview", by=cast["reception"], now=NOON)


def _past_visits(count: int, by) -> None:
    """``count`` closed visits of a month ago, each with a booth session, an observation and checks."""
    if not Client.objects.filter(code__startswith="PAST").exists():
        Client.objects.bulk_create(
            Client(
                code=f"PAST{chr(65 + n // 26)}{chr(65 + n % 26)}1980K",
                birth_year=1980,
                gender=Client.Gender.WOMAN,
                status=Client.Status.ACTIVE,
                registered_at=NOON - dt.timedelta(days=60),
                registered_by=by,
            )
            for n in range(60)
        )
    clients = list(Client.objects.filter(code__startswith="PAST"))
    start = NOON - dt.timedelta(days=30)
    substance, route, booths = heroin(), injection(), list(Booth.objects.order_by("label"))
    visits = Visit.objects.bulk_create(
        Visit(
            client=clients[n % len(clients)],
            checked_in_at=start + dt.timedelta(minutes=n),
            checked_in_by=by,
            location=Visit.Location.GONE,
            location_since=start + dt.timedelta(minutes=n + 50),
            ended_at=start + dt.timedelta(minutes=n + 50),
            ended_by=by,
            duration_seconds=3000,
            substance=substance,
        )
        for n in range(count)
    )
    sessions = BoothSession.objects.bulk_create(
        BoothSession(
            visit=visit,
            booth=booths[n % len(booths)],
            route=route,
            substance=substance,
            started_at=visit.checked_in_at,
            started_by=by,
            time_limit_minutes=30,
            ended_at=visit.checked_in_at + dt.timedelta(minutes=20),
            ended_by=by,
            outcome="observation",
            duration_seconds=1200,
        )
        for n, visit in enumerate(visits)
    )
    observations = Observation.objects.bulk_create(
        Observation(
            visit=session.visit,
            booth_session=session,
            started_at=session.ended_at,
            started_by=by,
            min_minutes=15,
            ended_at=session.ended_at + dt.timedelta(minutes=20),
            released_by=by,
            released_to="gone",
            duration_seconds=1200,
        )
        for session in sessions
    )
    ObservationCheck.objects.bulk_create(
        ObservationCheck(
            visit=o.visit,
            observation=o,
            at=o.started_at,
            by=by,
            state="unresponsive" if n % 50 == 0 else "alert",
            flagged=n % 50 == 0,
        )
        for n, o in enumerate(observations)
    )
    VisitEvent.objects.bulk_create(
        VisitEvent(visit=visit, kind=kind, at=visit.checked_in_at, by=by)
        for visit in visits
        for kind in (VisitEvent.Kind.CHECKED_IN, VisitEvent.Kind.BOOTH_STARTED, VisitEvent.Kind.CHECKED_OUT)
    )


def _queries(client, url: str) -> int:
    """The queries of drawing ``url``: a board kept from an earlier poll is drawn again, from the database."""
    cache.clear()
    floor_kept.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_it_costs_the_same_queries_with_ten_or_two_thousand_past_visits(client_for, cast):
    _busy_floor(cast)
    duty = client_for("duty")
    _past_visits(10, cast["health"])
    duty.get("/floor/board/")  # warm the session and permission caches alike for both counts
    with_ten = _queries(duty, "/floor/board/")

    _past_visits(1_990, cast["health"])
    assert Visit.objects.count() == 2_000 + 9
    with_two_thousand = _queries(duty, "/floor/board/")

    assert with_ten == with_two_thousand
    # Session, user and permissions, the floor's version, the facility; the people inside (with their
    # flagged checks of the last days), their checks and recent emergencies, the booths and observation;
    # stock alerts and who is on duty. The settings (booths, routes, hours) come from the process's memory
    # once read.
    assert with_ten <= 11, with_ten


@time_machine.travel(NOW, tick=False)
def test_its_page_costs_at_most_ten_queries_with_an_emergency_open_and_the_floor_unchanged(client_for, cast):
    _busy_floor(cast)
    emergency_open(client=Client.objects.get(code=CODES[0]), by=cast["health"])
    duty = client_for("duty")
    duty.get("/floor/")  # the session, permissions, settings, open emergencies and stock kept from here on

    with CaptureQueriesContext(connection) as queries:
        response = duty.get("/floor/")

    assert CODES[0] in marked_text(response.content, "alarm")
    assert len(queries) <= 10, "\n".join(q["sql"] for q in queries.captured_queries)


@time_machine.travel(NOW, tick=False)
def test_it_costs_the_same_queries_on_the_injection_and_observation_pages_whatever_the_history(client_for, cast):
    _busy_floor(cast)
    health = client_for("health")
    _past_visits(10, cast["health"])
    # Warm the caches alike; a board's first drawing for a person also writes its access entries.
    health.get("/injection/board/")
    health.get("/observation/board/")
    before = (_queries(health, "/injection/board/"), _queries(health, "/observation/board/"))
    _past_visits(2_000, cast["health"])
    assert (_queries(health, "/injection/board/"), _queries(health, "/observation/board/")) == before


@time_machine.travel(NOW, tick=False)
def test_it_stays_small_with_every_booth_taken_and_ten_in_observation(client_for, cast):
    codes = iter(CODES)
    for _ in range(10):
        in_observation(next(codes), cast["health"], label="1")
    for number in range(1, 7):
        in_booth(next(codes), cast["health"], label=str(number))
    for _ in range(4):
        checked_in(next(codes), cast["reception"])
    response = client_for("duty").get("/floor/board/")
    html = response.content.decode()
    assert html.count('data-testid="observation-card"') == 10
    assert html.count("data-deadline=") == 6
    # 82 KB: the board's forms carry ids (about 1 KB here) so that the morph swap matches each form to
    # the same client's form after a refresh, and a focused button or a half-typed note never moves to
    # another client's card; the cards say which timer they are (booth or observation) for the labels.
    assert len(response.content) < 82_000, len(response.content)


@time_machine.travel(NOW, tick=False)
def test_it_shows_every_room_and_booth_with_who_is_where(client_for, cast):
    _busy_floor(cast)
    html = client_for("counselor").get("/floor/").content.decode()
    assert CODES[5] in section(html, "queue") and CODES[6] in section(html, "queue")
    assert CODES[7] in section(html, "health")
    assert CODES[8] in section(html, "interview")
    assert CODES[0] in booth_card(html, "1")
    assert t("Free") in booth_card(html, "6")
    assert "20:00" in booth_card(html, "1")  # elapsed since noon
    assert t("%(time)s left", time="10:00") in booth_card(html, "1")
    assert "10:00" in observation_card(html, CODES[3])


@time_machine.travel(NOW, tick=False)
def test_it_gives_the_browser_the_timestamps_and_the_servers_time(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1")
    html = client_for("health").get("/floor/").content.decode()
    assert 'data-server-now="2024-03-05T11:20:00.000Z"' in html
    card = booth_card(html, "1")
    assert 'data-since="2024-03-05T11:00:00.000Z"' in card
    assert 'data-deadline="2024-03-05T11:30:00.000Z"' in card
    assert 'data-due-soon="2024-03-05T11:25:00.000Z"' in card


@time_machine.travel(NOW, tick=False)
def test_it_refreshes_itself_from_the_server_every_few_seconds(client_for, cast):
    html = client_for("reception").get("/floor/").content.decode()
    assert re.search(r'hx-get="/floor/board/\?v=[^"]+" hx-trigger="every 5s', html)
    assert '<script src="/static/js/timers.js"' in html


@pytest.mark.parametrize("url", ["/floor/", "/injection/", "/observation/"])
def test_it_has_no_inline_script(client_for, cast, url):
    html = client_for("duty").get(url).content.decode()
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))
    assert not re.search(r"\son[a-z]+=", html)  # no onclick= and the like


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty"])
def test_it_shows_the_floor_board_to_every_floor_role(client_for, cast, role):
    assert client_for(role).get("/floor/board/").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "norole"])
def test_it_forbids_the_floor_board_to_those_off_the_floor(client_for, cast, role):
    assert client_for(role).get("/floor/board/").status_code == 403


@pytest.mark.parametrize("role", ["reception", "counselor"])
def test_it_keeps_the_injection_room_to_health_workers_and_duty_officers(client_for, cast, role):
    assert client_for(role).get("/injection/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_it_shows_reception_no_booth_actions(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1")
    checked_in("CD1980K", cast["reception"])
    html = client_for("reception").get("/floor/").content.decode()
    assert "assign-booth" not in html and "/end/" not in html
    assert "/check-out/" in html


@time_machine.travel(NOW, tick=False)
def test_it_keeps_what_was_used_and_the_checks_from_reception(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="1")
    observation_check_record(visit=session.visit, state="drowsy", note="nodding off", by=cast["health"])
    card = booth_card(client_for("reception").get("/floor/").content.decode(), "1")
    assert "AB1985M" in card
    assert session.route.label not in card and "nodding off" not in card


@time_machine.travel(NOW, tick=False)
def test_it_shows_health_workers_what_was_used_and_the_last_check(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="1")
    observation_check_record(visit=session.visit, state="drowsy", note="nodding off", by=cast["health"])
    card = booth_card(client_for("health").get("/floor/").content.decode(), "1")
    assert session.route.label in card and "nodding off" in card


@time_machine.travel(NOW, tick=False)
def test_each_card_s_forms_act_on_its_own_visit(client_for, cast):
    """The forms repeated on every card are drawn once per page and stamped for each visit."""
    first = in_booth("AB1985M", cast["health"], label="1")
    second = in_booth("CD1980K", cast["health"], label="2")
    waiting = [checked_in(code, cast["reception"]) for code in ("EF1975K", "GH1990M")]
    html = client_for("health").get("/injection/").content.decode()

    for label, session in (("1", first), ("2", second)):
        card = booth_card(html, label)
        code = session.visit.client.code
        assert f'action="/visits/{session.visit_id}/check/"' in card
        assert f'action="/visits/{session.visit_id}/hand-out/"' in card
        assert f'id="eq-v{session.visit_id}"' in card
        assert t("Record a check on %(code)s", code=code) in card
        other = second if session is first else first
        assert f"/visits/{other.visit_id}/" not in card
    floor = client_for("duty").get("/floor/").content.decode()
    for visit in waiting:
        row = next(part for part in floor.split('data-testid="person-row"')[1:] if visit.client.code in part)
        assert f'action="/visits/{visit.pk}/check-out/"' in row
        assert f'id="co-v{visit.pk}"' in row

"""The waiting room (the queue for a booth) and the observation room against their capacity, on every board."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.pages import marked_text, nb
from tests.support.rooms import checked_in, in_observation
from tests.support.time import NOON
from visits.models import Room

pytestmark = pytest.mark.django_db
CODES = iter(f"{a}{b}1980M" for a in "ABCDEFGH" for b in "KLMNOPQRST")

# Where each board shows the waiting room and the observation room, and who reads it.
WAITING_BOARDS = [("duty", "/floor/board/"), ("health", "/injection/board/"), ("reception", "/reception/")]
OBSERVATION_BOARDS = [("duty", "/floor/board/"), ("health", "/observation/board/"), ("reception", "/reception/")]


def capacity(kind: str, seats: int) -> None:
    room = Room.objects.get(kind=kind)
    room.capacity = seats
    room.save()  # a setting's save tells every process to read the settings again


def queued(cast, count: int) -> None:
    for _ in range(count):
        checked_in(next(CODES), cast["reception"])


def observed(cast, count: int) -> None:
    for _ in range(count):
        in_observation(next(CODES), cast["health"], label="1")


def occupancy(client, url: str, kind: str) -> str:
    with time_machine.travel(NOON, tick=False):
        return marked_text(client.get(url).content, f"{kind}-occupancy")


@pytest.mark.parametrize("role,url", WAITING_BOARDS)
@pytest.mark.parametrize("people", [3, 4])
def test_it_shows_the_waiting_room_against_its_capacity_without_a_warning_up_to_it(client_for, cast, role, url, people):
    queued(cast, people)
    shown = occupancy(client_for(role), url, "waiting")
    assert f"{nb('Waiting room')} {people}/4" in shown
    assert nb("over capacity") not in shown


@pytest.mark.parametrize("role,url", WAITING_BOARDS)
def test_it_warns_with_words_when_the_waiting_room_is_over_capacity(client_for, cast, role, url):
    queued(cast, 5)
    with time_machine.travel(NOON, tick=False):
        html = client_for(role).get(url).content.decode()
    assert marked_text(html, "waiting-occupancy") == f"⚠ {nb('Waiting room')} 5/4 · {nb('over capacity')}"
    assert 'class="badge text-bg-danger" data-testid="waiting-occupancy"' in html


@pytest.mark.parametrize("role,url", OBSERVATION_BOARDS)
@pytest.mark.parametrize("people", [1, 2])
def test_it_shows_the_observation_room_against_its_capacity_up_to_it(client_for, cast, role, url, people):
    capacity(Room.Kind.OBSERVATION, 2)
    observed(cast, people)
    shown = occupancy(client_for(role), url, "observation")
    assert f"{people}/2" in shown
    assert nb("over capacity") not in shown


@pytest.mark.parametrize("role,url", OBSERVATION_BOARDS)
def test_it_warns_with_words_when_the_observation_room_is_over_capacity(client_for, cast, role, url):
    capacity(Room.Kind.OBSERVATION, 2)
    observed(cast, 3)
    with time_machine.travel(NOON, tick=False):
        html = client_for(role).get(url).content.decode()
    assert "3/2" in marked_text(html, "observation-occupancy")
    assert nb("over capacity") in marked_text(html, "observation-occupancy")
    assert 'class="badge text-bg-danger" data-testid="observation-occupancy"' in html


def test_it_reads_a_changed_capacity_at_once(client_for, cast):
    queued(cast, 3)
    duty = client_for("duty")
    assert "3/4" in occupancy(duty, "/floor/board/", "waiting")
    capacity(Room.Kind.WAITING, 2)
    assert nb("over capacity") in occupancy(duty, "/floor/board/", "waiting")


def test_it_shows_the_count_alone_for_a_room_not_in_use(client_for, cast):
    Room.objects.filter(kind=Room.Kind.WAITING).update(active=False)
    queued(cast, 5)
    assert occupancy(client_for("duty"), "/floor/board/", "waiting") == "5"


def test_it_reads_the_capacities_from_the_kept_settings_not_on_every_poll(client_for, cast):
    queued(cast, 5)
    duty = client_for("duty")
    with time_machine.travel(NOON, tick=False):
        duty.get("/floor/board/")  # the settings are read once after a change
        with CaptureQueriesContext(connection) as context:
            duty.get("/floor/board/")
    assert not [query for query in context.captured_queries if 'FROM "visits_room"' in query["sql"]]

"""Checks on time: when the next check on someone in a booth or in observation is due, and who is overdue.

The clock runs from the latest check in the booth session or observation (from its start when there is
none) for the route's check interval, copied when the timer started. Due from the due time, overdue two
minutes later; the overdue are listed at the top of every board, by text as well as colour.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext, override

from tests.support.factories import injection
from tests.support.pages import booth_card, observation_card, t
from tests.support.rooms import in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Observation, ObservationCheck, Route, Visit
from visits.services.rooms import booth_end, observation_check_record

pytestmark = pytest.mark.django_db
MIN = dt.timedelta(minutes=1)
# in_observation() moves the client from the booth to observation ten minutes after noon.
OBSERVED_FROM = NOON + 10 * MIN
BOARDS = ["/floor/", "/injection/", "/observation/"]


def _session(**values) -> BoothSession:
    return BoothSession(pk=1, started_at=NOON, time_limit_minutes=30, check_interval_minutes=5, **values)


def _nb_plural(singular: str, plural: str, n: int) -> str:
    with override("nb"):
        return ngettext(singular, plural, n) % {"n": n}


def _overdue_list(html: str) -> str:
    return html.split('data-testid="overdue-checks"')[1].split("</section>")[0]


# The clock, without the database ---------------------------------------------------------------------


def test_it_is_due_one_interval_after_the_start_when_there_is_no_check():
    assert _session().next_check_due() == NOON + 5 * MIN


@pytest.mark.parametrize(
    ("after", "status"),
    [
        (dt.timedelta(minutes=4, seconds=59), "ok"),
        (5 * MIN, "due"),
        (dt.timedelta(minutes=6, seconds=59), "due"),
        (7 * MIN, "overdue"),
        (60 * MIN, "overdue"),
    ],
)
def test_it_is_ok_then_due_then_overdue_two_minutes_after_the_due_time(after, status):
    assert _session().check_status(NOON + after) == status


def test_it_runs_the_clock_again_from_a_check():
    check = ObservationCheck(booth_session_id=1, at=NOON + 4 * MIN)
    session = _session()
    assert session.next_check_due(check) == NOON + 9 * MIN
    assert session.check_status(NOON + 8 * MIN, check) == "ok"


def test_it_does_not_count_a_check_from_the_booth_once_in_observation():
    in_booth = ObservationCheck(booth_session_id=1, at=NOON + 9 * MIN)
    observation = Observation(pk=2, started_at=OBSERVED_FROM, min_minutes=15, check_interval_minutes=5)
    assert observation.next_check_due(in_booth) == OBSERVED_FROM + 5 * MIN


# The interval, copied when the timer starts -------------------------------------------------------------


def test_it_copies_the_routes_check_interval_when_the_booth_session_starts(cast):
    Route.objects.filter(pk=injection().pk).update(check_interval_minutes=10)
    assert in_booth("AB1985M", cast["health"]).check_interval_minutes == 10


def test_it_copies_the_routes_check_interval_when_observation_starts(cast):
    Route.objects.filter(pk=injection().pk).update(check_interval_minutes=3)
    assert in_observation("AB1985M", cast["health"]).check_interval_minutes == 3


@pytest.mark.parametrize("minutes", [0, 61])
def test_it_refuses_an_interval_outside_one_to_sixty_minutes_in_admin(client_for, cast, minutes):
    route = injection()
    response = client_for("admin").post(
        f"/admin/visits/route/{route.pk}/change/", {**model_to_dict(route), "check_interval_minutes": minutes}
    )
    assert response.status_code == 200  # the form again, with the error
    route.refresh_from_db()
    assert route.check_interval_minutes == 5


def test_it_keeps_the_interval_a_running_booth_session_started_with_after_an_admin_change(client_for, cast):
    with time_machine.travel(NOON, tick=False):
        session = in_booth("AB1985M", cast["health"], label="1")
    route = injection()
    response = client_for("admin").post(
        f"/admin/visits/route/{route.pk}/change/", {**model_to_dict(route), "check_interval_minutes": 2}
    )
    assert response.status_code == 302
    assert Route.objects.get(pk=route.pk).check_interval_minutes == 2

    with time_machine.travel(NOON + 4 * MIN, tick=False):
        card = booth_card(client_for("health").get("/injection/").content.decode(), "1")
    session.refresh_from_db()
    assert session.check_interval_minutes == 5
    assert t("Next check %(due)s (in %(time)s)", due="12:05", time="1:00") in card


# What the boards show -------------------------------------------------------------------------------------


@time_machine.travel(NOON + 2 * MIN, tick=False)
def test_it_shows_on_a_booth_card_when_the_next_check_is_due(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1", now=NOON)
    card = booth_card(client_for("health").get("/injection/").content.decode(), "1")
    assert t("Next check %(due)s (in %(time)s)", due="12:05", time="3:00") in card
    assert 'data-check-due="2024-03-05T11:05:00.000Z"' in card
    assert 'data-check-overdue="2024-03-05T11:07:00.000Z"' in card


@time_machine.travel(NOON + dt.timedelta(minutes=5, seconds=30), tick=False)
def test_it_says_a_check_is_due_in_words_not_by_colour_alone(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1", now=NOON)
    html = client_for("health").get("/injection/").content.decode()
    card = booth_card(html, "1")
    assert t("Check due %(due)s", due="12:05") in card
    assert "check-clock check-due" in card
    assert 'data-testid="overdue-checks"' not in html  # due, not yet overdue


@time_machine.travel(NOON + 8 * MIN, tick=False)
def test_it_says_how_late_an_overdue_check_is(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1", now=NOON)
    card = booth_card(client_for("health").get("/injection/").content.decode(), "1")
    assert "⚠ " + t("Check overdue by %(minutes)s min", minutes=3) in card
    assert "check-clock check-overdue" in card


@time_machine.travel(NOON + 8 * MIN, tick=False)
def test_it_runs_the_clock_again_when_a_check_is_recorded(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="1", now=NOON)
    observation_check_record(visit=session.visit, state="alert", by=cast["health"], now=NOON + 7 * MIN)
    html = client_for("health").get("/injection/").content.decode()
    assert t("Next check %(due)s (in %(time)s)", due="12:12", time="4:00") in booth_card(html, "1")
    assert 'data-testid="overdue-checks"' not in html


@time_machine.travel(OBSERVED_FROM + 6 * MIN, tick=False)
def test_it_runs_the_clock_in_observation_from_its_start_not_from_a_check_in_the_booth(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="1", now=NOON)
    observation_check_record(visit=session.visit, state="alert", by=cast["health"], now=NOON + 9 * MIN)
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=OBSERVED_FROM)
    card = observation_card(client_for("health").get("/observation/").content.decode(), "AB1985M")
    assert t("Check due %(due)s", due="12:15") in card


@pytest.mark.parametrize("url", BOARDS)
@time_machine.travel(NOON + 20 * MIN, tick=False)
def test_it_lists_the_overdue_checks_at_the_top_of_every_board(client_for, cast, url):
    in_booth("AB1985M", cast["health"], label="1", now=NOON + 10 * MIN)  # due 12:15, 5 min late
    in_observation("CD1980K", cast["health"], label="2", now=NOON - 10 * MIN)  # observed from 12:00: due 12:05
    html = client_for("duty").get(url).content.decode()

    listed = _overdue_list(html)
    assert _nb_plural("%(n)s check overdue", "%(n)s checks overdue", 2) in listed
    assert listed.index("CD1980K") < listed.index("AB1985M")  # the longest overdue first
    assert t("Check overdue by %(minutes)s min", minutes=15) in listed
    assert t("Check overdue by %(minutes)s min", minutes=5) in listed
    assert t("Booth %(label)s", label="1") in listed and t("Observation room") in listed
    assert html.index('data-testid="overdue-checks"') < html.index("<article")


@time_machine.travel(NOON + 20 * MIN, tick=False)
def test_it_links_each_overdue_check_to_its_card_on_this_board_or_the_other(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="1", now=NOON + 10 * MIN)
    observation = in_observation("CD1980K", cast["health"], label="2", now=NOON - 10 * MIN)
    health = client_for("health")
    booth_anchor, observation_anchor = f"#booth-{session.booth_id}", f"#obs-{observation.pk}"

    floor = _overdue_list(health.get("/floor/").content.decode())
    assert f'href="{booth_anchor}"' in floor and f'href="{observation_anchor}"' in floor
    injection_board = _overdue_list(health.get("/injection/").content.decode())
    assert (
        f'href="{booth_anchor}"' in injection_board and f'href="/observation/{observation_anchor}"' in injection_board
    )
    observation_board = _overdue_list(health.get("/observation/").content.decode())
    assert f'href="/injection/{booth_anchor}"' in observation_board
    assert f'href="{observation_anchor}"' in observation_board


@time_machine.travel(NOON + 20 * MIN, tick=False)
def test_it_counts_an_overdue_check_among_what_needs_attention(client_for, cast):
    in_observation("CD1980K", cast["health"], label="2", now=NOON - 10 * MIN)
    html = client_for("duty").get("/floor/").content.decode()
    assert _nb_plural("%(n)s needs attention", "%(n)s need attention", 1) in html


@time_machine.travel(NOON, tick=False)
def test_it_gives_the_browser_the_labels_to_tick_the_check_clock(client_for, cast):
    html = client_for("health").get("/injection/").content.decode()
    assert f'data-label-check-ok="{t("Next check %(due)s (in %(time)s)", due="{due}", time="{time}")}"' in html
    assert f'data-label-check-due="{t("Check due %(due)s", due="{due}")}"' in html
    assert f'data-label-check-overdue="⚠ {t("Check overdue by %(minutes)s min", minutes="{minutes}")}"' in html


def _board_queries(http, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert http.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("url", ["/floor/board/", "/injection/board/", "/observation/board/"])
def test_it_costs_no_query_more_with_checks_overdue(client_for, cast, url):
    """The check clocks come from the checks already read for the cards."""
    sessions = [
        in_booth(code, cast["health"], label=label, now=NOON) for label, code in (("1", "AB1985M"), ("2", "CD1980K"))
    ]
    in_observation("EF1975K", cast["health"], label="3", now=NOON)  # observed from 12:10: due 12:15
    for session in sessions:
        observation_check_record(visit=session.visit, state="alert", by=cast["health"], now=NOON + 11 * MIN)
    duty = client_for("duty")
    with time_machine.travel(NOON + 11 * MIN, tick=False):
        assert 'data-testid="overdue-checks"' not in duty.get(url).content.decode()  # and the caches warm
        on_time = _board_queries(duty, url)
    with time_machine.travel(NOON + 40 * MIN, tick=False):
        assert 'data-testid="overdue-checks"' in duty.get(url).content.decode()
        overdue = _board_queries(duty, url)
    assert overdue == on_time

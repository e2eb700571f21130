"""The observation room: the timer against the minimum time, checks, flags, and release."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from health.services import emergency_open
from tests.support.pages import booth_card, observation_card, section, t
from tests.support.races import race
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Observation, ObservationCheck, Visit, VisitEvent
from visits.services.checkin import visit_check_in
from visits.services.rooms import observation_check_record, observation_release, visit_check_out

pytestmark = pytest.mark.django_db
# in_observation() ends the booth session ten minutes after noon; the route's minimum is 15 minutes.
OBSERVED_FROM = NOON + dt.timedelta(minutes=10)
MINIMUM_AT = OBSERVED_FROM + dt.timedelta(minutes=15)


def test_it_observes_until_the_minimum_time():
    observation = Observation(started_at=NOON, min_minutes=15)
    assert observation.get_status(NOON + dt.timedelta(minutes=14, seconds=59)) == "running"


def test_it_has_reached_the_minimum_time_from_then_on():
    observation = Observation(started_at=NOON, min_minutes=15)
    assert observation.get_status(NOON + dt.timedelta(minutes=15)) == "minimum_reached"


def test_it_records_a_check_in_observation(cast):
    observation = in_observation("AB1985M", cast["health"])
    check = observation_check_record(
        visit=observation.visit, state="drowsy", note="slow to answer", by=cast["health"], now=MINIMUM_AT
    )
    assert (check.observation, check.booth_session, check.flagged) == (observation, None, False)
    assert VisitEvent.objects.filter(visit=observation.visit, kind=VisitEvent.Kind.OBSERVATION_CHECK).count() == 1


def test_it_records_a_check_while_the_client_is_in_the_booth(cast):
    session = in_booth("AB1985M", cast["health"])
    check = observation_check_record(visit=session.visit, state="alert", by=cast["health"], now=NOON)
    assert (check.booth_session, check.observation) == (session, None)


@pytest.mark.parametrize("state", ["hard_to_rouse", "unresponsive"])
def test_it_flags_a_client_hard_to_rouse_or_unresponsive(cast, state):
    session = in_booth("AB1985M", cast["health"])
    check = observation_check_record(visit=session.visit, state=state, by=cast["health"], now=NOON)
    assert check.flagged


def test_it_records_a_double_submitted_check_once(cast):
    observation = in_observation("AB1985M", cast["health"])
    for _ in range(2):
        observation_check_record(visit=observation.visit, state="alert", by=cast["health"], now=MINIMUM_AT)
    assert ObservationCheck.objects.filter(visit=observation.visit).count() == 1


def test_it_refuses_a_check_on_a_client_who_is_in_the_queue(cast):
    visit = checked_in("AB1985M", cast["reception"])
    with pytest.raises(ValidationError) as error:
        observation_check_record(visit=visit, state="alert", by=cast["health"], now=NOON)
    assert error.value.code == "not_observed"


def test_it_needs_a_reason_to_release_before_the_minimum_time(cast):
    observation = in_observation("AB1985M", cast["health"])
    with pytest.raises(ValidationError) as error:
        observation_release(observation=observation, by=cast["health"], now=MINIMUM_AT - dt.timedelta(seconds=1))
    assert "12:25" in error.value.messages[0]
    assert Observation.objects.get(pk=observation.pk).ended_at is None


def test_it_records_the_reason_for_an_early_release(cast):
    observation = in_observation("AB1985M", cast["health"])
    observation_release(
        observation=observation,
        by=cast["health"],
        reason="left against advice",
        now=OBSERVED_FROM + dt.timedelta(minutes=3),
    )
    observation.refresh_from_db()
    assert (observation.early_release_reason, observation.duration_seconds) == ("left against advice", 180)
    visit = Visit.objects.get(pk=observation.visit_id)
    assert (visit.location, visit.ended_at) == (Visit.Location.GONE, OBSERVED_FROM + dt.timedelta(minutes=3))


def test_it_releases_without_a_reason_once_the_minimum_is_reached(cast):
    observation = in_observation("AB1985M", cast["health"])
    observation_release(observation=observation, by=cast["health"], now=MINIMUM_AT)
    assert Observation.objects.get(pk=observation.pk).released_by == cast["health"]


def test_it_releases_back_to_the_queue_without_ending_the_visit(cast):
    observation = in_observation("AB1985M", cast["health"])
    observation_release(observation=observation, by=cast["health"], next_location="queue", now=MINIMUM_AT)
    visit = Visit.objects.get(pk=observation.visit_id)
    assert (visit.location, visit.ended_at) == (Visit.Location.QUEUE, None)


def test_it_tells_a_second_staff_member_the_client_was_already_released(cast):
    observation = in_observation("AB1985M", cast["health"])
    observation_release(observation=observation, by=cast["health"], now=MINIMUM_AT)
    with pytest.raises(ValidationError) as error:
        observation_release(observation=observation, by=cast["duty"], now=MINIMUM_AT)
    assert error.value.code == "already_released" and "12:25" in error.value.messages[0]
    assert VisitEvent.objects.filter(visit=observation.visit, kind=VisitEvent.Kind.RELEASED).count() == 1


# The views ----------------------------------------------------------------------------------------


@time_machine.travel(MINIMUM_AT - dt.timedelta(minutes=5), tick=False)
def test_it_asks_for_a_reason_when_releasing_early_from_the_page(client_for, cast):
    observation = in_observation("AB1985M", cast["health"])
    health = client_for("health")
    html = health.post(
        f"/observations/{observation.pk}/release/", {"panel": "observation"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        t(
            "%(code)s reaches the minimum observation time at %(time)s. "
            "Give a reason for an earlier release (for example: left against advice).",
            code="AB1985M",
            time="12:25",
        )
        in html
    )
    board = health.get("/observation/board/", HTTP_HX_REQUEST="true").content.decode()
    assert "AB1985M" in observation_card(board, "AB1985M")  # still there


@time_machine.travel(MINIMUM_AT + dt.timedelta(minutes=1), tick=False)
def test_it_shows_the_minimum_time_reached_by_colour_and_text(client_for, cast):
    in_observation("AB1985M", cast["health"])
    card = observation_card(client_for("health").get("/observation/").content.decode(), "AB1985M")
    assert "status-minimum_reached" in card
    assert t("Minimum time reached") in card


@time_machine.travel(OBSERVED_FROM + dt.timedelta(minutes=4), tick=False)
def test_it_shows_the_time_observed_and_the_time_to_the_minimum(client_for, cast):
    in_observation("AB1985M", cast["health"])
    card = observation_card(client_for("health").get("/observation/").content.decode(), "AB1985M")
    assert ">4:00<" in card and t("minimum in %(time)s", time="11:00") in card


@time_machine.travel(OBSERVED_FROM + dt.timedelta(minutes=2), tick=False)
def test_it_shows_a_flagged_check_in_red_with_a_call_to_act(client_for, cast):
    observation = in_observation("AB1985M", cast["health"])
    health = client_for("health")
    html = health.post(
        f"/visits/{observation.visit_id}/check/",
        {"state": "unresponsive", "panel": "observation"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert (
        t(
            "%(code)s: %(state)s. The check is flagged. Start the emergency procedure now.",
            code="AB1985M",
            state=t("Unresponsive"),
        )
        in html
    )
    card = observation_card(health.get("/observation/board/", HTTP_HX_REQUEST="true").content.decode(), "AB1985M")
    assert "flagged" in card.split(">")[0]
    assert t("%(state)s at %(time)s", state=t("Unresponsive"), time="12:12") in card


@time_machine.travel(NOON + dt.timedelta(minutes=3), tick=False)
def test_it_shows_a_flagged_check_in_the_booth_on_the_floor_board(client_for, cast):
    session = in_booth("AB1985M", cast["health"], label="2")
    observation_check_record(visit=session.visit, state="hard_to_rouse", by=cast["health"])
    card = booth_card(client_for("reception").get("/floor/").content.decode(), "2")
    assert t("%(state)s at %(time)s", state=t("Hard to rouse"), time="12:03") in card


@time_machine.travel(NOON + dt.timedelta(days=2), tick=False)
def test_it_marks_a_client_flagged_on_a_recent_visit(client_for, cast):
    first = in_booth("AB1985M", cast["health"], now=NOON)
    observation_check_record(visit=first.visit, state="unresponsive", by=cast["health"], now=NOON)
    visit_check_out(visit=first.visit, by=cast["health"], now=NOON + dt.timedelta(minutes=40))
    visit_check_in(client=first.visit.client, by=cast["reception"], substance=first.substance)
    html = client_for("health").get("/floor/").content.decode()
    row = section(html, "queue")
    assert "AB1985M" in row and t("Recent overdose signs") in row


def test_it_forbids_reception_to_release(client_for, cast):
    observation = in_observation("AB1985M", cast["health"])
    assert client_for("reception").post(f"/observations/{observation.pk}/release/").status_code == 403


# Races, on either database -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@time_machine.travel(MINIMUM_AT, tick=True)
def test_it_releases_once_when_two_staff_release_at_once(cast):
    observation = in_observation("AB1985M", cast["health"])

    results = race(
        lambda: observation_release(observation=observation, by=cast["health"]),
        lambda: observation_release(observation=observation, by=cast["duty"], next_location="queue"),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "already_released", results
    assert VisitEvent.objects.filter(visit=observation.visit, kind=VisitEvent.Kind.RELEASED).count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(MINIMUM_AT, tick=True)
def test_it_records_a_check_clicked_twice_at_once_once(cast):
    observation = in_observation("AB1985M", cast["health"])

    def click():
        return observation_check_record(visit=observation.visit_id, state="alert", note="Round 2", by=cast["health"])

    results = race(click, click)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert ObservationCheck.objects.filter(visit=observation.visit).count() == 1
    assert VisitEvent.objects.filter(visit=observation.visit, kind=VisitEvent.Kind.OBSERVATION_CHECK).count() == 1


# What a check costs ------------------------------------------------------------------------------------


@time_machine.travel(OBSERVED_FROM + dt.timedelta(minutes=2), tick=False)
def test_it_records_a_check_in_at_most_ten_queries(client_for, cast, django_assert_max_num_queries):
    observation = in_observation("AB1985M", cast["health"])
    health = client_for("health")
    health.get("/observation/")  # the page the button is on

    with django_assert_max_num_queries(10):
        response = health.post(
            f"/visits/{observation.visit_id}/check/", {"state": "alert", "panel": "observation"}, HTTP_HX_REQUEST="true"
        )

    assert t("Check recorded for %(code)s: %(state)s.", code="AB1985M", state=t("Alert")) in response.content.decode()
    check = ObservationCheck.objects.get(visit=observation.visit)
    assert (check.observation, check.booth_session) == (observation, None)
    assert check.history.count() == 1


def test_it_answers_a_check_on_a_missing_visit_with_not_found(client_for):
    response = client_for("health").post("/visits/999999/check/", {"state": "alert"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert not ObservationCheck.objects.exists()


@time_machine.travel(OBSERVED_FROM + dt.timedelta(minutes=2), tick=False)
def test_it_offers_to_open_an_emergency_from_a_flagged_check(client_for, cast):
    observation = in_observation("AB1985M", cast["health"])
    observation_check_record(visit=observation.visit, state="hard_to_rouse", by=cast["health"])
    card = observation_card(client_for("health").get("/observation/").content.decode(), "AB1985M")
    assert 'action="/health/emergencies/open/"' in card
    assert f'name="client_id" value="{observation.visit.client_id}"' in card
    assert t("Open emergency") in card


@time_machine.travel(NOON + dt.timedelta(days=3), tick=False)
def test_it_marks_a_client_with_an_overdose_recorded_this_week(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"], now=NOON)
    emergency_open(client=visit.client, by=cast["health"], now=NOON + dt.timedelta(minutes=5))
    visit_check_out(visit=visit, by=cast["health"], now=NOON + dt.timedelta(hours=1))
    visit_check_in(client=visit.client, by=cast["reception"], substance=visit.substance)
    row = section(client_for("reception").get("/floor/").content.decode(), "queue")
    assert "AB1985M" in row and t("Recent overdose signs") in row

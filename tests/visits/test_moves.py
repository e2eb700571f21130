"""Moving a client between the queue and the rooms, checking out, and the visits left open on the board."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext, override

from stations.selectors.floor import floor_board
from tests.support.pages import marked_text, section, t
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Visit, VisitEvent
from visits.services.checkin import visit_check_in
from visits.services.rooms import visit_check_out, visit_move

pytestmark = pytest.mark.django_db
LATER = NOON + dt.timedelta(minutes=5)
# Closing is 21:30 on every day of the default hours.
AFTER_CLOSING = NOON.replace(hour=22, minute=15)


def test_it_moves_a_client_to_the_interview_room_and_back_to_the_queue(cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_move(visit=visit, to="interview", by=cast["reception"], now=LATER)
    visit_move(visit=visit, to="queue", by=cast["counselor"], now=LATER + dt.timedelta(minutes=20))

    visit.refresh_from_db()
    assert (visit.location, visit.location_since) == ("queue", LATER + dt.timedelta(minutes=20))
    moves = VisitEvent.objects.filter(visit=visit, kind=VisitEvent.Kind.MOVED).order_by("at")
    assert [(m.location, m.by.username) for m in moves] == [("interview", "reception"), ("queue", "counselor")]


def test_it_moves_a_client_to_the_health_room_and_back(cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_move(visit=visit, to="health", by=cast["health"], now=LATER)
    assert Visit.objects.get(pk=visit.pk).location == "health"
    visit_move(visit=visit, to="queue", by=cast["health"], now=LATER)
    assert Visit.objects.get(pk=visit.pk).location == "queue"


def test_it_treats_a_move_to_where_the_client_already_is_as_done(cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_move(visit=visit, to="health", by=cast["health"], now=LATER)
    visit_move(visit=visit, to="health", by=cast["duty"], now=LATER)
    assert VisitEvent.objects.filter(visit=visit, kind=VisitEvent.Kind.MOVED).count() == 1


def test_it_refuses_to_move_a_client_out_of_a_booth_without_ending_the_session(cast):
    session = in_booth("AB1985M", cast["health"])
    with pytest.raises(ValidationError) as error:
        visit_move(visit=session.visit, to="health", by=cast["health"], now=LATER)
    assert error.value.code == "in_booth"


def test_it_checks_out_a_client_in_a_booth_closing_the_session(cast):
    session = in_booth("AB1985M", cast["health"])
    visit_check_out(visit=session.visit, by=cast["health"], note="left in a hurry", now=NOON + dt.timedelta(minutes=8))

    session.refresh_from_db()
    visit = Visit.objects.get(pk=session.visit_id)
    assert (session.outcome, session.duration_seconds) == (BoothSession.Outcome.LEFT, 480)
    assert (visit.location, visit.duration_seconds, visit.end_note) == ("gone", 480, "left in a hurry")
    kinds = list(VisitEvent.objects.filter(visit=visit).values_list("kind", flat=True))
    assert kinds[-2:] == [VisitEvent.Kind.BOOTH_ENDED, VisitEvent.Kind.CHECKED_OUT]


def test_it_needs_a_reason_to_check_out_from_observation_before_the_minimum(cast):
    observation = in_observation("AB1985M", cast["health"])
    with pytest.raises(ValidationError) as error:
        visit_check_out(visit=observation.visit, by=cast["reception"], now=NOON + dt.timedelta(minutes=12))
    assert error.value.code == "reason_required"
    assert Visit.objects.get(pk=observation.visit_id).ended_at is None


def test_it_closes_the_observation_on_check_out_with_the_reason(cast):
    observation = in_observation("AB1985M", cast["health"])
    visit_check_out(
        visit=observation.visit, by=cast["reception"], note="wanted to go", now=NOON + dt.timedelta(minutes=12)
    )
    observation.refresh_from_db()
    assert (observation.early_release_reason, observation.released_to) == ("wanted to go", "gone")


def test_it_tells_a_second_staff_member_the_client_was_already_checked_out(cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_check_out(visit=visit, by=cast["reception"], now=LATER)
    with pytest.raises(ValidationError) as error:
        visit_check_out(visit=visit, by=cast["health"], now=LATER)
    assert error.value.messages[0] == t(
        "%(code)s was checked out at %(time)s by %(who)s.", code="AB1985M", time="12:05", who="reception"
    )


def test_it_lets_the_client_check_in_again_after_check_out(cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_check_out(visit=visit, by=cast["reception"], now=LATER)
    again = visit_check_in(
        client=visit.client, by=cast["reception"], substance=visit.substance, now=LATER + dt.timedelta(hours=1)
    )
    assert again.pk != visit.pk


def test_it_lists_visits_left_open_after_closing_time(cast):
    open_one = checked_in("AB1985M", cast["reception"])
    gone = checked_in("CD1980K", cast["reception"])
    visit_check_out(visit=gone, by=cast["reception"], now=LATER)
    board = floor_board(now=AFTER_CLOSING, with_left_open=True)
    assert [v.pk for v in board.left_open] == [open_one.pk]


def test_it_does_not_list_todays_visits_while_the_facility_is_open(cast):
    checked_in("AB1985M", cast["reception"])
    assert floor_board(now=LATER, with_left_open=True).left_open == []


def test_it_lists_yesterdays_visits_the_next_morning(cast):
    visit = checked_in("AB1985M", cast["reception"])
    board = floor_board(now=NOON.replace(hour=7) + dt.timedelta(days=1), with_left_open=True)
    assert [v.pk for v in board.left_open] == [visit.pk]


# The views ----------------------------------------------------------------------------------------


@time_machine.travel(LATER, tick=False)
def test_it_moves_a_client_from_the_board_and_shows_them_in_the_new_room(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    reception = client_for("reception")
    reception.post(f"/visits/{visit.pk}/move/", {"to": "interview", "panel": "floor"}, HTTP_HX_REQUEST="true")
    html = reception.get("/floor/board/", HTTP_HX_REQUEST="true").content.decode()  # the board's refresh
    assert "AB1985M" in section(html, "interview")
    assert "AB1985M" not in section(html, "queue")


@time_machine.travel(LATER, tick=False)
def test_it_lets_reception_check_out_from_the_board(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    html = (
        client_for("reception")
        .post(f"/visits/{visit.pk}/check-out/", {"panel": "floor"}, HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert t("%(code)s is checked out.", code="AB1985M") in html
    assert Visit.objects.get(pk=visit.pk).ended_at == LATER


def test_it_forbids_a_counselor_to_check_out(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    assert client_for("counselor").post(f"/visits/{visit.pk}/check-out/").status_code == 403


def test_it_rejects_get_on_check_out(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    assert client_for("reception").get(f"/visits/{visit.pk}/check-out/").status_code == 405


@time_machine.travel(AFTER_CLOSING, tick=False)
def test_it_shows_the_duty_officer_the_visits_left_open(client_for, cast):
    checked_in("AB1985M", cast["reception"], now=NOON)
    html = client_for("duty").get("/floor/").content.decode()
    with override("nb"):
        expected = ngettext(
            "%(count)s visit left open after closing time.", "%(count)s visits left open after closing time.", 1
        ) % {"count": 1}
    assert expected in marked_text(html, "left-open")
    assert 'href="/close-out/"' in html.split('data-testid="left-open"')[1].split("</p>")[0]


@time_machine.travel(AFTER_CLOSING, tick=False)
def test_it_does_not_show_reception_the_visits_left_open(client_for, cast):
    checked_in("AB1985M", cast["reception"], now=NOON)
    assert 'data-testid="left-open"' not in client_for("reception").get("/floor/").content.decode()

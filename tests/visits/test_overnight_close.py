"""Visits left open overnight are closed by the system: by a command (cron, systemd) or at the first
check-in of the next day, so nobody is kept out by yesterday."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from duty.forms import floor_staff
from health.forms import EmergencyRecordForm
from oversight.forms import AccessReviewForm
from staff.models import User
from staff.services.accounts import SYSTEM_USERNAME
from tests.support.factories import heroin
from tests.support.pages import log_in, t
from tests.support.rooms import checked_in, client, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Observation, Visit, VisitEvent
from visits.services.checkin import CheckInBlocked, visit_check_in
from visits.services.rooms import visit_move, visits_close_overnight

pytestmark = pytest.mark.django_db
CLOSING = NOON.replace(hour=21, minute=30)
NEXT_MORNING = NOON.replace(hour=8, minute=30) + dt.timedelta(days=1)
JUST_AFTER_MIDNIGHT = NOON.replace(hour=0, minute=5) + dt.timedelta(days=1)


def run_command() -> str:
    out = StringIO()
    call_command("close_overnight_visits", stdout=out)
    return out.getvalue()


def test_it_closes_yesterdays_visit_at_yesterdays_closing_time(cast):
    visit = checked_in("AB1985M", cast["reception"])

    assert visits_close_overnight(now=NEXT_MORNING) == 1

    visit.refresh_from_db()
    assert (visit.ended_at, visit.end_reason, visit.location) == (CLOSING, "overnight", Visit.Location.GONE)
    event = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.CHECKED_OUT)
    assert (event.at, event.note) == (CLOSING, t("Closed automatically overnight"))
    assert event.by.username == SYSTEM_USERNAME


def test_it_ends_a_visit_moved_after_closing_at_that_move(cast):
    visit = checked_in("AB1985M", cast["reception"])
    late = CLOSING + dt.timedelta(minutes=20)
    visit_move(visit=visit, to="health", by=cast["health"], now=late)

    visits_close_overnight(now=NEXT_MORNING)

    assert Visit.objects.get(pk=visit.pk).ended_at == late


def test_it_ends_a_visit_checked_in_after_closing_at_its_last_move(cast):
    late = CLOSING + dt.timedelta(minutes=10)
    visit = visit_check_in(
        client=client("AB1985M", cast["duty"]),
        by=cast["duty"],
        substance=heroin(),
        override_reason="let in late by the duty officer",
        now=late,
    )
    visit_move(visit=visit, to="health", by=cast["health"], now=late + dt.timedelta(minutes=5))

    visits_close_overnight(now=NEXT_MORNING)

    visit.refresh_from_db()
    assert visit.ended_at == late + dt.timedelta(minutes=5)
    assert visit.duration_seconds == 300


def test_it_ends_the_booth_session_and_the_observation_left_running(cast):
    session = in_booth("AB1985M", cast["health"])
    observation = in_observation("CD1980K", cast["health"], label="2")

    visits_close_overnight(now=NEXT_MORNING)

    session.refresh_from_db()
    observation.refresh_from_db()
    assert (session.ended_at, session.outcome) == (CLOSING, BoothSession.Outcome.LEFT)
    assert session.ended_by.username == SYSTEM_USERNAME
    assert observation.ended_at == CLOSING
    assert not Observation.objects.filter(ended_at__isnull=True).exists()


def test_it_leaves_todays_visits_open(cast):
    yesterdays = checked_in("AB1985M", cast["reception"])
    todays = checked_in("CD1980K", cast["reception"], now=NEXT_MORNING)

    assert visits_close_overnight(now=NEXT_MORNING + dt.timedelta(minutes=5)) == 0  # the check-in did it

    assert Visit.objects.get(pk=yesterdays.pk).ended_at == CLOSING
    assert Visit.objects.get(pk=todays.pk).ended_at is None


def test_it_leaves_a_visit_open_before_midnight(cast):
    visit = checked_in("AB1985M", cast["reception"])

    assert visits_close_overnight(now=CLOSING + dt.timedelta(hours=2)) == 0

    assert Visit.objects.get(pk=visit.pk).ended_at is None


@time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False)
def test_the_command_says_how_many_it_closed_and_is_idempotent(cast):
    checked_in("AB1985M", cast["reception"])
    checked_in("CD1980K", cast["reception"], now=NOON - dt.timedelta(days=3))

    assert run_command() == "Closed 2 visit(s) left open overnight.\n"
    assert run_command() == "Closed 0 visit(s) left open overnight.\n"
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.CHECKED_OUT).count() == 2


@time_machine.travel(JUST_AFTER_MIDNIGHT, tick=False)
def test_the_command_closes_as_a_system_account_that_cannot_log_in(client, cast):
    checked_in("AB1985M", cast["reception"])
    run_command()
    system = Visit.objects.get().ended_by

    assert (system.is_active, system.has_usable_password(), list(system.groups.all())) == (False, False, [])
    log_in(client, SYSTEM_USERNAME, "")
    assert "_auth_user_id" not in client.session


def test_it_lets_the_client_checked_in_yesterday_check_in_the_next_morning(cast):
    yesterdays = checked_in("AB1985M", cast["reception"])

    today = visit_check_in(client=yesterdays.client, by=cast["reception"], substance=heroin(), now=NEXT_MORNING)

    assert today.pk != yesterdays.pk
    yesterdays.refresh_from_db()
    assert (yesterdays.ended_at, yesterdays.end_reason) == (CLOSING, "overnight")


def test_it_closes_yesterdays_visits_even_when_the_first_check_in_is_refused(cast):
    yesterdays = checked_in("AB1985M", cast["reception"])
    early = NEXT_MORNING.replace(hour=7)  # before opening: refused

    with pytest.raises(CheckInBlocked):
        visit_check_in(client=client("CD1980K", cast["reception"]), by=cast["reception"], substance=heroin(), now=early)

    assert Visit.objects.get(pk=yesterdays.pk).end_reason == "overnight"


@time_machine.travel(NEXT_MORNING, tick=False)
def test_it_leaves_the_system_account_out_of_the_staff_lists(cast):
    checked_in("AB1985M", cast["reception"], now=NOON)
    visits_close_overnight(now=NEXT_MORNING)
    lists = [
        EmergencyRecordForm().fields["staff_involved"].queryset,
        floor_staff(),
        AccessReviewForm().fields["user"].queryset,
    ]

    assert User.objects.filter(username=SYSTEM_USERNAME).exists()
    for users in lists:
        assert SYSTEM_USERNAME not in {user.username for user in users}

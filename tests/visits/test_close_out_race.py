"""Two duty officers closing out at once, and two first check-ins of the day racing to close yesterday's
visits: the row locks settle it, on either database; every visit is closed once, nobody sees a 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient

from tests.support.cast import second_duty_officer
from tests.support.factories import heroin
from tests.support.races import race
from tests.support.rooms import checked_in, client, in_booth
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Visit, VisitEvent
from visits.services.checkin import visit_check_in

pytestmark = pytest.mark.django_db(transaction=True)
NEAR_CLOSING = NOON.replace(hour=21, minute=20)
NEXT_MORNING = NOON.replace(hour=8, minute=30) + dt.timedelta(days=1)


def browser(user) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def test_two_duty_officers_closing_everyone_at_once_close_each_visit_once(cast):
    visits = [checked_in(code, cast["reception"]) for code in ("AB1985M", "CD1980K", "EF1990K")]
    in_booth("GH1975M", cast["health"])
    listed = ",".join(str(pk) for pk in [*(v.pk for v in visits), Visit.objects.get(client__code="GH1975M").pk])
    first, second = browser(cast["duty"]), browser(second_duty_officer())

    with time_machine.travel(NEAR_CLOSING, tick=False):
        responses = race(
            lambda: first.post("/close-out/all/", {"reason": "closing", "visits": listed}),
            lambda: second.post("/close-out/all/", {"reason": "unnoticed", "visits": listed}),
        )

    assert [getattr(r, "status_code", r) for r in responses] == [303, 303]
    assert not Visit.objects.filter(ended_at__isnull=True).exists()
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.CHECKED_OUT).count() == 4
    assert len(set(Visit.objects.values_list("end_reason", flat=True))) == 1  # all closed by one of them
    assert BoothSession.objects.filter(ended_at__isnull=True).count() == 0


def test_two_first_check_ins_of_the_day_close_yesterdays_visit_once(cast):
    checked_in("AB1985M", cast["reception"])
    first, second = client("CD1980K", cast["reception"]), client("EF1990K", cast["reception"])

    results = race(
        lambda: visit_check_in(client=first, by=cast["reception"], substance=heroin(), now=NEXT_MORNING),
        lambda: visit_check_in(client=second, by=cast["duty"], substance=heroin(), now=NEXT_MORNING),
    )

    assert all(isinstance(result, Visit) for result in results), results
    yesterdays = Visit.objects.get(client__code="AB1985M")
    assert yesterdays.end_reason == "overnight"
    assert VisitEvent.objects.filter(visit=yesterdays, kind=VisitEvent.Kind.CHECKED_OUT).count() == 1

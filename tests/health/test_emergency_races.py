"""Two staff pressing "Naloxone given" at the same moment, raced for real on either database: the emergency's
row lock (PostgreSQL) or the write lock taken as the transaction begins (SQLite) settles it, one dose is
recorded and the other press is asked about, never a 500."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from health import services
from health.models import Intervention
from tests.support.races import race
from tests.support.rooms import checked_in
from tests.support.time import NOON_2024 as NOON

pytestmark = pytest.mark.django_db(transaction=True)


def _emergency(cast):
    visit = checked_in("RACE1985M", cast["reception"])
    emergency, _ = services.emergency_open(client=visit.client, by=cast["health"])
    return emergency


@time_machine.travel(NOON, tick=True)
def test_it_records_one_dose_when_two_staff_press_at_once(cast):
    emergency = _emergency(cast)

    results = race(
        *[
            (
                lambda by=by: services.emergency_intervention_add(
                    emergency=emergency, kind="naloxone", route="in", dose_mg=Decimal("1.8"), by=by
                )
            )
            for by in (cast["health"], cast["duty"])
        ]
    )

    assert sorted(type(result).__name__ for result in results) == ["Intervention", "ValidationError"], results
    assert next(r for r in results if isinstance(r, ValidationError)).code == "repeat"
    assert Intervention.objects.filter(emergency=emergency).count() == 1


@time_machine.travel(NOON, tick=True)
def test_it_asks_the_second_browser_instead_of_recording_twice(cast):
    emergency = _emergency(cast)
    browsers = []
    for user in (cast["health"], cast["duty"]):
        http = HttpClient(raise_request_exception=False)
        http.force_login(user)
        browsers.append(http)
    url = f"/health/emergencies/{emergency.pk}/intervention/"

    responses = race(
        *[(lambda b=b: b.post(url, {"kind": "naloxone", "route": "in", "dose_mg": "1.8"})) for b in browsers]
    )

    assert sorted(r.status_code for r in responses) == [302, 409], responses
    assert Intervention.objects.filter(emergency=emergency).count() == 1

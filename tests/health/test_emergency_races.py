"""Two staff pressing the same emergency button at the same moment, raced for real on either database, each
press in its own thread and database connection.

Two presses of the emergency button for one client: the client's row lock (PostgreSQL) or the write lock
taken as the transaction begins (SQLite) settles it, one emergency is opened and the other press is shown
that one, told it was already open (three presses at the service, and two from the boards, are raced in
tests/reliability/test_races.py). Two presses of "Naloxone given": the emergency's row lock settles it,
one dose is recorded and the other press is asked about. Never a 500.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from health import services
from health.models import Emergency, Intervention
from tests.support.pages import nb, text_of
from tests.support.races import race
from tests.support.rooms import checked_in
from tests.support.time import NOON_2024 as NOON

pytestmark = pytest.mark.django_db(transaction=True)


CODE = "RACE1985M"


def _browsers(*users) -> list[HttpClient]:
    browsers = []
    for user in users:
        http = HttpClient(raise_request_exception=False)
        http.force_login(user)
        browsers.append(http)
    return browsers


@time_machine.travel(NOON, tick=True)
def test_it_opens_one_emergency_when_two_staff_press_at_once(cast):
    visit = checked_in(CODE, cast["reception"])

    responses = race(
        *[
            (lambda b=b: b.post("/health/emergencies/open/", {"client_id": visit.client.pk}, follow=True))
            for b in _browsers(cast["health"], cast["duty"])
        ]
    )

    emergency = Emergency.objects.get(client=visit.client)  # one, and only one
    assert [r.redirect_chain for r in responses] == [[(f"/health/emergencies/{emergency.pk}/", 302)]] * 2, responses
    assert [r.status_code for r in responses] == [200, 200]
    opened = nb("Emergency opened for %(code)s.") % {"code": CODE}
    already = nb("An emergency is already open for %(code)s.") % {"code": CODE}
    told = sorted((opened in text_of(r.content), already in text_of(r.content)) for r in responses)
    assert told == [(False, True), (True, False)], "one is told it opened the emergency, the other that it was open"


@time_machine.travel(NOON, tick=True)
def test_it_leaves_one_version_of_the_record_naming_the_opener_when_two_press_at_once(cast):
    visit = checked_in(CODE, cast["reception"])

    pressing = (cast["health"], cast["duty"])

    results = race(*[(lambda by=by: services.emergency_open(client=visit.client_id, by=by)) for by in pressing])

    assert sorted(created for _emergency, created in results) == [False, True], results
    emergency = Emergency.objects.get(client=visit.client)
    (opened,) = [by for (_emergency, created), by in zip(results, pressing, strict=True) if created]
    (version,) = emergency.history.all()
    assert [row.user for row in version.staff_involved.all()] == [opened] == list(emergency.staff_involved.all())


def _emergency(cast):
    visit = checked_in(CODE, cast["reception"])
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
    browsers = _browsers(cast["health"], cast["duty"])
    url = f"/health/emergencies/{emergency.pk}/intervention/"

    responses = race(
        *[(lambda b=b: b.post(url, {"kind": "naloxone", "route": "in", "dose_mg": "1.8"})) for b in browsers]
    )

    assert sorted(r.status_code for r in responses) == [302, 409], responses
    assert Intervention.objects.filter(emergency=emergency).count() == 1

"""Two receptionists checking in the same client at the same moment, on either database: one visit, one clear no.

Each thread has its own database connection, as two gunicorn workers would; a barrier starts them together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient

from staff.roles import Role
from tests.support.cast import make_user
from tests.support.factories import ClientFactory, heroin
from tests.support.pages import marked_text, nb
from tests.support.time import NOON
from visits.models import Visit, VisitEvent
from visits.services.checkin import CheckInBlocked, visit_check_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receptionists(cast):
    return cast["reception"], make_user("reception2", Role.RECEPTION)


def at_the_same_moment(*calls: Callable[[], object]) -> list[object]:
    """Run each call in its own thread, released together; each result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # handed back to the test to assert on
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a check-in hung"
    return results


def test_it_opens_exactly_one_visit_when_two_receptionists_check_in_at_once(facility, receptionists):
    client = ClientFactory()
    substance = heroin()

    results = at_the_same_moment(
        *(lambda by=by: visit_check_in(client=client, by=by, substance=substance, now=NOON) for by in receptionists)
    )

    visits = [r for r in results if isinstance(r, Visit)]
    refused = [r for r in results if isinstance(r, CheckInBlocked)]
    assert (len(visits), len(refused)) == (1, 1), results
    assert Visit.objects.filter(client=client).count() == 1
    assert VisitEvent.objects.filter(visit__client=client, kind=VisitEvent.Kind.CHECKED_IN).count() == 1
    assert refused[0].messages == [nb("The client is already checked in.")]


def test_it_records_the_winner_as_the_one_who_checked_in(facility, receptionists):
    client = ClientFactory()
    substance = heroin()

    results = at_the_same_moment(
        *(lambda by=by: visit_check_in(client=client, by=by, substance=substance, now=NOON) for by in receptionists)
    )

    winner = next(r for r in results if isinstance(r, Visit))
    assert Visit.objects.get(client=client).checked_in_by_id == winner.checked_in_by_id


def test_it_shows_the_loser_a_clear_message_through_the_form(at_noon, receptionists):
    client = ClientFactory()
    substance = heroin()
    browsers = []
    for user in receptionists:
        browser = HttpClient()
        browser.force_login(user)
        browsers.append(browser)
    url = f"/clients/{client.pk}/check-in/"
    data = {"substance": substance.pk, "intoxication": "none"}

    responses = at_the_same_moment(*(lambda b=b: b.post(url, data) for b in browsers))

    assert sorted(r.status_code for r in responses) == [302, 303], responses
    loser = next(r for r in responses if r.status_code == 303)
    card = loser.client.get(loser.url)
    assert nb("The client is already checked in.") in marked_text(card.content, "blockers")
    assert Visit.objects.filter(client=client).count() == 1


def test_it_opens_one_visit_when_the_same_click_arrives_twice_at_once(facility, cast):
    client = ClientFactory()
    substance = heroin()
    by = cast["reception"]

    results = at_the_same_moment(
        *(lambda: visit_check_in(client=client, by=by, substance=substance, now=NOON) for _ in range(2))
    )

    assert all(isinstance(r, Visit) for r in results), results
    assert results[0].pk == results[1].pk
    assert Visit.objects.filter(client=client).count() == 1

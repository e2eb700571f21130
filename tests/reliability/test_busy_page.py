"""A write that waits too long for another station's gets 503 "the database is busy, try again", never a 500.

The other station is real: a second connection holds the write lock (SQLite) or the visit's row (PostgreSQL)
while the action is posted, and the wait is cut short so that the action gives up.
"""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient

from tests.support.factories import heroin, injection
from tests.support.pages import nb
from tests.support.races import another_station_writing
from tests.support.rooms import checked_in
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Visit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def waiting(cast):
    return checked_in("FF1980M", cast["reception"], now=NOON)


def assign(browser: HttpClient, visit: Visit, **headers):
    payload = {"route": injection().pk, "substance": heroin().pk, "panel": "injection"}
    return browser.post(f"/visits/{visit.pk}/assign-booth/", payload, **headers)


@pytest.fixture
def health_browser(cast):
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(cast["health"])
    return browser


def test_it_answers_503_with_a_try_again_page_when_the_write_waited_too_long(health_browser, waiting):
    with another_station_writing():
        response = assign(health_browser, waiting)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    page = response.content.decode()
    assert nb("The database is busy") in page
    assert nb("Several stations saved at the same moment. Nothing from the last action was saved. Try again.") in page


def test_it_puts_the_try_again_message_above_the_board_for_an_htmx_action(health_browser, waiting):
    with another_station_writing():
        response = assign(health_browser, waiting, HTTP_HX_REQUEST="true")

    assert response.status_code == 503
    assert response["HX-Retarget"] == "#board-messages"
    assert (
        nb(
            "The database is busy: several stations saved at the same moment. "
            "Nothing from the last action was saved. Try again."
        )
        in response.content.decode()
    )


def test_it_saves_nothing_of_the_action_that_gave_up(health_browser, waiting):
    with another_station_writing():
        assign(health_browser, waiting)

    assert not BoothSession.objects.filter(visit=waiting).exists()
    assert Visit.objects.get(pk=waiting.pk).location == Visit.Location.QUEUE


def test_it_assigns_the_booth_once_the_other_station_is_done(health_browser, waiting):
    with another_station_writing():
        assign(health_browser, waiting)

    response = assign(health_browser, waiting, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert BoothSession.objects.filter(visit=waiting, ended_at__isnull=True).count() == 1

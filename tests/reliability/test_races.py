"""Contended actions raced for real, on either database: threads released together, each with its own connection.

The services' races live beside their features (check-in in ``tests/visits/test_checkin_race.py``, booths
in ``test_booths.py``, release in ``test_observation.py``, hand-outs in ``tests/health/test_stock.py``,
handover acknowledgements in ``tests/staff/test_handover.py``). Here: opening an emergency for the same
client through the service, and the contended actions through real HTTP requests, two logged-in
browsers at once, where the loser must get a message, never a 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client as HttpClient

from duty.models import HandoverAcknowledgement
from duty.services.handover import handover_write
from health import services as health_services
from health.models import Emergency
from tests.support.cast import second_duty_officer
from tests.support.factories import heroin, injection, shift
from tests.support.pages import marked_text, nb, t
from tests.support.races import race
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from tests.support.time import oslo
from visits.models import Booth, BoothSession, Observation, Visit, VisitEvent

pytestmark = pytest.mark.django_db(transaction=True)


def browser(user) -> HttpClient:
    """A logged-in browser that shows a 500 as a response instead of raising it in the test."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def no_server_error(responses) -> None:
    assert all(not isinstance(r, Exception) for r in responses), responses
    assert all(r.status_code < 500 for r in responses), [r.status_code for r in responses]


def board_messages(responses) -> tuple[list[str], list[str]]:
    """The notices and the errors the htmx answers showed, over all responses."""
    notices, errors = [], []
    for response in responses:
        html = response.content.decode()
        if 'data-testid="board-notice"' in html:
            notices.append(marked_text(html, "board-notice"))
        if 'data-testid="board-error"' in html:
            errors.append(marked_text(html, "board-error"))
    return notices, errors


# Opening an emergency ------------------------------------------------------------------------------


@time_machine.travel(NOON, tick=True)
def test_it_opens_one_emergency_when_three_staff_press_at_once(cast):
    visit = checked_in("OD1985M", cast["reception"])
    staff = [cast["health"], cast["duty"], cast["health"]]

    results = race(*[(lambda by=by: health_services.emergency_open(client=visit.client, by=by)) for by in staff])

    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False, False, True]
    assert len({emergency.pk for emergency, _ in results}) == 1
    assert Emergency.objects.filter(client=visit.client, ended_at__isnull=True).count() == 1


# Two presses from the record's own button: tests/health/test_emergency_races.py.


@time_machine.travel(NOON, tick=True)
def test_it_opens_one_emergency_when_two_press_the_board_button_for_the_same_person(cast):
    visit = checked_in("OD1985M", cast["reception"])
    browsers = [browser(cast["reception"]), browser(cast["counselor"])]  # neither may see the record

    responses = race(
        *[
            (
                lambda b=b: b.post(
                    "/health/emergencies/open/",
                    {"client_id": visit.client_id, "panel": "floor"},
                    HTTP_HX_REQUEST="true",
                )
            )
            for b in browsers
        ]
    )

    no_server_error(responses)
    _notices, errors = board_messages(responses)
    assert sorted(errors) == sorted(
        [
            nb("Emergency opened for %(code)s.") % {"code": "OD1985M"},
            nb("An emergency is already open for %(code)s.") % {"code": "OD1985M"},
        ]
    )
    assert Emergency.objects.filter(client=visit.client).count() == 1


@time_machine.travel(NOON, tick=True)
def test_it_opens_one_emergency_when_three_press_for_the_same_unknown_person(cast):
    staff = [cast["health"], cast["duty"], cast["reception"]]

    results = race(
        *[(lambda by=by: health_services.emergency_open_unknown(by=by, place=Emergency.Place.OUTSIDE)) for by in staff]
    )

    assert all(isinstance(r, tuple) for r in results), results
    assert sorted(created for _, created in results) == [False, False, True]
    assert Emergency.objects.filter(client__isnull=True, ended_at__isnull=True).count() == 1


# The last free booth, through the injection room's form -------------------------------------------


@time_machine.travel(NOON, tick=True)
def test_it_gives_the_last_booth_to_one_of_two_staff_and_tells_the_other_on_the_board(cast):
    for number, code in enumerate(["AA1980M", "BB1980M", "CC1980M", "DD1980M", "EE1980M"], start=1):
        in_booth(code, cast["health"], label=str(number))
    waiting = [checked_in("FF1980M", cast["reception"]), checked_in("GG1980M", cast["reception"])]
    browsers = [browser(cast["health"]), browser(cast["duty"])]
    payload = {"route": injection().pk, "substance": heroin().pk, "panel": "injection"}

    responses = race(
        *[
            (lambda b=b, v=v: b.post(f"/visits/{v.pk}/assign-booth/", payload, HTTP_HX_REQUEST="true"))
            for b, v in zip(browsers, waiting, strict=True)
        ]
    )

    no_server_error(responses)
    notices, errors = board_messages(responses)
    assert len(notices) == 1 and len(errors) == 1, (notices, errors)
    last = Booth.objects.get(label="6")
    assert BoothSession.objects.filter(booth=last, ended_at__isnull=True).count() == 1
    assert BoothSession.objects.filter(visit__in=waiting).count() == 1
    loser = next(v for v in waiting if not BoothSession.objects.filter(visit=v).exists())
    assert Visit.objects.get(pk=loser.pk).location == Visit.Location.QUEUE


# Ending the same booth session, through the form ---------------------------------------------------


@time_machine.travel(NOON, tick=True)
def test_it_ends_a_session_once_when_two_staff_click_end_at_once(cast):
    session = in_booth("AB1985M", cast["health"])
    browsers = [browser(cast["health"]), browser(cast["duty"])]
    url = f"/booth-sessions/{session.pk}/end/"

    responses = race(
        *[
            (lambda b=b: b.post(url, {"next_location": "observation", "panel": "injection"}, HTTP_HX_REQUEST="true"))
            for b in browsers
        ]
    )

    no_server_error(responses)
    notices, errors = board_messages(responses)
    assert notices == [t("%(code)s is in the observation room.", code="AB1985M")], (notices, errors)
    assert len(errors) == 1
    assert VisitEvent.objects.filter(visit=session.visit, kind=VisitEvent.Kind.BOOTH_ENDED).count() == 1
    assert Observation.objects.filter(visit=session.visit).count() == 1


# Releasing from observation, through the form ------------------------------------------------------


@time_machine.travel(NOON + dt.timedelta(minutes=40), tick=True)
def test_it_releases_once_when_two_staff_click_release_at_once(cast):
    observation = in_observation("AB1985M", cast["health"], now=NOON)
    browsers = [browser(cast["health"]), browser(cast["duty"])]
    url = f"/observations/{observation.pk}/release/"

    responses = race(*[(lambda b=b: b.post(url, {"panel": "observation"}, HTTP_HX_REQUEST="true")) for b in browsers])

    no_server_error(responses)
    notices, errors = board_messages(responses)
    assert len(notices) == 1 and len(errors) == 1, (notices, errors)
    assert VisitEvent.objects.filter(visit=observation.visit, kind=VisitEvent.Kind.RELEASED).count() == 1
    assert Observation.objects.get(pk=observation.pk).ended_at is not None
    assert Visit.objects.filter(client=observation.visit.client, ended_at__isnull=True).count() == 0


# Checking out the same visit twice at once ---------------------------------------------------------


@time_machine.travel(NOON, tick=True)
def test_it_checks_out_once_when_two_staff_check_out_at_once(cast):
    session = in_booth("AB1985M", cast["health"])
    browsers = [browser(cast["duty"]), browser(cast["health"])]
    url = f"/visits/{session.visit_id}/check-out/"

    responses = race(*[(lambda b=b: b.post(url, {"panel": "floor"}, HTTP_HX_REQUEST="true")) for b in browsers])

    no_server_error(responses)
    notices, errors = board_messages(responses)
    assert len(notices) + len(errors) == 2 and len(notices) >= 1, (notices, errors)
    assert VisitEvent.objects.filter(visit=session.visit, kind=VisitEvent.Kind.CHECKED_OUT).count() == 1
    assert BoothSession.objects.filter(visit=session.visit, ended_at__isnull=True).count() == 0


# Acknowledging the same handover, two clicks through the form ------------------------------------


def test_it_records_one_acknowledgement_for_two_clicks_on_the_button(cast):
    kari = second_duty_officer("kari")
    shift(oslo(hour=15), oslo(hour=21, minute=30), duty=kari)
    shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"])
    with time_machine.travel(oslo(hour=14, minute=50), tick=False):
        handover = handover_write(by=cast["duty"], other_notes="Fire alarm test tomorrow at 10")
    clicks = [browser(kari), browser(kari)]
    url = f"/handovers/{handover.pk}/acknowledge/"

    with time_machine.travel(oslo(hour=15, minute=5), tick=True):
        responses = race(*[(lambda b=b: b.post(url, follow=True)) for b in clicks])

    no_server_error(responses)
    pages = [r.content.decode() for r in responses]
    already = nb("You have already acknowledged this handover (%(when)s).").split("(")[0].strip()
    assert sum(already in page for page in pages) == 1, pages
    assert HandoverAcknowledgement.objects.filter(handover=handover, user=kari).count() == 1

"""One press from anywhere: an emergency button for every person on every board, on the client card, at
reception and in the health room; and once the emergency is closed, the card says how it ended."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils.translation import override, pgettext

from health.models import Emergency
from health.services import emergency_close, emergency_open
from tests.support.pages import booth_card, marked_text, observation_card, section, t
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.services.rooms import observation_check_record, visit_move

pytestmark = pytest.mark.django_db
OPEN_URL = 'action="/health/emergencies/open/"'


def _button_for(html: str, client_id: int, code: str) -> bool:
    """An emergency form for this client, its button naming the code for a screen reader."""
    return (
        f'name="client_id" value="{client_id}"' in html
        and f'<span class="visually-hidden"> {code}</span></button>' in html
        and OPEN_URL in html
    )


@time_machine.travel(NOON, tick=False)
def test_it_offers_the_button_for_everyone_in_the_queue_interview_and_health_room(client_for, cast):
    queued = checked_in("QU1985M", cast["reception"])
    interview = visit_move(visit=checked_in("IN1985M", cast["reception"]), to="interview", by=cast["health"])
    health = visit_move(visit=checked_in("HE1985M", cast["reception"]), to="health", by=cast["health"])

    html = client_for("duty").get("/floor/").content.decode()

    for visit, list_id in [(queued, "queue"), (interview, "interview"), (health, "health")]:
        rows = section(html, list_id)
        assert _button_for(rows, visit.client_id, visit.client.code), list_id
        assert 'hx-post="/health/emergencies/open/"' in rows
        with override("nb"):
            assert pgettext("button", "Emergency") in rows


@time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False)
def test_it_offers_a_modest_button_on_every_booth_and_observation_card_not_only_when_flagged(client_for, cast):
    session = in_booth("BO1985M", cast["health"], label="1", now=NOON)
    observation = in_observation("OB1985M", cast["health"], label="2", now=NOON - dt.timedelta(minutes=10))

    html = client_for("health").get("/floor/").content.decode()

    booth = booth_card(html, "1")
    observed = observation_card(html, "OB1985M")
    assert _button_for(booth, session.visit.client_id, "BO1985M")
    assert _button_for(observed, observation.visit.client_id, "OB1985M")
    assert "text-nowrap btn-outline-danger" in booth and "text-nowrap btn-danger" not in booth


@time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False)
def test_it_shows_a_red_button_on_a_flagged_card(client_for, cast):
    observation = in_observation("OB1985M", cast["health"], now=NOON - dt.timedelta(minutes=10))
    observation_check_record(visit=observation.visit, state="unresponsive", by=cast["health"])

    card = observation_card(client_for("health").get("/observation/").content.decode(), "OB1985M")

    assert "text-nowrap btn-danger" in card  # the open-emergency button, red on a flagged card
    assert t("Start the emergency procedure.") in card


@time_machine.travel(NOON, tick=False)
def test_it_shows_the_emergency_in_progress_instead_of_the_button(client_for, cast):
    visit = checked_in("QU1985M", cast["reception"])
    emergency_open(client=visit.client, by=cast["health"])

    rows = section(client_for("duty").get("/floor/").content.decode(), "queue")

    assert t("Emergency in progress") in rows
    assert OPEN_URL not in rows


@time_machine.travel(NOON, tick=False)
def test_it_takes_the_health_worker_from_the_board_to_the_record_in_one_press(client_for, cast):
    visit = checked_in("QU1985M", cast["reception"])

    response = client_for("health").post(
        "/health/emergencies/open/", {"client_id": visit.client_id, "panel": "floor"}, HTTP_HX_REQUEST="true"
    )

    emergency = Emergency.objects.get(client=visit.client)
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"/health/emergencies/{emergency.pk}/"


@time_machine.travel(NOON, tick=False)
def test_it_answers_reception_on_the_board_since_it_may_not_see_the_record(client_for, cast):
    visit = checked_in("QU1985M", cast["reception"])

    response = client_for("reception").post(
        "/health/emergencies/open/", {"client_id": visit.client_id, "panel": "floor"}, HTTP_HX_REQUEST="true"
    )

    assert Emergency.objects.filter(client=visit.client, ended_at__isnull=True).count() == 1
    assert marked_text(response.content.decode(), "board-error") == t("Emergency opened for %(code)s.", code="QU1985M")
    assert response["HX-Retarget"] == "#board-messages"


@pytest.mark.parametrize("client_id", ["", "abc", "99999999", "1" * 40, "-1"])
@time_machine.travel(NOON, tick=False)
def test_it_says_so_when_the_client_does_not_exist(client_for, cast, client_id):
    response = client_for("health").post(
        "/health/emergencies/open/", {"client_id": client_id, "panel": "floor"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert marked_text(response.content.decode(), "board-error") == t("That client does not exist.")
    assert not Emergency.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_it_offers_the_button_on_the_client_card_and_in_receptions_search_and_list(client_for, cast):
    visit = checked_in("RE1985M", cast["reception"])
    reception = client_for("reception")

    card = reception.get(f"/clients/{visit.client_id}/").content.decode()
    found = reception.get("/reception/search/", {"q": "RE1985"}).content.decode()
    desk = reception.get("/reception/").content.decode()

    assert _button_for(card, visit.client_id, "RE1985M")
    assert _button_for(found, visit.client_id, "RE1985M")
    assert _button_for(desk, visit.client_id, "RE1985M")


@time_machine.travel(NOON, tick=False)
def test_it_offers_the_button_for_everyone_present_in_the_health_room(client_for, cast):
    visit = visit_move(visit=checked_in("HE1985M", cast["reception"]), to="health", by=cast["health"])

    page = client_for("health").get("/health/").content.decode()

    assert _button_for(page, visit.client_id, "HE1985M")
    assert 'name="client"' in page  # the typed code stays for someone not on the lists


@time_machine.travel(NOON, tick=False)
def test_it_opens_from_reception_and_sends_reception_back_with_the_message(client_for, cast):
    visit = checked_in("RE1985M", cast["reception"])

    response = client_for("reception").post(
        "/health/emergencies/open/", {"client_id": visit.client_id, "next": "/reception/"}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/reception/"
    assert t("Emergency opened for %(code)s.", code="RE1985M") in response.content.decode()


# Once it is closed -----------------------------------------------------------------------------------


@time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False)
def test_it_says_on_the_card_how_the_emergency_ended_instead_of_calling_for_it(client_for, cast):
    observation = in_observation("OB1985M", cast["health"], now=NOON - dt.timedelta(minutes=10))
    observation_check_record(visit=observation.visit, state="unresponsive", by=cast["health"], now=NOON)
    emergency, _ = emergency_open(client=observation.visit.client, by=cast["health"], now=NOON)
    emergency_close(
        emergency=emergency, outcome="recovered", by=cast["health"], ended_at=NOON + dt.timedelta(minutes=4)
    )

    html = client_for("health").get("/observation/").content.decode()
    card = observation_card(html, "OB1985M")

    assert marked_text(card, "emergency-closed") == t(
        "Emergency closed %(time)s: %(outcome)s", time="12:04", outcome=t("Recovered on site")
    )
    assert t("Start the emergency procedure.") not in card
    assert "btn-outline-danger" in card and " flagged" not in card.split(">")[0]


@time_machine.travel(NOON + dt.timedelta(minutes=30), tick=False)
def test_it_calls_for_the_procedure_again_when_a_check_is_flagged_after_the_close(client_for, cast):
    observation = in_observation("OB1985M", cast["health"], now=NOON - dt.timedelta(minutes=10))
    emergency, _ = emergency_open(client=observation.visit.client, by=cast["health"], now=NOON)
    emergency_close(
        emergency=emergency, outcome="recovered", by=cast["health"], ended_at=NOON + dt.timedelta(minutes=4)
    )
    observation_check_record(visit=observation.visit, state="unresponsive", by=cast["duty"])

    card = observation_card(client_for("health").get("/observation/").content.decode(), "OB1985M")

    assert t("Start the emergency procedure.") in card
    assert 'data-testid="emergency-closed"' not in card

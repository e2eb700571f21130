"""The handover log: the duty officer writes at the end of the shift, the next one reads and acknowledges."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from duty.models import Handover, HandoverAcknowledgement
from duty.services.handover import handover_acknowledge, handover_write
from tests.support.cast import second_duty_officer
from tests.support.factories import incident, open_visit, registered_client, shift
from tests.support.pages import marked_text_all, nb, text_of
from tests.support.races import race
from tests.support.time import oslo


@pytest.fixture
def kari(cast):
    """The evening's duty officer, who reads the day's handover."""
    return second_duty_officer("kari")


@pytest.fixture
def day_shift(cast, kari):
    shift(oslo(hour=15), oslo(hour=21, minute=30), duty=kari)
    return shift(oslo(hour=8), oslo(hour=15), duty=cast["duty"])


@pytest.fixture
def handover(cast, day_shift):
    with time_machine.travel(oslo(hour=14, minute=50), tick=False):
        return handover_write(by=cast["duty"], other_notes="Fire alarm test tomorrow at 10")


def _as(client, user):
    client.force_login(user)
    return client


# --- writing ------------------------------------------------------------------------------------


def test_it_writes_a_structured_handover_for_the_duty_officer_s_shift(client_for, cast, day_shift):
    worried = registered_client(by=cast["reception"])
    with time_machine.travel(oslo(hour=14, minute=50), tick=False):
        response = client_for("duty").post(
            "/handovers/new/",
            {
                "client_codes": "mako1993k",
                "concern_notes": "Seemed confused, check on her if she comes back",
                "incidents_note": "",
                "open_matters": "Ambulance took one client to legevakt",
                "stock_problems": "Low on 1 ml syringes",
                "other_notes": "",
            },
            follow=True,
        )

    written = Handover.objects.get()
    assert written.shift == day_shift
    assert list(written.clients_of_concern.all()) == [worried]
    assert written.stock_problems == "Low on 1 ml syringes"
    text = text_of(response.content.decode())
    assert "MAKO1993K" in text
    assert "Low on 1 ml syringes" in text


def test_it_shows_the_writer_what_will_be_attached(client_for, cast, day_shift):
    with time_machine.travel(oslo(hour=11), tick=False):
        incident(by=cast["duty"], staff=[cast["duty"]], at=oslo(hour=11))
    visit = open_visit(registered_client(by=cast["reception"]), at=oslo(hour=14), by=cast["reception"])

    with time_machine.travel(oslo(hour=14, minute=50), tick=False):
        text = text_of(client_for("duty").get("/handovers/new/").content.decode())

    assert "11:00" in text
    assert visit.client.code in text
    assert "08:00–15:00" in text


def test_it_refuses_a_client_code_that_is_not_registered(client_for, cast, day_shift):
    registered_client(by=cast["reception"])

    response = client_for("duty").post("/handovers/new/", {"client_codes": "MAKO1993K, XYZ1990M"})

    assert response.status_code == 200
    assert nb("No client is registered with the code %(codes)s.") % {"codes": "XYZ1990M"} in text_of(
        response.content.decode()
    )
    assert not Handover.objects.exists()


def test_it_attaches_the_shift_s_incidents_and_the_open_visits(cast, day_shift):
    with time_machine.travel(oslo(hour=7), tick=False):
        incident(by=cast["duty"], staff=[cast["duty"]], at=oslo(hour=7))  # before the shift: not attached
    with time_machine.travel(oslo(hour=11), tick=False):
        during = incident(by=cast["duty"], staff=[cast["duty"]], at=oslo(hour=11))
    visit = open_visit(registered_client(by=cast["reception"]), at=oslo(hour=14), by=cast["reception"])

    with time_machine.travel(oslo(hour=14, minute=50), tick=False):
        written = handover_write(by=cast["duty"])

    assert list(written.incidents.all()) == [during]
    assert [v["code"] for v in written.open_visits] == [visit.client.code]


def test_it_lets_only_duty_officers_write_handovers(client_for):
    for role in ("reception", "health", "coordinator", "counselor"):
        assert client_for(role).post("/handovers/new/", {}).status_code == 403


# --- reading and acknowledging ------------------------------------------------------------------


def test_it_shows_the_next_duty_officer_an_unread_handover_banner_on_every_page(client, kari, handover):
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        html = _as(client, kari).get("/floor/").content.decode()

    banner = marked_text_all(html, "unread-handovers")
    assert nb("Read and acknowledge") in banner
    assert "1" in banner


def test_it_lists_the_unread_handover_with_its_content(client, kari, handover):
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        html = _as(client, kari).get("/handovers/unread/").content.decode()

    assert "Fire alarm test tomorrow at 10" in marked_text_all(html, "handover")


def test_it_shows_no_banner_to_the_writer(client_for, handover):
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        html = client_for("duty").get("/floor/").content.decode()

    assert marked_text_all(html, "unread-handovers") == ""


def test_it_shows_no_banner_to_staff_who_do_not_take_over(client_for, handover):
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        html = client_for("health").get("/floor/").content.decode()

    assert marked_text_all(html, "unread-handovers") == ""


def test_it_marks_the_handover_read_once_acknowledged(client, kari, handover):
    reader = _as(client, kari)

    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        response = reader.post(f"/handovers/{handover.pk}/acknowledge/", {"next": "/handovers/unread/"}, follow=True)

    html = response.content.decode()
    ack = HandoverAcknowledgement.objects.get()
    assert (ack.handover, ack.user) == (handover, kari)
    assert marked_text_all(html, "unread-handovers") == ""
    assert nb("You have read every handover.") in marked_text_all(html, "no-unread")


def test_it_shows_who_has_read_the_handover(client_for, client, kari, handover):
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        handover_acknowledge(handover=handover, by=kari)

    html = client_for("coordinator").get(f"/handovers/{handover.pk}/").content.decode()

    assert "kari (10.3. 15:05)" in marked_text_all(html, "acknowledged-by")


def test_it_tells_the_reader_who_acknowledges_twice_that_it_is_done_already(client, kari, handover):
    reader = _as(client, kari)
    with time_machine.travel(oslo(hour=15, minute=5), tick=False):
        reader.post(f"/handovers/{handover.pk}/acknowledge/")
        response = reader.post(f"/handovers/{handover.pk}/acknowledge/", follow=True)

    assert response.status_code == 200
    expected = nb("You have already acknowledged this handover (%(when)s).") % {"when": "10.03.2026 15:05"}
    assert expected in text_of(response.content.decode())
    assert HandoverAcknowledgement.objects.count() == 1


def test_it_lets_the_database_settle_two_acknowledgements_at_once(kari, handover, monkeypatch):
    # Two clicks at once both pass the "already read?" check before either writes; the unique
    # constraint lets one row in and the other click gets the same clear message.
    HandoverAcknowledgement.objects.create(handover=handover, user=kari, acknowledged_at=oslo(hour=15))
    monkeypatch.setattr("duty.services.handover.has_acknowledged", lambda handover, user: False)

    with pytest.raises(ValidationError) as error:
        handover_acknowledge(handover=handover, by=kari)

    assert error.value.code == "already_acknowledged"
    assert HandoverAcknowledgement.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_records_one_acknowledgement_for_two_clicks_at_once(kari, handover):
    results = race(
        lambda: handover_acknowledge(handover=handover, by=kari),
        lambda: handover_acknowledge(handover=handover, by=kari),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "already_acknowledged", results
    assert HandoverAcknowledgement.objects.filter(handover=handover, user=kari).count() == 1


def test_it_refuses_the_writer_acknowledging_their_own_handover(client_for, handover):
    response = client_for("duty").post(f"/handovers/{handover.pk}/acknowledge/", follow=True)

    assert nb("You wrote this handover yourself.") in text_of(response.content.decode())
    assert not HandoverAcknowledgement.objects.exists()


def test_it_accepts_acknowledgements_only_by_post(client, kari, handover):
    response = _as(client, kari).get(f"/handovers/{handover.pk}/acknowledge/")

    assert response.status_code == 405


def test_it_does_not_bury_a_returning_officer_in_old_handovers(client, kari, cast, day_shift):
    with time_machine.travel(oslo(hour=14) - dt.timedelta(days=8), tick=False):
        handover_write(by=cast["duty"], other_notes="Old news")

    with time_machine.travel(oslo(hour=15), tick=False):
        html = _as(client, kari).get("/handovers/unread/").content.decode()

    assert "Old news" not in text_of(html)


# --- the log ------------------------------------------------------------------------------------


def test_it_finds_handovers_by_date(client_for, cast, day_shift):
    with time_machine.travel(oslo(hour=14) - dt.timedelta(days=1), tick=False):
        handover_write(by=cast["duty"], other_notes="Monday's news")
    with time_machine.travel(oslo(hour=14), tick=False):
        handover_write(by=cast["duty"], other_notes="Tuesday's news")

    html = client_for("coordinator").get("/handovers/?date=2026-03-09").content.decode()

    found = marked_text_all(html, "handover")
    assert "Monday's news" in found
    assert "Tuesday's news" not in found


def test_it_finds_handovers_naming_a_client(client_for, cast, day_shift):
    registered_client(by=cast["reception"])
    with time_machine.travel(oslo(hour=14), tick=False):
        handover_write(by=cast["duty"], client_codes=["MAKO1993K"], other_notes="About Mako")
        handover_write(by=cast["duty"], other_notes="About nobody")

    html = client_for("coordinator").get("/handovers/?code=mako1993k").content.decode()

    found = marked_text_all(html, "handover")
    assert "About Mako" in found
    assert "About nobody" not in found


@pytest.mark.parametrize("role", ["reception", "health", "counselor", "norole"])
def test_it_keeps_the_log_from_staff_who_do_not_lead_shifts(client_for, role):
    assert client_for(role).get("/handovers/").status_code == 403

"""Emergencies for a person who is not registered or not known: opened from where they are, the same
press recognised, linked to a code later with the link kept in the history, counted in the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from audit.models import AccessLogEntry
from health import services
from health.models import Emergency, Intervention
from oversight.retention import REDACTED, retention_run
from reports.periods import Period
from reports.selectors.figures import emergency_figures
from tests.support.factories import ClientFactory
from tests.support.pages import marked_text, nb
from tests.support.time import NOON

pytestmark = pytest.mark.django_db

UNKNOWN_URL = "/health/emergencies/unknown/"


def _unknown(cast, *, by="health", place=Emergency.Place.OUTSIDE, now=None, **kwargs) -> tuple[Emergency, bool]:
    return services.emergency_open_unknown(by=cast[by], place=place, now=now or NOON, **kwargs)


# Opening -------------------------------------------------------------------------------------------


def test_it_opens_an_emergency_for_an_unknown_person_from_the_form(at_noon, client_for):
    response = client_for("health").post(
        UNKNOWN_URL,
        {"place": "outside", "age_band": "30_39", "gender": "M", "description": "  Green jacket,   red cap "},
    )

    emergency = Emergency.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/health/emergencies/{emergency.pk}/"
    assert emergency.client is None
    assert (emergency.place, emergency.person_age_band, emergency.person_gender) == ("outside", "30_39", "M")
    assert emergency.person_description == "Green jacket, red cap"
    assert emergency.started_at == NOON


def test_it_shows_the_unknown_person_on_the_emergency_page_and_logs_no_client(at_noon, client_for, cast):
    emergency, _ = _unknown(cast, age_band="30_39", gender="K", description="Blue coat")

    page = client_for("health").get(f"/health/emergencies/{emergency.pk}/").content.decode()

    header = marked_text(page, "emergency-header")
    assert nb("Unknown person") in header
    person = marked_text(page, "unknown-person")
    assert "Blue coat" in person and nb("Woman") in person and nb("Outside the entrance") in person
    assert not AccessLogEntry.objects.exists()


def test_it_asks_only_where_and_says_so_when_it_is_missing(at_noon, client_for):
    response = client_for("health").post(UNKNOWN_URL, {"age_band": "30_39"})

    assert response.status_code == 400
    assert not Emergency.objects.exists()
    assert nb("This field is required.") in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"place": "the moon"},
        {"place": "outside", "age_band": "200"},
        {"place": "outside", "gender": "X"},
        {"place": "outside", "description": "x" * 201},
    ],
)
def test_it_refuses_odd_values_with_a_message_not_a_500(at_noon, client_for, data):
    response = client_for("health").post(UNKNOWN_URL, data)

    assert response.status_code == 400
    assert not Emergency.objects.exists()


def test_it_recognises_a_second_press_at_the_same_place_within_a_minute_as_the_same(at_noon, cast):
    first, created_first = _unknown(cast, by="health")
    second, created_second = _unknown(cast, by="duty", now=NOON + dt.timedelta(seconds=45))

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Emergency.objects.count() == 1


def test_it_tells_the_second_to_press_that_it_is_already_open(at_noon, client_for, cast):
    _unknown(cast, by="health")

    response = client_for("duty").post(UNKNOWN_URL, {"place": "outside"}, follow=True)

    assert Emergency.objects.count() == 1
    assert nb("An emergency is already open for %(code)s.") % {"code": nb("Unknown person")} in (
        response.content.decode()
    )


def test_it_opens_a_second_one_after_a_minute_or_at_another_place(at_noon, cast):
    _unknown(cast)
    _, later = _unknown(cast, now=NOON + dt.timedelta(seconds=90))
    _, elsewhere = _unknown(cast, place=Emergency.Place.RECEPTION)

    assert (later, elsewhere) == (True, True)
    assert Emergency.objects.count() == 3


def test_it_reaches_the_form_in_one_click_from_the_floor_reception_and_health_room(at_noon, client_for):
    for who, page in [("duty", "/floor/"), ("reception", "/reception/"), ("health", "/health/")]:
        html = client_for(who).get(page).content.decode()
        assert nb("Emergency: unknown person") in marked_text(html, "unknown-emergency-link"), page
        assert f'href="{UNKNOWN_URL}?next=' in html, page


def test_it_sends_reception_back_with_the_message_since_it_may_not_see_the_record(at_noon, client_for):
    response = client_for("reception").post(UNKNOWN_URL, {"place": "reception", "next": "/reception/"})

    assert response.status_code == 302
    assert response["Location"] == "/reception/"
    assert Emergency.objects.get().place == Emergency.Place.RECEPTION


# Linking to a code later ---------------------------------------------------------------------------


def test_it_links_the_emergency_to_a_code_later_and_keeps_the_link_in_its_history(at_noon, client_for, cast):
    emergency, _ = _unknown(cast, by="health")
    person = ClientFactory(letters="LINK", registered_by=cast["reception"])

    response = client_for("duty").post(
        f"/health/emergencies/{emergency.pk}/link/", {"client": person.code, "seen_version": emergency.version}
    )

    emergency.refresh_from_db()
    assert response.status_code == 302
    assert emergency.client == person
    assert (emergency.linked_at, emergency.linked_by) == (NOON, cast["duty"])
    assert emergency.version == 2
    history = list(emergency.history.order_by("history_date", "history_id"))
    assert (history[0].client_id, history[-1].client_id) == (None, person.pk)
    linked = next(row for row in history if row.client_id == person.pk)
    assert (linked.history_user, linked.linked_at) == (cast["duty"], NOON)
    page = client_for("health").get(f"/health/emergencies/{emergency.pk}/").content.decode()
    assert person.code in marked_text(page, "linked-client")
    assert AccessLogEntry.objects.filter(client=person, kind=AccessLogEntry.Kind.EMERGENCY).exists()


def test_it_refuses_to_link_when_the_client_has_another_emergency_open(at_noon, client_for, cast):
    person = ClientFactory(letters="BUSY", registered_by=cast["reception"])
    services.emergency_open(client=person, by=cast["health"])
    emergency, _ = _unknown(cast)

    response = client_for("health").post(
        f"/health/emergencies/{emergency.pk}/link/", {"client": person.code, "seen_version": 1}, follow=True
    )

    emergency.refresh_from_db()
    assert emergency.client is None
    expected = nb(
        "%(code)s already has an open emergency (since %(time)s). Close that one, or link this one to another code."
    ) % {"code": person.code, "time": "12:00"}
    assert expected in response.content.decode()


def test_it_refuses_to_link_to_another_code_once_linked(at_noon, cast):
    emergency, _ = _unknown(cast)
    first = ClientFactory(letters="FIRS", registered_by=cast["reception"])
    second = ClientFactory(letters="SECO", registered_by=cast["reception"])
    services.emergency_link_client(emergency=emergency, client=first, by=cast["health"], seen_version=1)

    with pytest.raises(ValidationError):
        services.emergency_link_client(emergency=emergency, client=second, by=cast["duty"], seen_version=1)
    again = services.emergency_link_client(emergency=emergency, client=first, by=cast["duty"], seen_version=1)

    assert again.client == first and again.linked_by == cast["health"]


@pytest.mark.parametrize("code", ["", "NOSUCH1990M", "<script>"])
def test_it_says_so_when_the_code_to_link_is_missing_or_unknown(at_noon, client_for, cast, code):
    emergency, _ = _unknown(cast)

    response = client_for("health").post(
        f"/health/emergencies/{emergency.pk}/link/", {"client": code, "seen_version": 1}, follow=True
    )

    assert response.status_code == 200
    assert Emergency.objects.get().client is None


def test_it_shows_the_link_form_only_for_an_unknown_person(at_noon, client_for, cast):
    emergency, _ = _unknown(cast)
    page = client_for("health").get(f"/health/emergencies/{emergency.pk}/").content.decode()
    assert f'action="/health/emergencies/{emergency.pk}/link/"' in page

    person = ClientFactory(letters="KNOW", registered_by=cast["reception"])
    known, _ = services.emergency_open(client=person, by=cast["health"])
    page = client_for("health").get(f"/health/emergencies/{known.pk}/").content.decode()
    assert "/link/" not in page


# Everywhere an emergency shows ---------------------------------------------------------------------


def test_it_shows_the_unknown_person_on_the_floor_board_and_in_the_health_room(at_noon, client_for, cast):
    _unknown(cast, age_band="50_59", description="Grey beard")

    strip = marked_text(client_for("duty").get("/floor/").content.decode(), "board-emergencies")
    room = client_for("health").get("/health/").content.decode()

    assert nb("Unknown person") in strip and "Grey beard" in strip and nb("50–59") in strip
    assert nb("Unknown person") in marked_text(room, "open-emergency")


def test_it_counts_an_unknown_persons_overdose_and_its_naloxone_in_the_figures(at_noon, cast):
    emergency, _ = _unknown(cast)
    services.emergency_intervention_add(
        emergency=emergency, kind=Intervention.Kind.NALOXONE, by=cast["health"], route="in", dose_mg=Decimal("1.8")
    )
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])

    figures = emergency_figures(Period.for_month(NOON.date()))

    assert (figures.total, figures.overdoses, figures.naloxone_events, figures.naloxone_doses) == (1, 1, 1, 1)
    assert figures.naloxone_mg == Decimal("1.80")


def test_it_blanks_an_unknown_persons_description_and_notes_after_the_retention_period(at_noon, cast):
    emergency, _ = _unknown(cast, description="Green jacket")
    Emergency.objects.filter(pk=emergency.pk).update(notes="Found by the bins")

    with time_machine.travel(NOON + dt.timedelta(days=365 * 11), tick=False):
        result = retention_run()

    emergency.refresh_from_db()
    assert result.unknown_persons == 1
    assert (emergency.person_description, emergency.notes) == (REDACTED, REDACTED)
    assert set(emergency.history.values_list("person_description", flat=True)) == {REDACTED}
    assert (emergency.kind, emergency.place) == (Emergency.Kind.OPIOID_OVERDOSE, Emergency.Place.OUTSIDE)

"""Incident corrections are versioned: a correction from a form opened before another one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from core.versioning import StaleEdit
from tests.support.factories import incident, registered_client
from tests.support.pages import STALE_EDIT, nb, text_of
from tests.support.races import race
from tests.support.time import oslo
from visits.models import Incident
from visits.services.incidents import incident_correct

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(cast, at_noon):
    return incident(by=cast["duty"], other_party="a passer-by")


def _form(recorded: Incident, **values) -> dict:
    """The correction form as it was opened now, with ``values`` entered."""
    data = {
        "kind": recorded.kind,
        "date": "2026-03-10",
        "time": "11:00",
        "place": recorded.area,
        "client_codes": "",
        "other_party": recorded.other_party,
        "description": recorded.description,
        "action_taken": recorded.action_taken,
        "reason": "Completing the description",
        "seen_version": Incident.objects.get(pk=recorded.pk).version,
    }
    data.update(values)
    return data


def _correct_meanwhile(recorded: Incident, by, **values) -> None:
    fields = {
        "kind": recorded.kind,
        "occurred_at": recorded.occurred_at,
        "area": recorded.area,
        "room": None,
        "other_party": recorded.other_party,
        "description": recorded.description,
        "action_taken": recorded.action_taken,
    }
    fields.update(values)
    incident_correct(incident=recorded, **fields, reason="Another officer's correction", by=by)


def test_it_refuses_a_correction_opened_before_another_was_saved(client_for, cast, recorded, at_noon):
    stale = _form(recorded, description="Threatened the guard with a bottle")
    at_noon.shift(dt.timedelta(minutes=3))
    _correct_meanwhile(recorded, cast["coordinator"], action_taken="Police called; he left before they came")

    response = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", stale)

    assert response.status_code == 409
    text = text_of(response.content.decode())
    assert nb(STALE_EDIT) in text
    recorded.refresh_from_db()
    assert recorded.action_taken == "Police called; he left before they came"
    assert recorded.description == "Threatened another client in the queue"


def test_it_lists_what_changed_and_who_changed_it(client_for, cast, recorded, at_noon):
    stale = _form(recorded, description="Threatened the guard with a bottle")
    at_noon.shift(dt.timedelta(minutes=3))
    _correct_meanwhile(recorded, cast["coordinator"], action_taken="Police called; he left before they came")

    html = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", stale).content.decode()

    assert f'<th scope="row">{nb("What was done")}</th>' in html
    assert "Talked him down; asked him to leave for the day" in html
    assert "coordinator 12:03:00" in html
    assert "Threatened the guard with a bottle" in html  # what they entered is shown, not lost


def test_it_offers_the_form_again_at_the_version_saved_meanwhile(client_for, cast, recorded, at_noon):
    stale = _form(recorded, description="Threatened the guard with a bottle")
    _correct_meanwhile(recorded, cast["coordinator"], action_taken="Police called; he left before they came")

    html = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", stale).content.decode()

    assert 'name="seen_version" value="2"' in html
    assert "Police called; he left before they came</textarea>" in html


def test_it_saves_a_correction_opened_at_the_current_version_and_raises_it(client_for, recorded):
    response = client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/", _form(recorded, description="Threatened the guard with a bottle")
    )

    assert response.status_code == 302
    recorded.refresh_from_db()
    assert recorded.description == "Threatened the guard with a bottle"
    assert recorded.version == 2


def test_it_lists_a_client_added_meanwhile_by_code(client_for, cast, recorded, at_noon):
    mako = registered_client("MAKO", 1993, "K", by=cast["reception"])
    stale = _form(recorded)
    _correct_meanwhile(recorded, cast["coordinator"], clients=[mako])

    html = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", stale).content.decode()

    assert f'<th scope="row">{nb("Clients involved")}</th><td>—</td><td>MAKO1993K</td>' in html


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999"])
def test_it_answers_a_missing_or_garbled_version_with_a_form_error(client_for, recorded, version):
    response = client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/", _form(recorded, description="Changed", seen_version=version)
    )

    assert response.status_code == 200
    assert nb("The form is incomplete: reload the page.") in text_of(response.content.decode())
    recorded.refresh_from_db()
    assert recorded.description == "Threatened another client in the queue"


@pytest.mark.django_db(transaction=True)
def test_it_saves_one_of_two_corrections_made_at_once_from_the_same_version_and_refuses_the_other(cast, facility):
    with time_machine.travel(oslo(), tick=False):
        recorded = incident(by=cast["duty"], other_party="a passer-by")
        values = {
            "kind": recorded.kind,
            "occurred_at": recorded.occurred_at,
            "area": recorded.area,
            "room": None,
            "other_party": recorded.other_party,
            "action_taken": recorded.action_taken,
            "seen_version": 1,
        }

        results = race(
            lambda: incident_correct(incident=recorded, **values, description="A", reason="A", by=cast["duty"]),
            lambda: incident_correct(incident=recorded, **values, description="B", reason="B", by=cast["coordinator"]),
        )

    refused = [result for result in results if isinstance(result, StaleEdit)]
    assert len(refused) == 1, results
    recorded.refresh_from_db()
    assert recorded.version == 2
    assert recorded.description in ("A", "B")

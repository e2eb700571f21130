"""Turning a client away at reception: the reason is recorded and counts in the day's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.factories import ClientFactory, RefusalFactory, heroin, not_allowed_substance
from tests.support.pages import form_values, marked_text, nb, text_of
from tests.support.time import NOON
from visits.models import Client, Refusal


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def refuse(http, client: Client, **data):
    return http.post(f"/clients/{client.pk}/refuse/", data)


@pytest.mark.parametrize(
    "reason",
    [
        Refusal.Reason.TOO_INTOXICATED,
        Refusal.Reason.SUBSTANCE_NOT_ALLOWED,
        Refusal.Reason.OUTSIDE_HOURS,
        Refusal.Reason.BANNED,
        Refusal.Reason.NOT_ELIGIBLE,
    ],
)
def test_it_records_the_reason(reception, cast, reason):
    client = ClientFactory()

    response = refuse(reception, client, reason=reason)

    assert response.status_code == 302
    refusal = Refusal.objects.get(client=client)
    assert (refusal.reason, refusal.by, refusal.at) == (reason, cast["reception"], NOON)


def test_the_card_s_refusal_form_has_no_reason_chosen_beforehand(reception):
    client = ClientFactory()
    action = f"/clients/{client.pk}/refuse/"

    card = reception.get(f"/clients/{client.pk}/")

    assert form_values(card.content, action)["reason"] == ""
    assert "Velg årsak" in text_of(card.content)


def test_it_records_nothing_and_asks_for_the_reason_when_none_was_chosen(reception):
    client = ClientFactory()
    action = f"/clients/{client.pk}/refuse/"
    card = reception.get(f"/clients/{client.pk}/")

    response = reception.post(action, form_values(card.content, action))  # the form as it stands

    assert response.status_code == 303
    assert "Velg årsaken til at brukeren blir avvist." in text_of(reception.get(response.url).content)
    assert not Refusal.objects.filter(client=client).exists()


def test_it_records_the_substance_brought(reception):
    client = ClientFactory()
    substance = not_allowed_substance()

    refuse(reception, client, reason=Refusal.Reason.SUBSTANCE_NOT_ALLOWED, substance=substance.pk)

    assert Refusal.objects.get(client=client).substance == substance


def test_it_records_another_reason_with_a_note(reception):
    client = ClientFactory()

    refuse(reception, client, reason=Refusal.Reason.OTHER, note="Came with a dog")

    refusal = Refusal.objects.get(client=client)
    assert (refusal.reason, refusal.note) == (Refusal.Reason.OTHER, "Came with a dog")


def test_it_asks_for_a_note_when_the_reason_is_other(reception):
    client = ClientFactory()

    response = refuse(reception, client, reason=Refusal.Reason.OTHER, note="  ", substance=heroin().pk)

    assert response.status_code == 303
    card = reception.get(response.url)
    assert nb("Describe the reason for the refusal.") in text_of(card.content)
    assert form_values(card.content, f"/clients/{client.pk}/refuse/")["substance"] == str(heroin().pk)
    assert not Refusal.objects.exists()


def test_it_says_the_refusal_is_recorded(reception):
    client = ClientFactory(code="MAKO1990K")

    response = refuse(reception, client, reason=Refusal.Reason.TOO_INTOXICATED)

    page = reception.get(response.url)
    assert nb("The refusal of %(code)s is recorded: %(reason)s.") % {
        "code": "MAKO1990K",
        "reason": nb("Too intoxicated"),
    } in text_of(page.content)


def test_it_counts_in_the_reception_figures_for_today(reception):
    refuse(reception, ClientFactory(), reason=Refusal.Reason.TOO_INTOXICATED)
    refuse(reception, ClientFactory(), reason=Refusal.Reason.BANNED)

    page = reception.get("/reception/")

    assert marked_text(page.content, "count-refusals") == "2"


def test_it_does_not_count_yesterdays_refusals_today(reception):
    RefusalFactory(at=NOON - dt.timedelta(days=1))

    page = reception.get("/reception/")

    assert marked_text(page.content, "count-refusals") == "0"


def test_it_records_one_refusal_when_submitted_twice(reception):
    client = ClientFactory()

    refuse(reception, client, reason=Refusal.Reason.TOO_INTOXICATED)
    refuse(reception, client, reason=Refusal.Reason.TOO_INTOXICATED)

    assert Refusal.objects.filter(client=client).count() == 1


def test_it_records_the_refusal_after_a_blocked_check_in(reception):
    client = ClientFactory()
    blocked = reception.post(f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": "heavy"})
    assert blocked.status_code == 303

    refuse(reception, client, reason=Refusal.Reason.TOO_INTOXICATED, substance=heroin().pk)

    assert Refusal.objects.get(client=client).reason == Refusal.Reason.TOO_INTOXICATED


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "because"},
        {},
        {"reason": "other", "note": "x" * 501},
        {"reason": "banned", "token": "not-a-token"},
        {"reason": "banned", "substance": "x" * 5000},
    ],
)
def test_it_shows_a_form_error_for_bad_input(reception, data):
    client = ClientFactory()

    response = refuse(reception, client, **data)

    assert response.status_code == 303
    assert reception.get(response.url).context["refusal_form"].errors
    assert not Refusal.objects.exists()


def test_it_rejects_get(reception):
    client = ClientFactory()

    assert reception.get(f"/clients/{client.pk}/refuse/").status_code == 405


@pytest.mark.parametrize("role", ["health", "counselor", "coordinator", "norole"])
def test_it_is_forbidden_for_roles_that_do_not_work_reception(client_for, at_noon, role):
    client = ClientFactory()

    assert refuse(client_for(role), client, reason=Refusal.Reason.BANNED).status_code == 403
    assert not Refusal.objects.exists()

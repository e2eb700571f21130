"""A refused check-in leads to the client's card, where one click records the refusal for the rule that said no.

Every POST ends in a redirect: the card the browser lands on shows the rules that said no and what was
entered, once; a reload sends nothing again. The same refusal form sent twice records one refusal.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.support.factories import ClientFactory, heroin, not_allowed_substance
from tests.support.pages import form_values, marked_text, marked_texts, nb, text_of
from tests.support.races import race
from tests.support.time import NOON
from visits.models import Client, Intoxication, Refusal, Visit
from visits.services.checkin import refusal_record


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def check_in(http, client: Client, **data):
    return http.post(
        f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": Intoxication.NONE, **data}
    )


def one_click_forms(content: bytes) -> list[str]:
    return marked_texts(content, "one-click-refusal")


def test_it_answers_a_blocked_check_in_with_a_redirect_to_the_card(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(reception, client)

    assert response.status_code == 303
    assert response.url == f"/clients/{client.pk}/"


def test_it_shows_the_blockers_and_keeps_what_was_entered(reception):
    client = ClientFactory()

    response = check_in(reception, client, intoxication=Intoxication.HEAVY, dose="0.2 g", last_use="11:15")

    card = reception.get(response.url)
    assert nb("The client is too intoxicated to use safely now.") in marked_text(card.content, "blockers")
    values = form_values(card.content, f"/clients/{client.pk}/check-in/")
    assert (values["dose"], values["last_use"], values["intoxication"]) == ("0.2 g", "11:15", Intoxication.HEAVY)


def test_it_shows_the_blockers_once(reception):
    client = ClientFactory(status=Client.Status.PENDING)
    response = check_in(reception, client)
    reception.get(response.url)

    again = reception.get(response.url)

    assert marked_texts(again.content, "blockers") == []
    assert form_values(again.content, f"/clients/{client.pk}/check-in/").get("dose", "") == ""


def test_it_forgets_the_blockers_when_the_card_is_opened_much_later(reception, at_noon):
    client = ClientFactory(status=Client.Status.PENDING)
    response = check_in(reception, client)

    at_noon.move_to(NOON + dt.timedelta(minutes=11))
    card = reception.get(response.url)

    assert marked_texts(card.content, "blockers") == []


def test_it_shows_the_blockers_on_that_client_s_card_only(reception):
    client, other = ClientFactory(status=Client.Status.PENDING), ClientFactory()
    check_in(reception, client)

    card = reception.get(f"/clients/{other.pk}/")

    assert marked_texts(card.content, "blockers") == []
    assert marked_texts(reception.get(f"/clients/{client.pk}/").content, "blockers") != []


def test_it_offers_one_click_for_each_rule_that_is_a_refusal_reason(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(reception, client, intoxication=Intoxication.HEAVY)

    buttons = one_click_forms(reception.get(response.url).content)
    assert buttons == [
        nb("Record refusal: %(reason)s") % {"reason": nb("Not eligible (no intake or not active)")},
        nb("Record refusal: %(reason)s") % {"reason": nb("Too intoxicated")},
    ]


def test_it_offers_no_refusal_for_a_client_already_inside(reception, cast):
    client = ClientFactory()
    blocked = check_in(reception, client)
    assert Visit.objects.filter(client=client).exists()
    Visit.objects.update(checked_in_at=NOON.replace(hour=11))  # long enough ago not to be the same click

    blocked = check_in(reception, client)

    assert one_click_forms(reception.get(blocked.url).content) == []


def test_one_click_records_the_reason_and_the_substance_brought(reception, cast):
    client = ClientFactory()
    substance = not_allowed_substance()
    blocked = check_in(reception, client, substance=substance.pk)
    card = reception.get(blocked.url)
    action = f"/clients/{client.pk}/refuse/"

    response = reception.post(action, form_values(card.content, action))  # the first one-click form

    assert response.status_code == 302
    refusal = Refusal.objects.get(client=client)
    assert (refusal.reason, refusal.substance, refusal.by, refusal.at) == (
        Refusal.Reason.SUBSTANCE_NOT_ALLOWED,
        substance,
        cast["reception"],
        NOON,
    )
    assert nb("The refusal of %(code)s is recorded: %(reason)s.") % {
        "code": client.code,
        "reason": nb("Substance not allowed"),
    } in text_of(reception.get(response.url).content)


def test_the_same_form_sent_twice_records_one_refusal_and_says_so(reception):
    client = ClientFactory(status=Client.Status.PENDING)
    card = reception.get(check_in(reception, client).url)
    action = f"/clients/{client.pk}/refuse/"
    sent = form_values(card.content, action)

    reception.post(action, sent)
    again = reception.post(action, sent)

    assert Refusal.objects.filter(client=client).count() == 1
    assert nb("The refusal of %(code)s was already recorded: %(reason)s.") % {
        "code": client.code,
        "reason": nb("Not eligible (no intake or not active)"),
    } in text_of(reception.get(again.url).content)


def test_a_token_sent_for_another_client_records_nothing(reception, cast):
    client, other = ClientFactory(), ClientFactory()
    token = uuid.uuid4()
    refusal_record(client=client, reason=Refusal.Reason.BANNED, by=cast["reception"], token=token)

    response = reception.post(f"/clients/{other.pk}/refuse/", {"reason": Refusal.Reason.BANNED, "token": token})

    assert nb("This form was already used. Fill it in again.") in text_of(reception.get(response.url).content)
    assert not Refusal.objects.filter(client=other).exists()


def test_a_check_in_error_survives_the_redirect(reception):
    client = ClientFactory()

    response = check_in(reception, client, last_use="25:99", dose="0.1 g")

    assert response.status_code == 303
    card = reception.get(response.url)
    assert card.context["check_in_form"].errors["last_use"]
    assert form_values(card.content, f"/clients/{client.pk}/check-in/")["dose"] == "0.1 g"


@pytest.mark.django_db(transaction=True)
def test_the_same_form_sent_twice_at_once_records_one_refusal(cast):
    client = ClientFactory()
    token = uuid.uuid4()

    def send() -> Refusal:
        return refusal_record(
            client=client, reason=Refusal.Reason.TOO_INTOXICATED, by=cast["reception"], token=token, now=NOON
        )

    results = race(send, send)

    assert all(isinstance(result, Refusal) for result in results), results
    assert Refusal.objects.filter(client=client).count() == 1
    assert sorted(result.already_recorded for result in results) == [False, True]  # type: ignore[union-attr]

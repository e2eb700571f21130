"""The intake interview in the interview room: eligibility, consent, house rules; accepting makes a client active."""

from __future__ import annotations

import pytest

from counseling.models import Intake
from tests.support.factories import ClientFactory, heroin
from tests.support.pages import nb, text_of
from tests.support.time import NOON
from visits.models import Client, Visit

CRITERIA = {
    "is_adult": "on",
    "long_term_heroin_dependence": "on",
    "harmful_injection_practice": "on",
    "consent_given": "on",
    "house_rules_explained": "on",
    "harm_reduction_advice_given": "on",
}


@pytest.fixture
def counselor(client_for, at_noon):
    return client_for("counselor")


@pytest.fixture
def new_client(at_noon) -> Client:
    return ClientFactory(code="MAKO1990K", status=Client.Status.PENDING)


def url(client: Client) -> str:
    return f"/interview/intake/{client.pk}/"


def record(http, client: Client, follow: bool = False, **data):
    return http.post(url(client), {**CRITERIA, "outcome": Intake.Outcome.ACCEPTED, **data}, follow=follow)


def test_it_makes_an_accepted_client_active(counselor, new_client, cast):
    response = record(counselor, new_client, notes="Long history, injects in the groin")

    assert response.status_code == 302
    assert response.url == "/interview/"
    new_client.refresh_from_db()
    assert new_client.status == Client.Status.ACTIVE
    intake = Intake.objects.get(client=new_client)
    assert (intake.outcome, intake.by, intake.at) == (Intake.Outcome.ACCEPTED, cast["counselor"], NOON)
    assert intake.notes == "Long history, injects in the groin"


def test_it_says_the_accepted_client_can_now_be_checked_in(counselor, new_client):
    response = record(counselor, new_client)

    page = counselor.get(response.url)
    assert nb("%(code)s is accepted and can now be checked in.") % {"code": "MAKO1990K"} in text_of(page.content)


def test_it_lets_reception_check_in_a_client_once_accepted(counselor, new_client, client_for):
    record(counselor, new_client)

    response = client_for("reception").post(
        f"/clients/{new_client.pk}/check-in/", {"substance": heroin().pk, "intoxication": "none"}, follow=True
    )

    assert response.redirect_chain == [("/reception/", 302)]
    assert nb("%(code)s is checked in and waits for a booth.") % {"code": "MAKO1990K"} in text_of(response.content)
    visit = Visit.objects.get(client=new_client)
    assert (visit.checked_in_at, visit.ended_at, visit.location) == (NOON, None, Visit.Location.QUEUE)


@pytest.mark.parametrize(
    "missing",
    ["is_adult", "long_term_heroin_dependence", "harmful_injection_practice", "consent_given", "house_rules_explained"],
)
def test_it_refuses_to_accept_when_a_criterion_is_missing(counselor, new_client, missing):
    data = {**CRITERIA, "outcome": Intake.Outcome.ACCEPTED}
    del data[missing]

    response = counselor.post(url(new_client), data)

    assert response.status_code == 200
    label = str(Intake._meta.get_field(missing).verbose_name)
    assert nb("The client can only be accepted when every criterion is met. Missing: %(missing)s.") % {
        "missing": nb(label)
    } in text_of(response.content)
    new_client.refresh_from_db()
    assert new_client.status == Client.Status.PENDING
    assert not Intake.objects.exists()


def test_it_records_a_refusal_with_its_reason(counselor, new_client, cast):
    response = record(
        counselor,
        new_client,
        long_term_heroin_dependence="",
        outcome=Intake.Outcome.REFUSED,
        refusal_reason="Uses amphetamine only",
        follow=True,
    )

    assert response.redirect_chain == [("/interview/", 302)]
    assert nb("%(code)s was refused at intake.") % {"code": "MAKO1990K"} in text_of(response.content)
    intake = Intake.objects.get(client=new_client)
    assert (intake.outcome, intake.refusal_reason, intake.by, intake.at) == (
        Intake.Outcome.REFUSED,
        "Uses amphetamine only",
        cast["counselor"],
        NOON,
    )
    new_client.refresh_from_db()
    assert new_client.status == Client.Status.PENDING


def test_it_needs_a_reason_to_refuse(counselor, new_client):
    response = record(counselor, new_client, outcome=Intake.Outcome.REFUSED, refusal_reason="  ")

    assert response.status_code == 200
    assert nb("Give the reason for refusing the client.") in text_of(response.content)
    assert not Intake.objects.exists()


def test_it_shows_reception_the_refusal_on_the_client_card_but_not_its_reason(counselor, new_client, client_for):
    record(counselor, new_client, outcome=Intake.Outcome.REFUSED, refusal_reason="Uses amphetamine only")

    card = text_of(client_for("reception").get(f"/clients/{new_client.pk}/").content)

    assert nb("Refused at intake on %(date)s.") % {"date": "10. mars 2026"} in card
    assert "Uses amphetamine only" not in card


def test_it_shows_a_counselor_the_reason_for_the_refusal_on_the_client_card(counselor, new_client, client_for):
    record(counselor, new_client, outcome=Intake.Outcome.REFUSED, refusal_reason="Uses amphetamine only")

    card = client_for("counselor").get(f"/clients/{new_client.pk}/")

    assert "Uses amphetamine only" in text_of(card.content)


def test_it_refuses_an_intake_for_a_client_already_active(counselor, cast):
    client = ClientFactory(code="PEOL1970M", status=Client.Status.ACTIVE)

    response = record(counselor, client)

    assert response.status_code == 200
    assert nb("%(code)s has already completed intake.") % {"code": "PEOL1970M"} in text_of(response.content)
    assert not Intake.objects.exists()


def test_it_gives_a_deregistered_client_a_new_intake(counselor):
    client = ClientFactory(status=Client.Status.DEREGISTERED)

    record(counselor, client)

    client.refresh_from_db()
    assert client.status == Client.Status.ACTIVE


def test_it_asks_for_the_outcome(counselor, new_client):
    response = counselor.post(url(new_client), CRITERIA)

    assert response.status_code == 200
    assert response.context["form"].errors["outcome"]
    assert not Intake.objects.exists()


def test_it_shows_a_form_error_for_oversized_notes(counselor, new_client):
    response = record(counselor, new_client, notes="x" * 5001)

    assert response.context["form"].errors["notes"]
    assert not Intake.objects.exists()


def test_it_lists_the_new_client_as_waiting_for_intake(counselor, new_client):
    page = counselor.get("/interview/")

    assert "MAKO1990K" in text_of(page.content)
    assert f'href="{url(new_client)}"' in page.content.decode()


def test_it_lists_the_intake_among_todays(counselor, new_client):
    record(counselor, new_client)

    page = counselor.get("/interview/")

    assert f"12:00 MAKO1990K: {nb('Accepted')}" in text_of(page.content)


@pytest.mark.parametrize("role", ["reception", "health", "coordinator", "norole"])
def test_it_is_forbidden_for_roles_that_do_not_run_intakes(client_for, new_client, role):
    http = client_for(role)

    assert http.get(url(new_client)).status_code == 403
    assert record(http, new_client).status_code == 403
    new_client.refresh_from_db()
    assert new_client.status == Client.Status.PENDING


def test_it_lets_a_duty_officer_run_an_intake(client_for, new_client, cast):
    response = record(client_for("duty"), new_client, follow=True)

    assert response.redirect_chain == [("/interview/", 302)]
    assert nb("%(code)s is accepted and can now be checked in.") % {"code": "MAKO1990K"} in text_of(response.content)
    intake = Intake.objects.get(client=new_client)
    assert (intake.outcome, intake.by) == (Intake.Outcome.ACCEPTED, cast["duty"])
    new_client.refresh_from_db()
    assert new_client.status == Client.Status.ACTIVE

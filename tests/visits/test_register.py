"""Registering a new client at reception: adults only, one code per person, nothing but the code."""

from __future__ import annotations

import pytest

from tests.support.factories import ClientFactory
from tests.support.pages import form_values, marked_text, nb, text_of
from tests.support.time import NOON
from visits.models import Client

URL = "/clients/new/"
THIS_YEAR = NOON.year  # 2026


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def register(http, follow: bool = False, **data):
    return http.post(URL, {"letters": "MAKO", "birth_year": 1990, "gender": "K", **data}, follow=follow)


def assert_registered(response, code: str) -> None:
    """The client is in the database, pending intake, and reception has landed on their card, told so."""
    client = Client.objects.get(code=code)
    assert client.status == Client.Status.PENDING
    assert response.redirect_chain == [(f"/clients/{client.pk}/", 302)]
    assert nb("%(code)s is registered. Send the client to the interview room for intake.") % {
        "code": code
    } in text_of(response.content)


def test_it_registers_a_client_as_pending_intake_and_opens_the_card(reception, cast):
    response = register(reception)

    client = Client.objects.get()
    assert response.status_code == 302
    assert response.url == f"/clients/{client.pk}/"
    assert (client.code, client.birth_year, client.gender) == ("MAKO1990K", 1990, "K")
    assert client.status == Client.Status.PENDING
    assert client.registered_by == cast["reception"]
    assert client.registered_at == NOON


def test_it_tells_reception_to_send_the_new_client_to_the_interview_room(reception):
    response = register(reception, letters="MAKO")

    page = reception.get(response.url)
    assert nb("%(code)s is registered. Send the client to the interview room for intake.") % {
        "code": "MAKO1990K"
    } in text_of(page.content)


def test_it_normalises_letters_typed_in_lower_case_with_spaces(reception):
    register(reception, letters="ma ko")

    assert Client.objects.get().code == "MAKO1990K"


def test_it_refuses_someone_younger_than_18_and_writes_nothing(reception):
    response = register(reception, birth_year=THIS_YEAR - 17, age_proof_seen="on")

    assert response.status_code == 200
    assert nb("The person is younger than 18 and cannot be registered.") in text_of(response.content)
    assert not Client.objects.exists()


def test_it_refuses_a_birth_year_in_the_future(reception):
    response = register(reception, birth_year=THIS_YEAR + 1)

    assert response.status_code == 200
    assert response.context["form"].errors["birth_year"]
    assert not Client.objects.exists()


def test_it_asks_for_proof_of_age_from_someone_turning_18_this_year(reception):
    response = register(reception, birth_year=THIS_YEAR - 18)

    assert nb("The person turns 18 this year. Confirm that you have seen proof that they are 18 today.") in text_of(
        response.content
    )
    assert not Client.objects.exists()


def test_it_records_who_saw_proof_of_age_and_when(reception, cast):
    register(reception, birth_year=THIS_YEAR - 18, age_proof_seen="on")

    client = Client.objects.get()
    assert client.age_confirmed_at == NOON
    assert client.age_confirmed_by == cast["reception"]


def test_it_records_no_proof_of_age_for_someone_older(reception):
    register(reception, birth_year=THIS_YEAR - 19)

    client = Client.objects.get()
    assert client.age_confirmed_at is None
    assert client.age_confirmed_by is None


def test_it_refuses_a_code_already_registered(reception):
    ClientFactory(code="MAKO1990K", birth_year=1990, gender="K")

    response = register(reception)

    assert nb("The code %(code)s is already registered.") % {"code": "MAKO1990K"} in text_of(response.content)
    assert Client.objects.count() == 1


def test_it_asks_whether_a_near_match_is_the_same_person(reception):
    ClientFactory(code="MAKA1990K", birth_year=1990, gender="K")

    response = register(reception, letters="MAKO")

    assert response.status_code == 200
    assert "MAKA1990K" in marked_text(response.content, "near-matches")
    assert nb("Similar codes are already registered: %(codes)s. Is this the same person?") % {
        "codes": "MAKA1990K"
    } in text_of(response.content)
    assert not Client.objects.filter(code="MAKO1990K").exists()


def test_it_registers_a_near_match_when_submitted_again_to_confirm(reception):
    ClientFactory(code="MAKA1990K", birth_year=1990, gender="K")
    warning = register(reception, letters="MAKO")

    again = reception.post(URL, form_values(warning.content, ""), follow=True)

    assert_registered(again, "MAKO1990K")
    assert Client.objects.count() == 2


def test_it_warns_again_when_the_letters_change_after_a_confirmation(reception):
    ClientFactory(code="MAKA1990K", birth_year=1990, gender="K")
    ClientFactory(code="MAKE1990K", birth_year=1990, gender="K")
    warning = register(reception, letters="MAKO")
    values = form_values(warning.content, "")
    values["letters"] = "MAKI"

    again = reception.post(URL, values)

    assert again.status_code == 200
    assert "MAKE1990K" in marked_text(again.content, "near-matches")
    assert not Client.objects.filter(code__in=["MAKO1990K", "MAKI1990K"]).exists()


def test_it_does_not_count_another_birth_year_as_a_near_match(reception):
    ClientFactory(code="MAKA1991K", birth_year=1991, gender="K")

    response = register(reception, letters="MAKO", follow=True)

    assert_registered(response, "MAKO1990K")


def test_it_does_not_count_another_gender_as_a_near_match(reception):
    ClientFactory(code="MAKA1990M", birth_year=1990, gender="M")

    response = register(reception, letters="MAKO", follow=True)

    assert_registered(response, "MAKO1990K")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("letters", "M4KO"),
        ("letters", "!?"),
        ("letters", "<>"),
        ("letters", "ÉÉÉ"),
        ("letters", ""),
        ("letters", "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 40),
        ("birth_year", ""),
        ("birth_year", "nineteen"),
        ("birth_year", "9" * 40),
        ("birth_year", "1899"),
        ("gender", "X"),
        ("gender", ""),
    ],
)
def test_it_shows_a_form_error_for_bad_input_and_writes_nothing(reception, field, value):
    response = register(reception, **{field: value})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Client.objects.exists()


@pytest.mark.parametrize("role", ["reception", "counselor", "duty"])
def test_it_lets_roles_that_add_clients_open_the_form(client_for, at_noon, role):
    response = client_for(role).get(URL)

    assert response.status_code == 200
    assert form_values(response.content, "")["letters"] == ""


@pytest.mark.parametrize("role", ["health", "coordinator", "admin", "norole"])
def test_it_is_forbidden_for_roles_that_may_not_register(client_for, at_noon, role):
    http = client_for(role)

    assert http.get(URL).status_code == 403
    assert register(http).status_code == 403
    assert not Client.objects.exists()


def test_it_fills_in_the_form_from_a_code_typed_in_search(reception):
    response = reception.get(URL, {"code": "mako1990k"})

    values = form_values(response.content, "")
    assert (values["letters"], values["birth_year"], values["gender"]) == ("MAKO", "1990", "K")

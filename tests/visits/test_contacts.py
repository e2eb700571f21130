"""Walk-in contacts: equipment or advice without a visit, by client code or anonymously by gender."""

from __future__ import annotations

import pytest

from tests.support.factories import ClientFactory
from tests.support.pages import nb, text_of
from tests.support.time import NOON
from visits.models import Client, Contact, EquipmentItem, HandOut

URL = "/reception/contact/"


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def item(name: str) -> EquipmentItem:
    return EquipmentItem.objects.get(name=name)


def record(http, **data):
    return http.post(URL, data)


def test_it_records_a_contact_with_a_client_code(reception, cast):
    client = ClientFactory(code="MAKO1990K", gender=Client.Gender.WOMAN)

    response = record(reception, code="mako 1990 k", **{f"item_{item('Sprøyte 1 ml').pk}": 10})

    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.client, contact.gender, contact.equipment, contact.advice) == (client, "K", True, False)
    assert (contact.at, contact.by) == (NOON, cast["reception"])


def test_it_records_an_anonymous_contact_by_gender(reception):
    record(reception, gender="M", advice="on", note="Asked about LAR")

    contact = Contact.objects.get()
    assert (contact.client, contact.gender, contact.advice, contact.note) == (None, "M", True, "Asked about LAR")


def test_it_records_each_item_and_quantity_handed_out(reception, cast):
    syringes, needles = item("Sprøyte 1 ml"), item("Kanyle")

    record(reception, gender="A", **{f"item_{syringes.pk}": 10, f"item_{needles.pk}": 20})

    contact = Contact.objects.get()
    assert {(h.item, h.quantity) for h in HandOut.objects.filter(contact=contact)} == {(syringes, 10), (needles, 20)}
    assert {(h.visit, h.by, h.at) for h in HandOut.objects.all()} == {(None, cast["reception"], NOON)}


def test_it_writes_no_hand_out_for_an_item_left_at_zero(reception):
    record(reception, gender="K", advice="on", **{f"item_{item('Kanyle').pk}": 0})

    assert not HandOut.objects.exists()
    assert Contact.objects.get().equipment is False


def test_it_takes_the_gender_from_the_client(reception):
    ClientFactory(code="MAKO1990K", gender=Client.Gender.WOMAN)

    record(reception, code="MAKO1990K", gender="M", advice="on")

    assert Contact.objects.get().gender == "K"


def test_it_says_the_contact_is_recorded(reception):
    response = record(reception, gender="M", advice="on")

    page = reception.get(response.url)
    assert nb("Contact recorded (%(who)s).") % {"who": nb("Man")} in text_of(page.content)


def test_it_counts_in_the_reception_figures_for_today(reception):
    record(reception, gender="M", advice="on")
    record(reception, gender="K", advice="on")

    page = reception.get("/reception/")

    assert f"{nb('Walk-in contacts')} 2" in text_of(page.content)


def test_it_refuses_an_empty_contact(reception):
    response = record(reception, gender="M")

    assert response.status_code == 200
    assert nb("Record at least one item handed out, or that advice was given.") in text_of(response.content)
    assert not Contact.objects.exists()


def test_it_asks_for_the_gender_of_an_anonymous_contact(reception):
    response = record(reception, advice="on")

    assert nb("Choose the gender for an anonymous contact.") in text_of(response.content)
    assert not Contact.objects.exists()


def test_it_shows_a_form_error_for_an_unknown_code(reception):
    response = record(reception, code="NOBO1990M", advice="on")

    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [nb("No client has the code %(code)s.") % {"code": "NOBO1990M"}]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("code", ["!!!", "<>", "---"])
def test_it_shows_a_form_error_for_a_code_of_odd_characters_only(reception, code):
    response = record(reception, code=code, gender="M", advice="on")

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Contact.objects.exists()


def test_it_shows_a_form_error_for_an_oversized_code(reception):
    response = record(reception, code="A" * 41, gender="M", advice="on")

    assert response.context["form"].errors["code"]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("quantity", ["-1", "501", "99999999999999999999", "ten", "1.5"])
def test_it_shows_a_form_error_for_a_bad_quantity(reception, quantity):
    field = f"item_{item('Kanyle').pk}"

    response = record(reception, gender="M", **{field: quantity})

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Contact.objects.exists()
    assert not HandOut.objects.exists()


def test_it_fills_in_the_code_from_the_client_card(reception):
    response = reception.get(URL, {"code": "MAKO1990K"})

    assert response.context["form"]["code"].value() == "MAKO1990K"


@pytest.mark.parametrize("role", ["counselor", "coordinator", "admin", "norole"])
def test_it_is_forbidden_for_roles_that_hand_out_nothing(client_for, at_noon, role):
    http = client_for(role)

    assert http.get(URL).status_code == 403
    assert record(http, gender="M", advice="on").status_code == 403
    assert not Contact.objects.exists()


def test_it_lets_health_workers_record_a_contact(client_for, at_noon):
    response = record(client_for("health"), gender="M", advice="on")

    assert response.status_code == 302
    assert Contact.objects.count() == 1


def test_it_sends_a_health_worker_back_to_a_station_they_may_open(client_for, at_noon):
    response = client_for("health").post(URL, {"gender": "M", "advice": "on"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] != "/reception/"
    assert nb("Contact recorded (%(who)s).") % {"who": nb("Man")} in text_of(response.content)

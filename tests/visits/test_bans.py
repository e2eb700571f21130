"""Bans: registered by duty officers and coordinators, in force at once, ending by themselves, lifted with a reason."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.factories import BanFactory, ClientFactory, heroin
from tests.support.pages import marked_text, nb, text_of
from tests.support.time import NOON
from visits.models import Ban, Client, Visit

FORMAT = "%Y-%m-%dT%H:%M"


def local(moment: dt.datetime) -> str:
    return moment.strftime(FORMAT)


def register_ban(http, client: Client, **data):
    return http.post(
        f"/clients/{client.pk}/bans/",
        {
            "reason": "Dealing in the waiting room",
            "starts_at": local(NOON),
            "ends_at": local(NOON + dt.timedelta(days=14)),
            **data,
        },
    )


def lift(http, ban: Ban, reason: str = "Apologised and agreed to the rules"):
    return http.post(f"/bans/{ban.pk}/lift/", {"lift_reason": reason}, follow=True)


def check_in(http, client: Client):
    return http.post(f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": "none"})


@pytest.mark.parametrize("role", ["duty", "coordinator"])
def test_it_lets_duty_officers_and_coordinators_register_a_ban(client_for, at_noon, cast, role):
    client = ClientFactory()

    response = register_ban(client_for(role), client)

    assert response.status_code == 302
    assert response.url == f"/clients/{client.pk}/"
    ban = Ban.objects.get(client=client)
    assert (ban.reason, ban.starts_at, ban.ends_at) == (
        "Dealing in the waiting room",
        NOON,
        NOON + dt.timedelta(days=14),
    )
    assert (ban.created_by, ban.created_at) == (cast[role], NOON)


@pytest.mark.parametrize("role", ["reception", "health", "counselor", "norole"])
def test_it_is_forbidden_for_other_roles(client_for, at_noon, role):
    client = ClientFactory()
    http = client_for(role)

    assert http.get(f"/clients/{client.pk}/bans/").status_code == 403
    assert register_ban(http, client).status_code == 403
    assert not Ban.objects.exists()


def test_it_shows_the_ban_on_the_card_at_once(client_for, at_noon):
    client = ClientFactory()
    register_ban(client_for("duty"), client, reason="Threatened staff")

    card = client_for("reception").get(f"/clients/{client.pk}/")

    assert "Threatened staff" in marked_text(card.content, "ban-alert")


def test_it_registers_a_ban_until_further_notice(client_for, at_noon):
    client = ClientFactory()

    register_ban(client_for("duty"), client, ends_at="")

    assert Ban.objects.get(client=client).ends_at is None


def test_it_refuses_check_in_while_the_ban_lasts(client_for, at_noon):
    client = ClientFactory()
    register_ban(client_for("duty"), client, reason="Threatened staff")

    reception = client_for("reception")
    response = check_in(reception, client)

    assert response.status_code == 303  # to the card, which says why
    assert nb("The client is banned: %(reason)s") % {"reason": "Threatened staff"} in marked_text(
        reception.get(response.url).content, "blockers"
    )
    assert not Visit.objects.exists()


def test_it_ends_by_itself_at_its_end_time(client_for, at_noon):
    client = ClientFactory()
    BanFactory(client=client, starts_at=NOON - dt.timedelta(days=7), ends_at=NOON + dt.timedelta(hours=1))
    reception = client_for("reception")
    assert check_in(reception, client).status_code == 303

    at_noon.move_to(NOON + dt.timedelta(hours=1, minutes=1))
    response = check_in(reception, client)

    assert response.status_code == 302
    assert Visit.objects.filter(client=client).count() == 1


def test_it_does_not_stop_check_in_before_it_starts(client_for, at_noon):
    client = ClientFactory()
    BanFactory(client=client, starts_at=NOON + dt.timedelta(hours=1))

    assert check_in(client_for("reception"), client).status_code == 302


def test_it_stops_check_in_once_it_starts(client_for, at_noon):
    client = ClientFactory()
    BanFactory(client=client, starts_at=NOON + dt.timedelta(hours=1))

    at_noon.move_to(NOON + dt.timedelta(hours=1))

    assert check_in(client_for("reception"), client).status_code == 303


def test_it_records_who_lifted_a_ban_early_and_why(client_for, at_noon, cast):
    ban = BanFactory()

    response = lift(client_for("duty"), ban)

    ban.refresh_from_db()
    assert (ban.lifted_at, ban.lifted_by, ban.lift_reason) == (
        NOON,
        cast["duty"],
        "Apologised and agreed to the rules",
    )
    assert nb("The ban on %(code)s is lifted.") % {"code": ban.client.code} in text_of(response.content)


def test_it_allows_check_in_once_the_ban_is_lifted(client_for, at_noon):
    ban = BanFactory()
    lift(client_for("coordinator"), ban)

    assert check_in(client_for("reception"), ban.client).status_code == 302


def test_it_keeps_a_lifted_ban_in_the_history(client_for, at_noon):
    ban = BanFactory(reason="Threatened staff")
    duty = client_for("duty")

    response = lift(duty, ban)

    assert Ban.objects.filter(pk=ban.pk).exists()
    text = text_of(response.content)
    assert "Threatened staff" in text
    assert "Apologised and agreed to the rules" in text


def test_it_needs_a_reason_to_lift_a_ban_early(client_for, at_noon):
    ban = BanFactory()

    response = lift(client_for("duty"), ban, reason="  ")

    ban.refresh_from_db()
    assert ban.lifted_at is None
    assert nb("Give the reason for lifting the ban early.") in text_of(response.content)


def test_it_says_so_when_a_ban_is_lifted_twice(client_for, at_noon, cast):
    ban = BanFactory()
    duty = client_for("duty")
    lift(duty, ban, reason="First")

    response = lift(duty, ban, reason="Second")

    ban.refresh_from_db()
    assert ban.lift_reason == "First"
    assert nb("This ban has already been lifted.") in text_of(response.content)


def test_it_says_so_when_a_ban_that_has_ended_is_lifted(client_for, at_noon):
    ban = BanFactory(starts_at=NOON - dt.timedelta(days=7), ends_at=NOON - dt.timedelta(days=1))

    response = lift(client_for("duty"), ban)

    ban.refresh_from_db()
    assert ban.lifted_at is None
    assert nb("This ban has already ended.") in text_of(response.content)


def test_it_refuses_a_ban_that_ends_before_it_starts(client_for, at_noon):
    client = ClientFactory()

    response = register_ban(client_for("duty"), client, ends_at=local(NOON - dt.timedelta(hours=1)))

    assert response.status_code == 200
    assert nb("The ban must end after it starts.") in text_of(response.content)
    assert not Ban.objects.exists()


def test_it_refuses_a_ban_that_ends_when_it_starts(client_for, at_noon):
    client = ClientFactory()

    register_ban(client_for("duty"), client, ends_at=local(NOON))

    assert not Ban.objects.exists()


def test_it_refuses_a_ban_whose_end_is_already_past(client_for, at_noon):
    client = ClientFactory()

    response = register_ban(
        client_for("duty"),
        client,
        starts_at=local(NOON - dt.timedelta(days=3)),
        ends_at=local(NOON - dt.timedelta(days=1)),
    )

    assert nb("The end of the ban is already past.") in text_of(response.content)
    assert not Ban.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"reason": ""},
        {"reason": "x" * 2001},
        {"starts_at": ""},
        {"starts_at": "yesterday"},
        {"ends_at": "2026-13-45T99:99"},
    ],
)
def test_it_shows_a_form_error_for_bad_input(client_for, at_noon, data):
    client = ClientFactory()

    response = register_ban(client_for("duty"), client, **data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Ban.objects.exists()


def test_it_lists_every_ban_in_the_history(client_for, at_noon):
    client = ClientFactory()
    BanFactory(
        client=client, reason="First ban", starts_at=NOON - dt.timedelta(days=60), ends_at=NOON - dt.timedelta(days=50)
    )
    BanFactory(client=client, reason="Second ban")

    text = text_of(client_for("duty").get(f"/clients/{client.pk}/bans/").content)

    assert "First ban" in text
    assert "Second ban" in text


def test_it_forbids_reception_to_lift_a_ban(client_for, at_noon):
    ban = BanFactory()

    response = client_for("reception").post(f"/bans/{ban.pk}/lift/", {"lift_reason": "Nice person"})

    assert response.status_code == 403
    ban.refresh_from_db()
    assert ban.lifted_at is None


def test_it_rejects_a_get_to_lift(client_for, at_noon):
    ban = BanFactory()

    assert client_for("duty").get(f"/bans/{ban.pk}/lift/").status_code == 405

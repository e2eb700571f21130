"""Search before create: matches appear as reception types, near matches catch a misheard code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import ngettext, override

from tests.support.factories import BanFactory, ClientFactory, VisitFactory
from tests.support.pages import marked_text, nb, text_of
from tests.support.time import NOON
from visits.models import Client
from visits.selectors.clients import SEARCH_LIMIT

SEARCH = "/reception/search/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def search(http, query: str):
    return http.get(SEARCH, {"q": query}, **HTMX)


def result_rows(content: bytes) -> dict[str, str]:
    """Each matching client's code and the text of its row (flags included)."""
    html = content.decode()
    rows = {}
    for chunk in html.split('role="listitem"')[1:]:
        text = text_of(chunk.split("</a>", 1)[0].split(">", 1)[1])
        rows[text.split(" ", 1)[0]] = text
    return rows


def test_it_lists_clients_whose_code_starts_with_what_was_typed(reception):
    for code in ("MAKO1990K", "MAKA1985M", "PEOL1970M"):
        ClientFactory(code=code)

    response = search(reception, "ma")

    assert response.status_code == 200
    assert list(result_rows(response.content)) == ["MAKA1985M", "MAKO1990K"]


def test_it_answers_htmx_with_the_results_only(reception):
    ClientFactory(code="MAKO1990K")

    response = search(reception, "MAKO")

    assert "<html" not in response.content.decode()
    assert "MAKO1990K" in result_rows(response.content)


def test_it_matches_a_code_typed_in_lower_case_with_spaces(reception):
    ClientFactory(code="MAKO1990K")

    response = search(reception, "mako 19")

    assert list(result_rows(response.content)) == ["MAKO1990K"]


def test_it_lists_the_codes_starting_with_one_letter(reception):
    for code in ("EKO1990K", "ELLA1985M", "PEOL1970M"):
        ClientFactory(code=code)

    response = search(reception, "e")

    assert sorted(result_rows(response.content)) == ["EKO1990K", "ELLA1985M"]
    assert nb("No client code starts with %(code)s.").replace("%(code)s", "E") not in text_of(response.content)


def test_it_lists_the_clients_seen_most_recently_first_for_one_letter(reception):
    never = ClientFactory(code="EAAA1990K")
    for days_ago, code in ((30, "EBBB1990K"), (1, "ECCC1990K"), (7, "EDDD1990K")):
        VisitFactory(
            client=ClientFactory(code=code),
            checked_in_at=NOON - dt.timedelta(days=days_ago),
            ended_at=NOON - dt.timedelta(days=days_ago, hours=-1),
        )

    response = search(reception, "e")

    assert list(result_rows(response.content)) == ["ECCC1990K", "EDDD1990K", "EBBB1990K", never.code]


def test_it_bounds_the_list_for_one_letter(reception):
    for n in range(SEARCH_LIMIT + 5):
        ClientFactory(code=f"E{chr(ord('A') + n)}{1960 + n}M")

    response = search(reception, "E")

    assert len(result_rows(response.content)) == SEARCH_LIMIT
    with override("nb"):
        more = ngettext(
            "Only the first %(shown)s is shown: type more of the code to find the others.",
            "Only the first %(shown)s are shown: type more of the code to find the others.",
            SEARCH_LIMIT,
        ) % {"shown": SEARCH_LIMIT}
    assert marked_text(response.content, "search-more") == more


def test_it_says_nothing_of_others_when_every_match_is_listed(reception):
    for n in range(SEARCH_LIMIT):
        ClientFactory(code=f"E{chr(ord('A') + n)}{1960 + n}M")

    response = search(reception, "E")

    assert len(result_rows(response.content)) == SEARCH_LIMIT
    assert 'data-testid="search-more"' not in response.content.decode()


def test_the_reception_page_lists_one_letter_matches(reception):
    ClientFactory(code="EKO1990K")

    response = reception.get("/reception/", {"q": "e", "go": "1"})

    assert response.status_code == 200
    assert "EKO1990K" in result_rows(response.content)


@pytest.mark.parametrize("query", ["%_", "-- ."])
def test_it_asks_for_a_letter_or_digit_rather_than_searching_for_nothing(reception, query):
    page = text_of(search(reception, query).content)

    assert nb("Type a letter or digit of the client code.") in page
    assert "Ingen brukerkode begynner med" not in page


def test_the_reception_page_asks_for_letters_or_digits_for_signs_only(reception):
    page = text_of(reception.get("/reception/", {"q": "%_"}).content)

    assert nb("Type a letter or digit of the client code.") in page
    assert "Ingen brukerkode begynner med" not in page


def test_it_says_when_no_code_starts_with_what_was_typed(reception):
    response = search(reception, "zz")

    assert nb("No client code starts with %(code)s.").replace("%(code)s", "ZZ") in text_of(response.content)


def test_it_shows_near_matches_when_no_client_has_the_exact_code(reception):
    ClientFactory(code="MAKA1990K", birth_year=1990, gender="K")

    response = search(reception, "MAKO1990K")

    text = text_of(response.content)
    assert (
        nb("No client has the code %(code)s, but these are one letter apart. Is it one of them?").replace(
            "%(code)s", "MAKO1990K"
        )
        in text
    )
    assert "MAKA1990K" in text


def test_it_shows_no_near_matches_when_the_code_matches_exactly(reception):
    ClientFactory(code="MAKO1990K", birth_year=1990, gender="K")
    ClientFactory(code="MAKA1990K", birth_year=1990, gender="K")

    response = search(reception, "MAKO1990K")

    assert list(result_rows(response.content)) == ["MAKO1990K"]
    assert "MAKA1990K" not in text_of(response.content)


def test_it_flags_a_banned_client(reception):
    BanFactory(client=ClientFactory(code="MAKO1990K"))

    response = search(reception, "MAKO")

    assert nb("Banned") in result_rows(response.content)["MAKO1990K"]


def test_it_does_not_flag_a_ban_that_has_ended(reception):
    BanFactory(
        client=ClientFactory(code="MAKO1990K"),
        starts_at=NOON - dt.timedelta(days=10),
        ends_at=NOON - dt.timedelta(days=3),
    )

    response = search(reception, "MAKO")

    assert nb("Banned") not in result_rows(response.content)["MAKO1990K"]


def test_it_flags_a_client_inside_now(reception):
    VisitFactory(client=ClientFactory(code="MAKO1990K"))

    response = search(reception, "MAKO")

    assert nb("Inside now") in result_rows(response.content)["MAKO1990K"]


def test_it_flags_a_client_who_needs_intake(reception):
    ClientFactory(code="MAKO1990K", status=Client.Status.PENDING)

    response = search(reception, "MAKO")

    assert nb("Needs intake") in result_rows(response.content)["MAKO1990K"]


def test_it_shows_no_flags_for_an_active_client_outside(reception):
    ClientFactory(code="MAKO1990K")

    response = search(reception, "MAKO")

    assert result_rows(response.content)["MAKO1990K"] == "MAKO1990K"


def test_it_opens_the_card_when_enter_is_pressed_on_an_exact_code(reception):
    client = ClientFactory(code="MAKO1990K")

    response = reception.get("/reception/", {"q": "mako 1990 k", "go": "1"})

    assert response.status_code == 302
    assert response.url == f"/clients/{client.pk}/"


def test_it_lists_matches_when_enter_is_pressed_on_part_of_a_code(reception):
    ClientFactory(code="MAKO1990K")

    response = reception.get("/reception/", {"q": "MAKO", "go": "1"})

    assert response.status_code == 200
    assert "MAKO1990K" in result_rows(response.content)


def test_it_offers_to_register_a_full_code_nobody_has(reception):
    response = search(reception, "peol 1970 m")

    text = text_of(response.content)
    assert nb("Register %(code)s as a new client").replace("%(code)s", "PEOL1970M") in text
    assert 'href="/clients/new/?code=PEOL1970M"' in response.content.decode()


def test_it_does_not_offer_to_register_a_code_already_registered(reception):
    ClientFactory(code="PEOL1970M")

    response = search(reception, "PEOL1970M")

    assert "/clients/new/" not in response.content.decode()


def test_it_does_not_offer_to_register_part_of_a_code(reception):
    response = search(reception, "PEOL")

    assert "/clients/new/" not in response.content.decode()


def test_it_does_not_offer_registering_to_a_role_that_may_not(client_for, at_noon):
    response = search(client_for("health"), "PEOL1970M")

    assert response.status_code == 200
    assert "/clients/new/" not in response.content.decode()


@pytest.mark.parametrize("query", ["<script>alert(1)</script>", "'; DROP TABLE visits_client; --", "%_%", "x" * 41])
def test_it_answers_odd_or_oversized_input_without_an_error(reception, query):
    ClientFactory(code="MAKO1990K")

    assert search(reception, query).status_code == 200
    assert reception.get("/reception/", {"q": query, "go": "1"}).status_code == 200


def test_it_is_forbidden_without_access_to_clients(client_for, at_noon):
    assert search(client_for("norole"), "MAKO").status_code == 403


@pytest.mark.django_db
def test_near_matches_are_exactly_the_codes_one_letter_apart_of_the_same_year_and_gender():
    from visits import codes
    from visits.selectors.clients import client_near_matches

    typed = "MAKO"
    letters = [
        "MAKA", "MKO", "MAKOS", "AMKO", "MAOK", "ØAKO", "MAKØ", "XMAKO", "MAKOX", "MAK", "AKO",  # one apart
        "MAKO", "MAXX", "OKAM", "MA", "MAKOXX", "XXKO", "KOMA", "MAKAX",  # not
    ]  # fmt: skip
    for these in letters:
        ClientFactory(code=codes.build(these, 1990, "K"), birth_year=1990, gender="K")
        ClientFactory(code=codes.build(these, 1991, "K"), birth_year=1991, gender="K")
        ClientFactory(code=codes.build(these, 1990, "M"), birth_year=1990, gender="M")

    found = client_near_matches(letters=typed, birth_year=1990, gender="K", limit=100)

    expected = sorted(codes.build(these, 1990, "K") for these in letters if codes.one_letter_apart(these, typed))
    assert sorted(client.code for client in found) == expected
    assert len(expected) == 11

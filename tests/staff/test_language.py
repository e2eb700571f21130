"""The interface speaks bokmål unless the staff member chooses English, whatever the browser says."""

from __future__ import annotations

from django.test import Client

from staff.models import User
from tests.support.pages import html_lang, log_in


def test_it_shows_the_login_page_in_norwegian_to_an_english_browser(client, db):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")

    assert html_lang(response.content.decode()) == "nb"
    assert response["Content-Language"] == "nb"


def test_it_saves_the_chosen_language_on_the_profile(client_for, cast):
    client_for("reception").post("/language/", {"language": "en", "next": "/reception/"})

    assert User.objects.get(username="reception").language == "en"


def test_it_returns_to_the_page_the_language_was_chosen_on(client_for):
    response = client_for("reception").post("/language/", {"language": "en", "next": "/reception/"})

    assert response.status_code == 302
    assert response["Location"] == "/reception/"


def test_it_shows_later_pages_in_the_chosen_language(client_for):
    client = client_for("reception")
    client.post("/language/", {"language": "en", "next": "/reception/"})

    response = client.get("/reception/")

    assert html_lang(response.content.decode()) == "en"
    assert response["Content-Language"] == "en"


def test_it_keeps_the_chosen_language_on_another_computer(client_for):
    client_for("reception").post("/language/", {"language": "en", "next": "/"})

    response = log_in(Client(), "reception")

    assert html_lang(response.content.decode()) == "en"


def test_it_remembers_the_language_chosen_before_login(client, db):
    client.post("/language/", {"language": "en", "next": "/login/"})

    response = client.get("/login/")

    assert html_lang(response.content.decode()) == "en"


def test_it_refuses_a_get_to_the_language_switch(client_for, cast):
    response = client_for("reception").get("/language/", {"language": "en"})

    assert response.status_code == 405
    assert User.objects.get(username="reception").language == "nb"


def test_it_ignores_a_language_it_does_not_offer(client_for, cast):
    client = client_for("reception")

    client.post("/language/", {"language": "de", "next": "/reception/"})

    assert User.objects.get(username="reception").language == "nb"
    assert "language" not in client.cookies
    assert html_lang(client.get("/reception/").content.decode()) == "nb"


def test_it_never_sends_the_user_to_another_site_after_switching(client_for):
    response = client_for("reception").post("/language/", {"language": "en", "next": "https://evil.example/"})

    assert response["Location"] == "/"

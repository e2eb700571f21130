"""The admin in bokmål: every page an administrator reaches, without the English Django's own catalogue leaves."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group

from staff.models import User
from tests.support.pages import text_of

# English seen on the Norwegian admin before: Django strings newer than its bokmål catalogue, the roles'
# names as the database stores them, and permission names as Django writes them.
KNOWN_ENGLISH = [
    "Skip to main content",
    "Toggle theme",
    "Model name",
    "Add link",
    "Change or view list link",
    "Show counts",
    "Hide counts",
    "Please correct the error",
    "Error:",
    "After you’ve created a user",
    "Raw passwords are not stored",
    "Reset password",
    "Set password",
    "Password-based authentication",
    "Breadcrumbs",
    "Sidebar",
    "Start typing to filter",
    "Select all objects on this page",
    "Coordinator",
    "Counselor",
    "Duty officer",
    "Health worker",
    "Reception",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Roles:",
]


def _admin_pages() -> list[str]:
    """Every admin page an administrator reaches from the index: lists, add forms, an object and its history."""
    urls = ["/admin/", "/admin/password_change/"]
    for model in admin.site._registry:
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        urls += [base, f"{base}add/"]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls += [f"{base}{first.pk}/change/", f"{base}{first.pk}/history/"]
    return urls


def _english_on(text: str) -> list[str]:
    return [phrase for phrase in KNOWN_ENGLISH if phrase in text]


def test_it_shows_no_known_english_on_any_admin_page_in_bokmal(client_for):
    http = client_for("admin")
    found = {}
    for url in _admin_pages():
        response = http.get(url)
        if response.status_code == 403:  # an add form the model allows nobody (the facility is one row)
            continue
        assert response.status_code == 200, url
        english = _english_on(text_of(response.content))
        if english:
            found[url] = english

    assert found == {}


def test_it_asks_in_bokmal_to_correct_the_errors_of_a_form(client_for):
    response = client_for("admin").post("/admin/staff/user/add/", {"username": ""})

    text = text_of(response.content)
    assert "Vennligst korriger feilene under." in text
    assert _english_on(text) == []


def test_it_names_the_roles_in_bokmal_on_the_staff_form(client_for):
    user = User.objects.get(username="reception")

    text = text_of(client_for("admin").get(f"/admin/staff/user/{user.pk}/change/").content)

    for role in ("Mottak", "Rådgiver", "Helsearbeider", "Vakthavende", "Koordinator"):
        assert role in text


def test_it_names_the_roles_in_bokmal_in_the_roles_list(client_for):
    text = text_of(client_for("admin").get("/admin/auth/group/").content)

    assert "Koordinator" in text
    assert "Coordinator" not in text


def test_it_shows_a_role_and_its_permissions_in_bokmal(client_for):
    group = Group.objects.get(name="Reception")

    text = text_of(client_for("admin").get(f"/admin/auth/group/{group.pk}/change/").content)

    assert "Mottak" in text
    assert "Kan se brukere" in text
    assert _english_on(text) == []


@pytest.mark.parametrize("language", ["en"])
def test_it_keeps_english_for_an_english_administrator(client_for, language):
    admin_user = User.objects.get(username="admin")
    admin_user.language = language
    admin_user.save(update_fields=["language"])

    text = text_of(client_for("admin").get("/admin/auth/group/").content)

    assert "Coordinator" in text

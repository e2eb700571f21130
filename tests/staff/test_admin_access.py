"""The admin is for the Administrator role alone; there it manages staff accounts, never superusers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils.translation import ngettext, override

from staff.models import User
from tests.support.cast import PASSWORD
from tests.support.pages import log_in, nb

NEW_PASSWORD = "another-long-passphrase-42"


def _user_form(user: User, **changes) -> dict:
    """The admin change form for ``user`` as the browser would post it unchanged, plus ``changes``."""
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "groups": [group.pk for group in user.groups.all()],
    }
    if user.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def test_it_opens_the_admin_to_the_administrator(client_for):
    response = client_for("admin").get("/admin/")

    assert response.status_code == 200
    assert 'href="/admin/staff/user/"' in response.content.decode()


def test_it_lists_the_staff_for_the_administrator(client_for):
    response = client_for("admin").get("/admin/staff/user/")

    assert response.status_code == 200
    assert [user.username for user in response.context["cl"].result_list] == sorted(
        ["admin", "coordinator", "counselor", "duty", "health", "norole", "reception"]
    )


def test_it_lands_the_administrator_in_the_admin_after_asking_for_it_before_login(client, cast):
    client.get("/admin/")
    response = client.post("/login/?next=/admin/", {"username": "admin", "password": PASSWORD}, follow=True)

    assert response.request["PATH_INFO"] == "/admin/"
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "coordinator", "norole"])
def test_it_refuses_the_admin_to_every_other_role(client_for, role):
    response = client_for(role).get("/admin/", follow=True)

    assert response.status_code == 403
    assert nb("You do not have access to this page") in response.content.decode()


@pytest.mark.parametrize("role", ["reception", "duty"])
def test_it_refuses_the_staff_list_to_every_other_role(client_for, role):
    response = client_for(role).get("/admin/staff/user/", follow=True)

    assert response.status_code == 403


def test_it_sends_an_anonymous_visitor_from_the_admin_to_the_login_page(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/login/?next=/admin/"


def test_it_creates_a_staff_member_with_a_role(client_for):
    reception = Group.objects.get(name="Reception")

    response = client_for("admin").post(
        "/admin/staff/user/add/",
        {
            "username": "kari",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "en",
            "groups": [reception.pk],
        },
    )

    assert response.status_code == 302
    kari = User.objects.get(username="kari")
    assert list(kari.groups.values_list("name", flat=True)) == ["Reception"]
    assert kari.language == "en"
    assert kari.check_password(NEW_PASSWORD)


def test_it_lets_a_new_staff_member_log_in_at_their_station(client_for, client):
    reception = Group.objects.get(name="Reception")
    client_for("admin").post(
        "/admin/staff/user/add/",
        {
            "username": "kari",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "language": "nb",
            "groups": [reception.pk],
        },
    )
    client.logout()

    response = log_in(client, "kari", NEW_PASSWORD)

    assert response.request["PATH_INFO"] == "/reception/"


def test_it_deactivates_a_staff_member_through_the_admin_action(client_for, cast):
    response = client_for("admin").post(
        "/admin/staff/user/",
        {"action": "deactivate", "_selected_action": [cast["reception"].pk], "index": 0},
        follow=True,
    )

    cast["reception"].refresh_from_db()
    assert cast["reception"].is_active is False
    assert User.objects.filter(username="reception").exists()  # kept, with its history
    with override("nb"):
        expected = ngettext("%(count)d staff member deactivated.", "%(count)d staff members deactivated.", 1)
    assert [str(message) for message in response.context["messages"]] == [expected % {"count": 1}]


def test_it_never_deactivates_the_administrator_doing_it(client_for, cast):
    client_for("admin").post(
        "/admin/staff/user/",
        {"action": "deactivate", "_selected_action": [cast["admin"].pk, cast["health"].pk], "index": 0},
    )

    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"health"}


def test_it_stops_a_deactivated_staff_member_from_logging_in(client_for, client, cast):
    client_for("admin").post(
        "/admin/staff/user/", {"action": "deactivate", "_selected_action": [cast["reception"].pk], "index": 0}
    )
    client.logout()

    response = log_in(client, "reception")

    assert response.request["PATH_INFO"] == "/login/"
    assert not response.context["user"].is_authenticated
    assert response.context["form"].errors


def test_it_ends_the_open_session_of_a_deactivated_staff_member(client_for, cast):
    station = client_for("reception")  # logged in at the reception computer
    User.objects.filter(pk=cast["reception"].pk).update(is_active=False)

    response = station.get("/reception/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/reception/"


def test_it_changes_a_password_through_the_admin_password_form(client_for, client, cast):
    reception = cast["reception"]

    response = client_for("admin").post(
        f"/admin/staff/user/{reception.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.check_password(NEW_PASSWORD)
    assert not reception.check_password(PASSWORD)


@pytest.mark.parametrize("url", ["/admin/staff/user/add/", "/admin/staff/user/{pk}/change/"])
def test_it_shows_no_superuser_field(client_for, cast, url):
    response = client_for("admin").get(url.format(pk=cast["reception"].pk))

    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()
    assert 'name="user_permissions"' not in response.content.decode()


def test_it_ignores_a_superuser_flag_posted_to_the_change_form(client_for, cast):
    reception = cast["reception"]

    response = client_for("admin").post(
        f"/admin/staff/user/{reception.pk}/change/",
        _user_form(reception, is_superuser="on", is_staff="on", first_name="Kari"),
    )

    assert response.status_code == 302
    reception.refresh_from_db()
    assert reception.first_name == "Kari"  # the form was saved ...
    assert reception.is_superuser is False  # ... without the flag

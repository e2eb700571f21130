"""After logging in, each role lands at its station and sees only the stations it works at."""

from __future__ import annotations

import pytest

from staff.roles import Role
from tests.support.cast import make_user
from tests.support.pages import log_in, nav_hrefs, nb

LANDING = {
    "reception": "/reception/",
    "counselor": "/interview/",
    "health": "/injection/",
    "duty": "/floor/",
    "coordinator": "/dashboard/",
    "admin": "/admin/",
}

# The station links each role sees in the top navigation, in order, among the stations below.
# Later stations (incidents, handover, roster ...) are left out of the comparison: their own tests
# say who sees them, so that adding one does not rewrite these.
STATIONS = [
    "/reception/",
    "/interview/",
    "/health/",
    "/injection/",
    "/observation/",
    "/floor/",
    "/dashboard/",
    "/admin/",
]
NAVIGATION = {
    "reception": ["/reception/", "/floor/"],
    "counselor": ["/interview/", "/floor/"],
    "health": ["/health/", "/injection/", "/observation/", "/floor/"],
    "duty": ["/reception/", "/interview/", "/health/", "/injection/", "/observation/", "/floor/", "/dashboard/"],
    "coordinator": ["/dashboard/"],
    "admin": ["/admin/"],
}
STATION_ROLES = [role for role in LANDING if role != "admin"]


def stations_in_nav(html: str) -> list[str]:
    return [href for href in nav_hrefs(html) if href in STATIONS]


@pytest.mark.parametrize("role", LANDING)
def test_it_lands_each_role_on_its_station(client, cast, role):
    response = log_in(client, role)

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == LANDING[role]


@pytest.mark.parametrize("role", STATION_ROLES)
def test_it_shows_each_role_only_its_stations(client, cast, role):
    response = log_in(client, role)

    assert stations_in_nav(response.content.decode()) == NAVIGATION[role]


def test_it_shows_the_administrator_only_the_admin_station(client, cast):
    # The admin's own station is Django's admin, which has its own header; the app's pages show
    # the administrator's navigation, here on the page refusing the reception station.
    log_in(client, "admin")

    response = client.get("/reception/")

    assert stations_in_nav(response.content.decode()) == NAVIGATION["admin"]


def test_it_shows_a_user_with_two_roles_the_stations_of_both(client, cast):
    make_user("kari", Role.RECEPTION, Role.COUNSELOR)

    response = log_in(client, "kari")

    assert stations_in_nav(response.content.decode()) == ["/reception/", "/interview/", "/floor/"]


def test_it_lands_a_user_with_two_roles_on_the_first_role_s_station(client, cast):
    make_user("kari", Role.COUNSELOR, Role.RECEPTION)

    response = log_in(client, "kari")

    assert response.request["PATH_INFO"] == "/reception/"


def test_it_tells_a_user_without_a_role_that_the_account_has_none(client, cast):
    response = log_in(client, "norole")

    assert response.status_code == 403
    assert nb("Your account has no role yet") in response.content.decode()
    assert nav_hrefs(response.content.decode()) == []


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("reception", "/injection/"),
        ("reception", "/dashboard/"),
        ("counselor", "/reception/"),
        ("health", "/interview/"),
        ("coordinator", "/floor/"),
        ("admin", "/reception/"),
        ("norole", "/floor/"),
    ],
)
def test_it_refuses_a_station_the_role_does_not_work_at(client_for, role, url):
    response = client_for(role).get(url)

    assert response.status_code == 403
    assert nb("You do not have access to this page") in response.content.decode()

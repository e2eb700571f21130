"""Shared fixtures: the facility's settings, and a fixed cast of staff, one per role plus one with none."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from demo.defaults import facility_load_defaults
from staff.models import User
from staff.roles import GROUP_NAMES, Role

PASSWORD = "correct-horse-battery"


@pytest.fixture
def facility(db):
    return facility_load_defaults()


def make_user(username: str, *roles: Role, language: str = "nb") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, language=language)
    user.groups.set(Group.objects.filter(name__in=[GROUP_NAMES[role] for role in roles]))
    return user


@pytest.fixture
def cast(db, facility) -> dict[str, User]:
    """One user per role, named as the role's slug, and ``norole``, logged in nowhere."""
    users = {role.value: make_user(role.value, role) for role in Role}
    users["norole"] = make_user("norole")
    return users


@pytest.fixture
def client_for(client, cast):
    """``client_for("reception")`` is the test client logged in as that member of the cast."""

    def login(name: str):
        client.force_login(cast[name])
        return client

    return login

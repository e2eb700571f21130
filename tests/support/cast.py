"""The fixed cast of staff: one user per role, named as the role's slug, and ``norole`` with none.

The ``cast`` fixture (tests/conftest.py) makes them; more staff are made with ``make_user``.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

from staff.models import User
from staff.roles import GROUP_NAMES, Role

PASSWORD = "correct-horse-battery"


def make_user(username: str, *roles: Role, language: str = "nb") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, language=language)
    user.groups.set(Group.objects.filter(name__in=[GROUP_NAMES[role] for role in roles]))
    return user


def make_cast() -> dict[str, User]:
    """One user per role, named as the role's slug, and ``norole``, who may open nothing."""
    users = {role.value: make_user(role.value, role) for role in Role}
    users["norole"] = make_user("norole")
    return users


def second_duty_officer(name: str = "kari") -> User:
    return make_user(name, Role.DUTY)


def health_worker(name: str) -> User:
    return make_user(name, Role.HEALTH)

"""Writes about staff accounts."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from staff.models import User

# The account the software itself acts as (the overnight close of visits left open): inactive, with no
# usable password and no role, so it cannot log in and appears in no staff list, roster or responder list.
SYSTEM_USERNAME = "system"


@transaction.atomic
def system_account() -> User:
    """The system's own account, created on first use."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is not None:
        return user
    user = User(username=SYSTEM_USERNAME, first_name="System", is_active=False)
    user.set_unusable_password()
    # The log of administrative changes names the account itself as its creator, not whoever's request
    # happened to need it first.
    user._admin_audit_by = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # created by another request meanwhile
        return User.objects.get(username=SYSTEM_USERNAME)
    return user


@transaction.atomic
def users_deactivate(*, users: QuerySet[User], by: User) -> int:
    """Deactivate accounts, keeping them and their history; the acting user is never locked out.

    Saved one by one, not updated in bulk, so that the log of administrative changes sees each.
    """
    count = 0
    for user in users.filter(is_active=True).exclude(pk=by.pk).select_for_update(of=("self",)):
        user.is_active = False
        user._admin_audit_by = by  # type: ignore[attr-defined]  # who, for audit.signals when no request is being answered
        user.save(update_fields=["is_active"])
        count += 1
    return count


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


@transaction.atomic
def demo_staff_create(*, password: str) -> list[str]:
    """One account per role, the username equal to the role's slug, all with ``password``.

    Idempotent: existing demo accounts are kept and given the same password, so that the password
    printed is always the one that works. Returns the usernames.
    """
    from django.contrib.auth.models import Group

    from staff.roles import GROUP_NAMES, Role

    usernames = []
    for role in Role:
        user, _created = User.objects.get_or_create(username=role.value)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        usernames.append(user.username)
    return usernames

"""Writes of the wall displays: creating one (its token made and shown once), revoking, marking it seen."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from staff.models import Display, User
from staff.models.displays import token_hash

# A display polls every few seconds: when it was last seen is written at most this often.
SEEN_RESOLUTION = dt.timedelta(seconds=30)


@transaction.atomic
def display_create(*, display: Display, by: User, now: dt.datetime | None = None) -> str:
    """Save a new display (its name and address range filled in) and return its token, the one time it exists.

    Only the token's hash is stored; whoever loses the link asks for a new display and revokes this one.
    """
    token = secrets.token_urlsafe(32)
    display.token_hash = token_hash(token)
    display.created_at = now or timezone.now()
    display.created_by = by
    display.full_clean()
    display.save()
    return token


@transaction.atomic
def displays_revoke(*, displays: QuerySet[Display], by: User, now: dt.datetime | None = None) -> int:
    """Revoke the displays not revoked yet; returns how many. Each stops within a minute (see staff.displays).

    Saved one by one (the rows locked), not updated in bulk, so that the log of administrative changes
    sees each.
    """
    count = 0
    for display in displays.filter(revoked_at__isnull=True).select_for_update(of=("self",)):
        display.revoked_at, display.revoked_by = now or timezone.now(), by
        display._admin_audit_by = by  # type: ignore[attr-defined]  # read by audit.signals
        display.save(update_fields=["revoked_at", "revoked_by"])
        count += 1
    return count


def display_seen(*, display: Display, address: str | None, now: dt.datetime | None = None) -> bool:
    """Note when and from where the display was last seen: at most every ``SEEN_RESOLUTION``, or at once from
    a new address. Returns whether it wrote (one update, no lock: two requests racing write the same)."""
    now = now or timezone.now()
    fresh = display.last_seen_at is not None and now - display.last_seen_at < SEEN_RESOLUTION
    if fresh and display.last_address == address:
        return False
    Display.objects.filter(pk=display.pk).update(last_seen_at=now, last_address=address)
    display.last_seen_at, display.last_address = now, address
    return True

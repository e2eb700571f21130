"""Writing the access log and the log of administrative changes: the one way rows get into them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from audit.models import AccessLogEntry, AdminChange
from staff.models import User
from staff.requests import StaffRequest
from visits.models import Client


def access_log_record(*, request: StaffRequest, client: Client, kind: AccessLogEntry.Kind) -> AccessLogEntry:
    """Note that ``request.user`` viewed ``kind`` of ``client``'s record now. Append-only."""
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user=request.user,
        client=client,
        kind=kind,
        path=request.get_full_path()[:300],
    )


def admin_change_record(
    *, instance: Model, action: AdminChange.Action, changes: dict, by: User | AnonymousUser | None
) -> AdminChange:
    """Note that ``by`` (nobody: a command) made ``action`` to ``instance`` now, with ``changes`` field by
    field ({name: {"before": ..., "after": ...}}). Append-only; written in the transaction of the change."""
    return AdminChange.objects.create(
        at=timezone.now(),
        user=by if by is not None and by.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
    )


def access_log_record_many(
    *,
    request: StaffRequest,
    clients: Iterable[Client],
    kind: AccessLogEntry.Kind,
    unless_logged_within: dt.timedelta | None = None,
) -> list[AccessLogEntry]:
    """Note that ``request.user`` viewed ``kind`` of each of ``clients`` now: a page that lists several.

    One entry per client however often it appears, in one insert (and one read with
    ``unless_logged_within``), so the page's cost does not grow with the number of clients. A board
    that draws itself again every minute passes ``unless_logged_within``: a client this user was logged
    seeing there within that time is not logged again, which would say nothing new.
    """
    by_pk = {client.pk: client for client in clients}
    if not by_pk:
        return []
    now = timezone.now()
    if unless_logged_within is not None:
        seen = AccessLogEntry.objects.filter(
            user=request.user, kind=kind, client__in=list(by_pk), at__gte=now - unless_logged_within
        ).values_list("client_id", flat=True)
        for pk in set(seen):
            del by_pk[pk]
    path = request.get_full_path()[:300]
    return AccessLogEntry.objects.bulk_create(
        AccessLogEntry(at=now, user=request.user, client=client, kind=kind, path=path)
        for client in sorted(by_pk.values(), key=lambda c: c.pk)
    )

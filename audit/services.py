"""Writing the access log and the log of administrative changes: the one way rows get into them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import cast

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Field, Model
from django.db.models.sql import InsertQuery
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


def access_log_record_views(
    *, request: StaffRequest, client: Client, kinds: Iterable[AccessLogEntry.Kind]
) -> list[AccessLogEntry]:
    """Note that ``request.user`` viewed each of ``kinds`` of ``client``'s record now: a page that shows
    several (the timeline with its counseling notes). One entry per kind, in one insert."""
    path = request.get_full_path()[:300]
    now = timezone.now()
    entries = [
        AccessLogEntry(at=now, user=request.user, client=client, kind=kind, path=path) for kind in dict.fromkeys(kinds)
    ]
    _insert(entries)
    return entries


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
    entries = [
        AccessLogEntry(at=now, user=request.user, client=client, kind=kind, path=path)
        for client in sorted(by_pk.values(), key=lambda c: c.pk)
    ]
    _insert(entries)
    return entries


def access_log_record_lists(
    *, request: StaffRequest, shown: Iterable[tuple[AccessLogEntry.Kind, Iterable[Client]]]
) -> list[AccessLogEntry]:
    """Note that ``request.user`` viewed, now, each kind of record of the clients listed with it: a page
    with several lists (the interview room's referrals to follow up and the week's sessions).

    One entry per kind and client however often it appears, all in one insert.
    """
    now = timezone.now()
    path = request.get_full_path()[:300]
    entries = [
        AccessLogEntry(at=now, user=request.user, client=client, kind=kind, path=path)
        for kind, clients in shown
        for client in sorted({c.pk: c for c in clients}.values(), key=lambda c: c.pk)
    ]
    _insert(entries)
    return entries


_COLUMNS = ("at", "user", "client", "kind", "path")


def _insert(entries: list[AccessLogEntry]) -> None:
    """Write ``entries`` in one INSERT statement, with no transaction of its own around it.

    A page's log entries are written on every view, so they cost it one statement and no more:
    ``bulk_create`` would wrap even one statement in BEGIN and COMMIT, which a single statement does not
    need to be all or nothing. Inside a transaction (a service's, a test's) the insert is part of it, and
    a failure marks that transaction for rollback as a ``save()`` would. The entries are not given their
    ids (nothing reads them back). Only a list too long for one statement (SQLite's limit on parameters)
    is split, and then written in one transaction.
    """
    if not entries:
        return
    using = router.db_for_write(AccessLogEntry)
    connection = connections[using]
    fields = [cast(Field, AccessLogEntry._meta.get_field(name)) for name in _COLUMNS]
    size = max(connection.ops.bulk_batch_size(fields, entries), 1)
    batches = [entries[start : start + size] for start in range(0, len(entries), size)]
    one = len(batches) == 1
    with transaction.mark_for_rollback_on_error(using) if one else transaction.atomic(using, savepoint=False):
        for batch in batches:
            query = InsertQuery(AccessLogEntry)
            query.insert_values(fields, list(batch))
            query.get_compiler(using=using).execute_sql()

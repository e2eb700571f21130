"""Writing the access log and the log of administrative changes: the one way rows get into them."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessLogEntry, AdminChange
from visits.models import Client


def access_log_record(*, request: HttpRequest, client: Client, kind: AccessLogEntry.Kind) -> AccessLogEntry:
    """Note that ``request.user`` viewed ``kind`` of ``client``'s record now. Append-only."""
    return AccessLogEntry.objects.create(
        at=timezone.now(),
        user=request.user,
        client=client,
        kind=kind,
        path=request.get_full_path()[:300],
    )


def admin_change_record(
    *, instance: Model, action: AdminChange.Action, changes: dict, by: AbstractBaseUser | None
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

"""Writing the access log: the one way rows get into it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from audit.models import AccessLogEntry
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

"""Reads of counseling sessions."""

from __future__ import annotations

import datetime as dt

from counseling.models import CounselingSession


def sessions_since(since: dt.datetime, *, limit: int = 30) -> list[CounselingSession]:
    """Sessions started since ``since``, newest first, with client, counselor and topics. Two queries."""
    return list(
        CounselingSession.objects.filter(started_at__gte=since)
        .select_related("client", "counselor")
        .prefetch_related("topics")
        .order_by("-started_at")[:limit]
    )

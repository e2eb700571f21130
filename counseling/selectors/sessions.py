"""Reads of counseling sessions."""

from __future__ import annotations

import datetime as dt

from core.capped import Capped, capped
from counseling.models import CounselingSession

# Sessions the interview room lists; it says how many more there are.
SESSIONS_SHOWN = 15


def sessions_since(since: dt.datetime, *, limit: int = SESSIONS_SHOWN) -> Capped[CounselingSession]:
    """Sessions started since ``since``, newest first, with client, counselor and topics: the first ``limit``
    and how many there are in all. Two queries."""
    return capped(
        CounselingSession.objects.filter(started_at__gte=since)
        .select_related("client", "counselor")
        .prefetch_related("topics")
        .order_by("-started_at", "-pk"),
        limit,
    )

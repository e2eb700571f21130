"""The demo's stock: counted, as a facility that has been running a while has it."""

from __future__ import annotations

import datetime as dt
import uuid

from staff.models import User
from visits.selectors.stock import stock_lines
from visits.services.stock import stock_take

DEMO_COUNT_REASON = "Opening count"


def demo_stock_count(*, by: User, now: dt.datetime | None = None) -> int:
    """Count every item that needs a count at a level well above its warning (a week's use, about), so the
    demo shows counted stock rather than "count needed" everywhere. Returns how many items were counted."""
    counts = {line.item: max(3 * line.threshold, 50) for line in stock_lines() if line.needs_count}
    if counts:
        stock_take(counts=counts, reason=DEMO_COUNT_REASON, token=uuid.uuid4(), by=by, now=now)
    return len(counts)

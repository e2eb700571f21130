"""Reads for the reception station: who is inside, and today's arrivals."""

from __future__ import annotations

import datetime as dt

from core.days import day_start
from visits.models import Contact, Refusal, Visit


def visits_open() -> list[Visit]:
    """Everyone in the building, in arrival order."""
    return list(Visit.objects.filter(ended_at__isnull=True).select_related("client").order_by("checked_in_at"))


def reception_today(now: dt.datetime) -> dict[str, int]:
    start = day_start(now)
    return {
        "check_ins": Visit.objects.filter(checked_in_at__gte=start, checked_in_at__lte=now).count(),
        "refusals": Refusal.objects.filter(at__gte=start, at__lte=now).count(),
        "contacts": Contact.objects.filter(at__gte=start, at__lte=now).count(),
    }

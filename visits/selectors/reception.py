"""Reads for the reception station: who is inside, and today's arrivals."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from visits.models import Contact, Refusal, Visit


def visits_open() -> list[Visit]:
    """Everyone in the building, in arrival order."""
    return list(Visit.objects.filter(ended_at__isnull=True).select_related("client").order_by("checked_in_at"))


def day_start(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def reception_today(now: dt.datetime) -> dict[str, int]:
    start = day_start(now)
    return {
        "check_ins": Visit.objects.filter(checked_in_at__gte=start, checked_in_at__lte=now).count(),
        "refusals": Refusal.objects.filter(at__gte=start, at__lte=now).count(),
        "contacts": Contact.objects.filter(at__gte=start, at__lte=now).count(),
    }

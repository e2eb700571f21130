"""Reads of the handover log: what a duty officer has yet to read, and the log by date."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from core.days import day_bounds
from duty.models import Handover, HandoverAcknowledgement, Shift
from staff.models import User
from visits.models import Incident, Visit

# Handovers older than this are history, not news: someone back from three weeks off reads the
# last week's, and finds the rest in the log.
UNREAD_WINDOW = dt.timedelta(days=7)


def handovers_unread(user: User, now: dt.datetime) -> QuerySet[Handover]:
    """Recent handovers written by others that ``user`` has not acknowledged, oldest first."""
    since = now - UNREAD_WINDOW
    read = HandoverAcknowledgement.objects.filter(handover=OuterRef("pk"), user=user)
    return (
        Handover.objects.filter(written_at__gte=since, written_at__lte=now)
        .exclude(written_by=user)
        .exclude(Exists(read))
        .order_by("written_at", "pk")
    )


def handover_unread_count(user: User, now: dt.datetime) -> int:
    return handovers_unread(user, now).count()


def _with_details(queryset: QuerySet[Handover]) -> QuerySet[Handover]:
    return queryset.select_related("written_by", "shift").prefetch_related(
        "clients_of_concern", "incidents", "acknowledgements__user"
    )


def handover_detail_queryset() -> QuerySet[Handover]:
    return _with_details(Handover.objects.all())


def handover_log(*, date: dt.date | None = None, client_code: str = "") -> QuerySet[Handover]:
    """The log, newest first; ``date`` keeps one local day's, ``client_code`` those naming that client."""
    handovers = Handover.objects.all()
    if date is not None:
        start, end = day_bounds(date)
        handovers = handovers.filter(written_at__gte=start, written_at__lt=end)
    if client_code:
        handovers = handovers.filter(clients_of_concern__code=client_code)
    return _with_details(handovers.order_by("-written_at", "-pk"))


def handover_period_start(shift: Shift | None, now: dt.datetime) -> dt.datetime:
    """Where the shift being handed over began; without a rostered shift, twelve hours back."""
    return shift.starts_at if shift is not None else now - dt.timedelta(hours=12)


def incidents_since(start: dt.datetime, now: dt.datetime) -> QuerySet[Incident]:
    return Incident.objects.filter(occurred_at__gte=start, occurred_at__lte=now).select_related("room")


def open_visits_snapshot() -> list[dict]:
    """The visits open now, as plain data to keep with a handover: code, where, since when."""
    visits = Visit.objects.filter(ended_at__isnull=True).select_related("client").order_by("checked_in_at")
    return [
        {
            "code": visit.client.code,
            "location": visit.location,
            "checked_in_at": visit.checked_in_at.isoformat(),
            "location_since": visit.location_since.isoformat(),
        }
        for visit in visits
    ]

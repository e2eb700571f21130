"""Reads of the security incidents: the list, and the counts the reports use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Field, Q, QuerySet

from core.days import local_midnight
from visits.models import Incident


def incident_list(
    *, date_from: dt.date | None = None, date_to: dt.date | None = None, kind: str = "", community: bool = False
) -> QuerySet[Incident]:
    """Incidents newest first, between two local dates (both included) and of one kind when given."""
    incidents = Incident.objects.all()
    if date_from is not None:
        incidents = incidents.filter(occurred_at__gte=local_midnight(date_from))
    if date_to is not None:
        incidents = incidents.filter(occurred_at__lt=local_midnight(date_to + dt.timedelta(days=1)))
    if kind:
        incidents = incidents.filter(kind=kind)
    if community:
        incidents = incidents.filter(Incident.community_q())
    return incidents.select_related("room", "recorded_by").prefetch_related("clients", "staff")


def incident_detail_queryset() -> QuerySet[Incident]:
    return Incident.objects.select_related("room", "recorded_by").prefetch_related(
        "clients", "staff", "bans__client", "handovers"
    )


@dataclass(frozen=True)
class IncidentCounts:
    total: int
    community: int
    police_called: int
    by_kind: dict[str, int]


def incident_counts(start: dt.datetime, end: dt.datetime) -> IncidentCounts:
    """How many incidents occurred in [start, end): all, community-side, with police, and per kind."""
    incidents = Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    totals = incidents.aggregate(
        total=Count("pk"),
        community=Count("pk", filter=Incident.community_q()),
        police_called=Count("pk", filter=Q(police_called=True)),
    )
    by_kind = dict(incidents.order_by().values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return IncidentCounts(
        total=totals["total"],
        community=totals["community"],
        police_called=totals["police_called"],
        by_kind={kind: by_kind.get(kind, 0) for kind in Incident.Kind.values},
    )


@dataclass(frozen=True)
class Correction:
    at: dt.datetime
    by: object  # the staff member who corrected it
    reason: str
    fields: list[str]  # what the correction changed, by the fields' names as staff read them


def incident_corrections(incident: Incident) -> list[Correction]:
    """The corrections of ``incident``, oldest first: who, when, why, and what each changed.

    Each correction's record in the history is compared with the record the correction started from
    (the one before it that was recorded or corrected), so a change of the people involved, saved just
    before, is counted in it.
    """
    records = list(incident.history.select_related("history_user").order_by("history_id"))
    corrections, base = [], None
    for record in records:
        if record.history_change_reason:
            # An incident recorded before its history was kept has no record to compare the first with.
            delta: list[Any] = []
            if base is not None:
                delta = record.diff_against(base, excluded_fields=["version"]).changes
            names = [str(cast(Field, Incident._meta.get_field(change.field)).verbose_name) for change in delta]
            corrections.append(
                Correction(record.history_date, record.history_user, record.history_change_reason, names)
            )
            base = record
        elif record.history_type == "+" and base is None:
            base = record
    return corrections

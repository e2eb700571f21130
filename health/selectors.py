"""Reads of the health room: open emergencies, the recent-overdose flag, a client's health history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch

from health.models import Emergency, EmergencyResponder, HealthService, Intervention
from visits.models import Client, Visit

RECENT_OVERDOSE = dt.timedelta(days=7)


def open_emergencies() -> list[Emergency]:
    """The open emergencies with who answered each: one query, and one more only when any is open
    (Django makes no prefetch query for an empty result). Every page's alarm banner asks it."""
    return list(
        Emergency.objects.filter(ended_at__isnull=True)
        .select_related("client", "booth")
        .prefetch_related(Prefetch("responders", queryset=EmergencyResponder.objects.select_related("by")))
        .order_by("started_at", "pk")
    )


def recent_overdose_client_ids(client_ids: Iterable[int], now: dt.datetime) -> set[int]:
    """Which of these clients had an overdose in the last 7 days. One query."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(
        Emergency.objects.filter(
            client_id__in=ids,
            kind__in=Emergency.OVERDOSE_KINDS,
            started_at__gte=now - RECENT_OVERDOSE,
            started_at__lte=now,
        ).values_list("client_id", flat=True)
    )


def client_had_recent_overdose(client: Client, now: dt.datetime) -> bool:
    return bool(recent_overdose_client_ids([client.pk], now))


def emergency_with_interventions(pk: int) -> Emergency:
    return (
        Emergency.objects.select_related("client", "booth", "started_by", "ended_by", "visit")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.select_related("by").order_by("at", "pk")),
            "staff_involved",
        )
        .get(pk=pk)
    )


def emergency_history(emergency: Emergency, *, limit: int = 50) -> list:
    """Earlier versions of the record, newest first, with who changed it."""
    return list(emergency.history.select_related("history_user").order_by("-history_date")[:limit])


def client_health_history(client: Client, *, limit: int = 100) -> dict:
    return {
        "services": list(HealthService.objects.filter(client=client).select_related("by").order_by("-at")[:limit]),
        "emergencies": list(
            Emergency.objects.filter(client=client)
            .prefetch_related(Prefetch("interventions", queryset=Intervention.objects.order_by("at", "pk")))
            .order_by("-started_at")[:limit]
        ),
    }


def services_today(start: dt.datetime) -> list[HealthService]:
    return list(HealthService.objects.filter(at__gte=start).select_related("client", "by").order_by("-at")[:50])


def visits_in_health_room() -> list[Visit]:
    return list(
        Visit.objects.filter(ended_at__isnull=True, location=Visit.Location.HEALTH)
        .select_related("client")
        .order_by("location_since")
    )

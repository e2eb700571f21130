"""Reads of the interview room."""

from __future__ import annotations

import datetime as dt

from core.days import day_start
from counseling.models import Intake
from visits.models import Client, Visit


def clients_awaiting_intake(*, limit: int = 50) -> list[Client]:
    """Registered clients without a completed intake, newest first, with whether they are here now."""
    return list(Client.objects.filter(status=Client.Status.PENDING).order_by("-registered_at")[:limit])


def visits_in_interview_room() -> list[Visit]:
    return list(
        Visit.objects.filter(ended_at__isnull=True, location=Visit.Location.INTERVIEW)
        .select_related("client")
        .order_by("location_since")
    )


def intakes_today(now: dt.datetime) -> list[Intake]:
    return list(
        Intake.objects.filter(at__gte=day_start(now), at__lte=now).select_related("client", "by").order_by("-at")
    )

"""Reads of the interview room."""

from __future__ import annotations

import datetime as dt

from core.capped import Capped, capped
from core.days import day_start
from counseling.models import Intake
from visits.models import Client, Visit

# Clients waiting for intake that the interview room lists; it says how many more there are.
AWAITING_SHOWN = 15


def clients_awaiting_intake(*, limit: int = AWAITING_SHOWN) -> Capped[Client]:
    """Registered clients without a completed intake, newest first: the first ``limit`` and how many there
    are in all. One query."""
    return capped(Client.objects.filter(status=Client.Status.PENDING).order_by("-registered_at", "-pk"), limit)


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

"""The close-out page: everyone still inside, where, since when, and the timers still running."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from visits.models import BoothSession, Observation, Visit
from visits.selectors.facility import DayHours, opening_hours_on


@dataclass(frozen=True)
class InsideRow:
    visit: Visit
    session: BoothSession | None
    observation: Observation | None
    from_before_today: bool


@dataclass(frozen=True)
class CloseOut:
    now: dt.datetime
    hours: DayHours | None
    rows: list[InsideRow]

    @property
    def after_closing(self) -> bool:
        """Past today's closing time, or a day without opening hours."""
        return self.hours is None or self.now >= self.hours.closes

    @property
    def count(self) -> int:
        return len(self.rows)


def close_out_list(*, now: dt.datetime | None = None) -> CloseOut:
    """Every open visit, the longest inside first, with its booth session and observation. Three queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    visits = list(Visit.objects.filter(ended_at__isnull=True).select_related("client").order_by("checked_in_at", "pk"))
    sessions = {
        session.visit_id: session
        for session in BoothSession.objects.filter(ended_at__isnull=True).select_related("booth")
    }
    observations = {
        observation.visit_id: observation for observation in Observation.objects.filter(ended_at__isnull=True)
    }
    rows = [
        InsideRow(
            visit=visit,
            session=sessions.get(visit.pk),
            observation=observations.get(visit.pk),
            from_before_today=timezone.localdate(visit.checked_in_at) < today,
        )
        for visit in visits
    ]
    return CloseOut(now=now, hours=opening_hours_on(today), rows=rows)

"""Staffing against the minimum over a period: how many opening hours fell short, and of which role.

The roster is intervals, not events, so this is the one figure computed here rather than by an SQL
aggregate: the staff app's ``understaffed_periods`` cuts each day at shift and minimum boundaries and
checks each piece. The queries are fixed in number (hours, closed and special days, assignments, minimums),
whatever the length of the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from core.durations import seconds_between
from duty.models import ShiftAssignment, StaffingMinimum
from duty.selectors.roster import UnderstaffedPeriod, understaffed_periods
from reports.periods import Period
from staff.roles import Role
from visits.selectors.facility import opening_hours_between


@dataclass(frozen=True)
class StaffingFigures:
    has_minimums: bool
    # Opening time from the period's start up to its end or now, whichever comes first.
    open_seconds: int
    understaffed_seconds: int
    periods: list[UnderstaffedPeriod]
    # Per role: how long it was below its minimum.
    by_role: list[tuple[Role, int]]

    @property
    def understaffed_share(self) -> float | None:
        return self.understaffed_seconds / self.open_seconds if self.open_seconds else None


def staffing_figures(period: Period, *, now: dt.datetime) -> StaffingFigures:
    until = period.until(now)
    minimums = list(StaffingMinimum.objects.all())
    assignments = list(
        ShiftAssignment.objects.filter(shift__starts_at__lt=until, shift__ends_at__gt=period.start).select_related(
            "shift"
        )
    )
    open_seconds = 0
    found: list[UnderstaffedPeriod] = []
    for hours in opening_hours_between(period.first, period.last):
        if hours.opens >= until:
            break
        hours = replace(hours, closes=min(hours.closes, until))
        open_seconds += seconds_between(hours.opens, hours.closes)
        if minimums:
            found += understaffed_periods(hours, assignments, minimums)
    short: dict[Role, int] = {}
    for piece in found:
        seconds = seconds_between(piece.starts_at, piece.ends_at)
        for shortfall in piece.shortfalls:
            short[shortfall.role] = short.get(shortfall.role, 0) + seconds
    return StaffingFigures(
        has_minimums=bool(minimums),
        open_seconds=open_seconds,
        understaffed_seconds=sum(seconds_between(p.starts_at, p.ends_at) for p in found),
        periods=found,
        by_role=[(role, short[role]) for role in Role if role in short],
    )

"""Reads of the facility's settings: opening hours on a date, and whether admission is open now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.days import local_moment
from visits.models import ClosedDay, OpeningHours, OpeningHoursPeriod
from visits.selectors.settings import kept


@dataclass(frozen=True)
class DayHours:
    """The facility's hours on one date, as aware datetimes in the facility's time zone."""

    date: dt.date
    opens: dt.datetime
    closes: dt.datetime
    last_admission: dt.datetime

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens <= now < self.closes

    def admits(self, now: dt.datetime) -> bool:
        return self.opens <= now < self.last_admission


def opening_hours_on(day: dt.date) -> DayHours | None:
    """The hours in force on ``day``, or None when the facility is closed that day."""
    return kept(("hours", day), lambda: _read_opening_hours(day))


def _read_opening_hours(day: dt.date) -> DayHours | None:
    if ClosedDay.objects.filter(date=day).exists():
        return None
    period = OpeningHoursPeriod.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if period is None:
        return None
    hours = OpeningHours.objects.filter(period=period, weekday=day.weekday()).first()
    if hours is None:
        return None
    closes = local_moment(day, hours.closes)
    return DayHours(
        date=day,
        opens=local_moment(day, hours.opens),
        closes=closes,
        last_admission=closes - dt.timedelta(minutes=period.last_admission_minutes),
    )


def week_hours(start: dt.date) -> list[tuple[dt.date, DayHours | None]]:
    """Seven days of hours from ``start``, for display."""
    return [(start + dt.timedelta(days=n), opening_hours_on(start + dt.timedelta(days=n))) for n in range(7)]


def today_hours(now: dt.datetime | None = None) -> DayHours | None:
    now = now or timezone.now()
    return opening_hours_on(timezone.localdate(now))

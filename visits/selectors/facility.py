"""Reads of the facility's settings: opening hours on a date, and whether admission is open now.

Every rule that reads the hours reads them here: ``opening_hours_on`` for one date, and
``opening_hours_between`` for many at once (the reports, the synthetic history). A closed day wins,
then the date's special hours, then the week's hours of the period in force.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.days import local_closing, local_midnight, local_moment
from visits.models import ClosedDay, OpeningHours, OpeningHoursPeriod, SpecialHours
from visits.selectors.settings import kept


@dataclass(frozen=True)
class DayHours:
    """The facility's hours on one date, as aware datetimes in the facility's time zone.

    ``closes`` is the next local midnight when the facility is open until 24:00. ``special``: the
    date's own hours (a special day), with its ``note``, rather than the week's.
    """

    date: dt.date
    opens: dt.datetime
    closes: dt.datetime
    last_admission: dt.datetime
    note: str = ""
    special: bool = False

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens <= now < self.closes

    def admits(self, now: dt.datetime) -> bool:
        return self.opens <= now < self.last_admission

    @property
    def opens_label(self) -> str:
        """The opening time as staff read it (``H:i``)."""
        return f"{timezone.localtime(self.opens):%H:%M}"

    @property
    def closes_label(self) -> str:
        """The closing time as staff read it: 24:00 at the end of the day, not 00:00."""
        if self.closes == local_midnight(self.date + dt.timedelta(days=1)):
            return "24:00"
        return f"{timezone.localtime(self.closes):%H:%M}"

    @property
    def all_day(self) -> bool:
        return self.opens == local_midnight(self.date) and self.closes_label == "24:00"


def day_hours(
    day: dt.date,
    opens: dt.time,
    closes: dt.time,
    last_admission_minutes: int,
    *,
    note: str = "",
    special: bool = False,
) -> DayHours:
    """The hours on ``day`` from the times an administrator set (closing 00:00 is 24:00)."""
    closing = local_closing(day, closes)
    # Minutes before closing in real time: on the night the clocks change, 30 minutes are 30 minutes.
    last_admission = timezone.localtime(
        closing.astimezone(dt.UTC) - dt.timedelta(minutes=last_admission_minutes), closing.tzinfo
    )
    return DayHours(
        date=day,
        opens=local_moment(day, opens),
        closes=closing,
        last_admission=last_admission,
        note=note,
        special=special,
    )


def opening_hours_on(day: dt.date) -> DayHours | None:
    """The hours in force on ``day``, or None when the facility is closed that day."""
    return kept(("hours", day), lambda: _read_opening_hours(day))


def _read_opening_hours(day: dt.date) -> DayHours | None:
    if ClosedDay.objects.filter(date=day).exists():
        return None
    special = SpecialHours.objects.filter(date=day).first()
    if special is not None:
        return _special(special)
    period = OpeningHoursPeriod.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    if period is None:
        return None
    hours = OpeningHours.objects.filter(period=period, weekday=day.weekday()).first()
    if hours is None:
        return None
    return day_hours(day, hours.opens, hours.closes, period.last_admission_minutes)


def _special(special: SpecialHours) -> DayHours:
    return day_hours(
        special.date,
        special.opens,
        special.closes,
        special.last_admission_minutes,
        note=special.note,
        special=True,
    )


def opening_hours_between(first: dt.date, last: dt.date) -> list[DayHours]:
    """The hours of each open day from ``first`` to ``last``, as ``opening_hours_on`` gives them, in four queries."""
    periods = list(
        OpeningHoursPeriod.objects.filter(valid_from__lte=last).prefetch_related("days").order_by("valid_from")
    )
    closed = set(ClosedDay.objects.filter(date__gte=first, date__lte=last).values_list("date", flat=True))
    specials = {s.date: s for s in SpecialHours.objects.filter(date__gte=first, date__lte=last)}
    result = []
    day = first
    while day <= last:
        if day in closed:
            pass
        elif day in specials:
            result.append(_special(specials[day]))
        else:
            period = next((p for p in reversed(periods) if p.valid_from <= day), None)
            hours = None if period is None else next((h for h in period.days.all() if h.weekday == day.weekday()), None)
            if period is not None and hours is not None:
                result.append(day_hours(day, hours.opens, hours.closes, period.last_admission_minutes))
        day += dt.timedelta(days=1)
    return result


@dataclass(frozen=True)
class DayException:
    """A date in the coming days whose hours are not the week's: closed (``hours`` None) or special."""

    date: dt.date
    hours: DayHours | None
    note: str


def coming_day_exceptions(today: dt.date, days: int = 7) -> list[DayException]:
    """The closed days and special days from ``today`` through the ``days`` after it, for reception."""

    def read() -> list[DayException]:
        last = today + dt.timedelta(days=days)
        closed = [
            DayException(date, None, reason)
            for date, reason in ClosedDay.objects.filter(date__gte=today, date__lte=last).values_list("date", "reason")
        ]
        special = [
            DayException(s.date, _special(s), s.note)
            for s in SpecialHours.objects.filter(date__gte=today, date__lte=last)
        ]
        closed_dates = {c.date for c in closed}
        return sorted([*closed, *(s for s in special if s.date not in closed_dates)], key=lambda e: e.date)

    return kept(("coming", today, days), read)


def week_hours(start: dt.date) -> list[tuple[dt.date, DayHours | None]]:
    """Seven days of hours from ``start``, for display."""
    return [(start + dt.timedelta(days=n), opening_hours_on(start + dt.timedelta(days=n))) for n in range(7)]


def today_hours(now: dt.datetime | None = None) -> DayHours | None:
    now = now or timezone.now()
    return opening_hours_on(timezone.localdate(now))

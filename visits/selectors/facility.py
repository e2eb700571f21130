"""Reads of the facility's settings: opening hours on a date, and whether admission is open now.

Every rule that reads the hours reads them here: ``opening_hours_on`` for one date, and
``opening_hours_between`` for many at once (the reports, the synthetic history). A closed day wins,
then the date's special hours, then the week's hours of the period in force.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import ngettext

from core.days import local_closing, local_midnight, local_moment
from visits.models import ClosedDay, OpeningHours, OpeningHoursPeriod, Route, SpecialHours
from visits.selectors.settings import kept


def closing_label(closes: dt.datetime) -> str:
    """A closing time as staff read it (``H:i``): a closing at midnight ends its day, so it is 24:00, not 00:00."""
    local = timezone.localtime(closes)
    return "24:00" if local.time() == dt.time.min else f"{local:%H:%M}"


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
        return closing_label(self.closes)

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


def hours_now(now: dt.datetime) -> DayHours | None:
    """The hours of the opening ``now`` belongs to: yesterday's while they still run past midnight
    (a 24:00 closing, or later), else today's; None on a day the facility is closed."""
    today = timezone.localdate(now)
    yesterday = opening_hours_on(today - dt.timedelta(days=1))
    if yesterday is not None and now < yesterday.closes:
        return yesterday
    return opening_hours_on(today)


@dataclass(frozen=True)
class Closing:
    """Closing time as every station shows it: the time left from ``warn_from``, and from last
    admission that check-in is closed; after closing, that the facility is closed, until ``ends``
    (the end of the local day the hours belong to), when the next day's hours take over."""

    hours: DayHours
    warn_from: dt.datetime
    ends: dt.datetime

    @property
    def closes(self) -> dt.datetime:
        return self.hours.closes

    @property
    def last_admission(self) -> dt.datetime:
        return self.hours.last_admission

    @property
    def admission_closed_from(self) -> dt.datetime:
        """From when "check-in is closed" is said: last admission, but never before opening."""
        return max(self.hours.opens, self.hours.last_admission)

    def warns(self, now: dt.datetime) -> bool:
        return self.warn_from <= now < self.closes

    def admission_closed(self, now: dt.datetime) -> bool:
        return self.admission_closed_from <= now < self.closes

    def closed(self, now: dt.datetime) -> bool:
        return self.closes <= now < self.ends

    def shows(self, now: dt.datetime) -> bool:
        return self.warns(now) or self.admission_closed(now) or self.closed(now)

    def minutes_left(self, now: dt.datetime) -> int:
        """Whole minutes to closing, rounded up: "1 min left" until the very minute of closing."""
        seconds = (self.closes.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds()
        return max(0, math.ceil(seconds / 60))


def _continues(hours: DayHours) -> dt.datetime:
    """When an opening really closes: at its closing time, or, when the next day opens at that very
    moment (open until 24:00, and from 00:00 the next day), at the next day's closing, up to a week on."""
    closes = hours.closes
    day = hours.date
    for _ in range(7):
        day += dt.timedelta(days=1)
        following = opening_hours_on(day)
        if following is None or following.opens != closes:
            break
        closes = following.closes
    return closes


def admits_at(now: dt.datetime) -> bool:
    """Whether check-in is open at ``now``: within today's hours before last admission, or after it when
    the opening runs on into the next day without closing (last admission is before a real closing)."""
    hours = opening_hours_on(timezone.localdate(now))
    if hours is None or not hours.is_open(now):
        return False
    return hours.admits(now) or _continues(hours) != hours.closes


def closing_on(now: dt.datetime, *, warning_minutes: int) -> Closing | None:
    """Closing of the opening ``now`` belongs to, with the warning from ``warning_minutes`` before it
    (``Facility.closing_warning_minutes``); None on a closed day, and while the opening runs on into
    the next day without closing (open all night)."""
    hours = hours_now(now)
    if hours is None or _continues(hours) != hours.closes:
        return None
    warn_from = max(hours.opens, hours.closes.astimezone(dt.UTC) - dt.timedelta(minutes=warning_minutes))
    ends = max(hours.closes, local_midnight(hours.date + dt.timedelta(days=1)))
    return Closing(hours=hours, warn_from=warn_from, ends=ends)


@dataclass(frozen=True)
class PastClosing:
    """A timer that would run past closing: when it would end, and by how many minutes past."""

    ends_at: dt.datetime
    closes: dt.datetime

    @property
    def minutes(self) -> int:
        seconds = (self.ends_at.astimezone(dt.UTC) - self.closes.astimezone(dt.UTC)).total_seconds()
        return math.ceil(seconds / 60)

    @property
    def booth_text(self) -> str:
        """Why the booth asks: "Booth time and observation would end at 22:15, 45 minutes after closing (21:30)."."""
        text = ngettext(
            "Booth time and observation would end at %(ends)s, %(minutes)d minute after closing (%(closes)s).",
            "Booth time and observation would end at %(ends)s, %(minutes)d minutes after closing (%(closes)s).",
            self.minutes,
        )
        return text % {"ends": _hhmm(self.ends_at), "minutes": self.minutes, "closes": closing_label(self.closes)}


def _hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def past_closing(*, ends_at: dt.datetime, now: dt.datetime) -> PastClosing | None:
    """Whether something that ends at ``ends_at`` would run past the closing of the opening ``now``
    belongs to; None when it ends in time, or on a day without hours."""
    hours = hours_now(now)
    if hours is None:
        return None
    closes = _continues(hours)
    if ends_at <= closes:
        return None
    return PastClosing(ends_at=ends_at, closes=closes)


def booth_past_closing(*, route: Route, started_at: dt.datetime, now: dt.datetime) -> PastClosing | None:
    """Whether the route's booth time limit and minimum observation, from ``started_at``, would end
    after closing (a booth assigned then asks for confirmation)."""
    minutes = route.booth_time_limit_minutes + route.min_observation_minutes
    return past_closing(ends_at=started_at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes), now=now)

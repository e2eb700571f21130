"""Reads of the roster: who is on duty now, the duty officer, and where staffing falls short."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.days import day_bounds
from duty.models import Shift, ShiftAssignment, StaffingMinimum
from staff.models import User
from staff.roles import Role
from visits.selectors.facility import DayHours, opening_hours_on
from visits.selectors.settings import kept


@dataclass(frozen=True)
class OnDuty:
    """The staff on duty at one moment, the duty officer first."""

    at: dt.datetime
    assignments: list[ShiftAssignment]

    @property
    def duty_officers(self) -> list[User]:
        return [a.user for a in self.assignments if a.is_duty_officer]

    @property
    def duty_officer(self) -> User | None:
        # Where two shifts overlap, the officer whose shift began first stays in charge until it ends:
        # they write the handover the next one reads.
        officers = self.duty_officers
        return officers[0] if officers else None

    @property
    def others(self) -> list[ShiftAssignment]:
        officer = self.duty_officer
        return [a for a in self.assignments if a.user != officer]

    def __len__(self) -> int:
        return len(self.assignments)

    def __bool__(self) -> bool:
        return bool(self.assignments)


@dataclass(frozen=True)
class Shortfall:
    """Fewer people of ``role`` than the minimum."""

    role: Role
    required: int
    present: int

    @property
    def missing(self) -> int:
        return self.required - self.present


@dataclass(frozen=True)
class UnderstaffedPeriod:
    """A stretch of opening hours with the same shortfalls throughout."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    shortfalls: tuple[Shortfall, ...]


@dataclass
class RosterDay:
    date: dt.date
    hours: DayHours | None
    shifts: list[Shift] = field(default_factory=list)
    understaffed: list[UnderstaffedPeriod] = field(default_factory=list)


def on_duty_now(now: dt.datetime) -> OnDuty:
    """Everyone whose shift has begun and not yet ended at ``now``.

    Every page's header asks, so each process keeps the people of the shifts that overlap ``now``'s
    local day (``kept``: read again after any change of the roster, which replaces the settings token,
    ``duty.signals``) and picks those on at ``now`` here: the clock passing a shift's start or end needs
    no new read, and a new day is a new key. One query when not kept, none when kept.
    """
    day = timezone.localdate(now)
    kept_day = kept(("on_duty", day), lambda: _assignments_on(day))
    assignments = [a for a in kept_day if a.shift.starts_at <= now < a.shift.ends_at]
    return OnDuty(at=now, assignments=assignments)


def _assignments_on(day: dt.date) -> tuple[ShiftAssignment, ...]:
    """The people of the shifts overlapping local ``day``, in the order the header lists them."""
    start, end = day_bounds(day)
    return tuple(
        ShiftAssignment.objects.filter(shift__starts_at__lt=end, shift__ends_at__gt=start)
        .select_related("user", "shift")
        .order_by("-is_duty_officer", "shift__starts_at", "role", "user__first_name", "user__username")
    )


def required_staff(local: dt.datetime, minimums: Iterable[StaffingMinimum]) -> dict[str, int]:
    """The minimum per role at local time ``local``; overlapping rules for a role give the highest count."""
    required: dict[str, int] = {}
    for minimum in minimums:
        if minimum.applies_at(local):
            required[minimum.role] = max(required.get(minimum.role, 0), minimum.count)
    return required


def _present(assignments: Iterable[ShiftAssignment], at: dt.datetime) -> Counter[str]:
    return Counter(a.role for a in assignments if a.shift.starts_at <= at < a.shift.ends_at)


def shortfalls_at(
    at: dt.datetime, assignments: Sequence[ShiftAssignment], minimums: Sequence[StaffingMinimum]
) -> tuple[Shortfall, ...]:
    required = required_staff(timezone.localtime(at), minimums)
    present = _present(assignments, at)
    return tuple(
        Shortfall(role=Role(role), required=count, present=present[role])
        for role, count in sorted(required.items(), key=lambda item: list(Role).index(Role(item[0])))
        if present[role] < count
    )


def understaffed_now(now: dt.datetime, on_duty: OnDuty | None = None) -> tuple[Shortfall, ...]:
    """The roles short of their minimum at ``now``; nothing while the facility is closed."""
    hours = opening_hours_on(timezone.localdate(now))
    if hours is None or not hours.is_open(now):
        return ()
    if on_duty is None:
        on_duty = on_duty_now(now)
    minimums = kept("staffing_minimums", lambda: tuple(StaffingMinimum.objects.all()))
    return shortfalls_at(now, on_duty.assignments, list(minimums))


def _minimum_boundaries(day: dt.date, minimums: Iterable[StaffingMinimum]) -> set[dt.datetime]:
    tz = timezone.get_default_timezone()
    points = set()
    for minimum in minimums:
        for time in (minimum.from_time, minimum.until_time):
            if time is not None:
                points.add(timezone.make_aware(dt.datetime.combine(day, time), tz))
    return points


def understaffed_periods(
    hours: DayHours,
    assignments: Sequence[ShiftAssignment],
    minimums: Sequence[StaffingMinimum],
    after: dt.datetime | None = None,
) -> list[UnderstaffedPeriod]:
    """The parts of one day's opening hours (from ``after`` on, when given) that fall below the minimum.

    Staffing and minimums change only at shift starts and ends and at the minimums' times, so the
    day is cut at those points and each piece checked once: exact, whatever the shift pattern.
    """
    start = max(hours.opens, after) if after else hours.opens
    if start >= hours.closes:
        return []
    cuts = {start, hours.closes}
    cuts |= {a.shift.starts_at for a in assignments} | {a.shift.ends_at for a in assignments}
    cuts |= _minimum_boundaries(hours.date, minimums)
    points = sorted(p for p in cuts if start <= p <= hours.closes)
    periods: list[UnderstaffedPeriod] = []
    for begin, end in zip(points, points[1:], strict=False):
        shortfalls = shortfalls_at(begin, assignments, minimums)
        if not shortfalls:
            continue
        if periods and periods[-1].ends_at == begin and periods[-1].shortfalls == shortfalls:
            periods[-1] = UnderstaffedPeriod(periods[-1].starts_at, end, shortfalls)
        else:
            periods.append(UnderstaffedPeriod(begin, end, shortfalls))
    return periods


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def shifts_between(first: dt.date, days: int) -> QuerySet[Shift]:
    """Shifts starting on the ``days`` local dates from ``first``, with their people."""
    start, end = day_bounds(first, days)
    return (
        Shift.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=ShiftAssignment.objects.select_related("user").order_by(
                    "-is_duty_officer", "role", "user__first_name", "user__username"
                ),
            )
        )
        .order_by("starts_at", "pk")
    )


def roster_week(monday: dt.date, now: dt.datetime) -> list[RosterDay]:
    """Seven days from ``monday``: each day's hours and shifts, and, from ``now`` on, its understaffed periods."""
    shifts = list(shifts_between(monday, 7))
    minimums = list(StaffingMinimum.objects.all())
    # Shifts from the evening before may reach into a day; take them from the query's neighbours.
    start, end = day_bounds(monday, 7)
    spill = list(
        ShiftAssignment.objects.filter(shift__starts_at__lt=start, shift__ends_at__gt=start).select_related("shift")
    )
    # Prefetching sets each assignment's shift, so reading a.shift below costs no query.
    assignments = spill + [a for shift in shifts for a in shift.assignments.all()]
    # Flag from the start of the hour we are in: "09:00–15:00", not "09:33–15:00".
    this_hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0)
    days = []
    for offset in range(7):
        date = monday + dt.timedelta(days=offset)
        hours = opening_hours_on(date)
        day = RosterDay(date=date, hours=hours, shifts=[s for s in shifts if s.date == date])
        if hours is not None and hours.closes > now:
            day.understaffed = understaffed_periods(hours, assignments, minimums, after=this_hour)
        days.append(day)
    return days


def shifts_of(user: User, *, since: dt.datetime, until: dt.datetime) -> QuerySet[ShiftAssignment]:
    """A staff member's assignments on shifts ending after ``since`` and starting before ``until``."""
    return (
        ShiftAssignment.objects.filter(user=user, shift__ends_at__gt=since, shift__starts_at__lt=until)
        .select_related("shift")
        .prefetch_related(
            Prefetch(
                "shift__assignments",
                queryset=ShiftAssignment.objects.select_related("user").order_by(
                    "-is_duty_officer", "role", "user__first_name", "user__username"
                ),
            )
        )
        .order_by("shift__starts_at")
    )


def duty_shift_of(user: User, now: dt.datetime, *, grace: dt.timedelta = dt.timedelta(hours=6)) -> Shift | None:
    """The shift ``user`` is duty officer of now, or of the one that ended within ``grace``.

    The handover is written at the very end of the shift, sometimes a little after it.
    """
    return (
        Shift.objects.filter(
            assignments__user=user,
            assignments__is_duty_officer=True,
            starts_at__lte=now,
            ends_at__gt=now - grace,
        )
        .order_by("-starts_at")
        .first()
    )

"""The dashboard's charts: visits per day and per month, overdoses per month, arrivals by weekday and hour.

Per-day and per-month series over long spans read the daily rollup (``DailyFigures``) where it has
rows, and count the rest live from the records: the days before the rollup's first day, the days
since its last, and always yesterday and today, which may still change. So the charts are right
whether or not ``rollup_daily`` has run; it only makes them cheap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.days import local_midnight
from core.weekdays import Weekday
from health.models import Emergency
from reports.models import DailyFigures
from reports.periods import Period, month_first
from visits.models import BoothSession, Client, HandOut, Refusal, Visit
from visits.selectors.facility import opening_hours_between

ROLLUP_FIELDS = (
    "visits",
    "unique_clients",
    "new_registrations",
    "refusals",
    "consumption_events",
    "emergencies",
    "overdoses",
)


_SECOND = dt.timedelta(seconds=1)


def _tz() -> dt.tzinfo:
    return timezone.get_default_timezone()


def _between(field: str, first: dt.date, last: dt.date) -> Q:
    return Q(**{f"{field}__gte": local_midnight(first), f"{field}__lt": local_midnight(last + dt.timedelta(days=1))})


def _per_day(queryset: QuerySet, field: str, **aggregates: Aggregate) -> dict[dt.date, dict]:
    rows = queryset.annotate(day=TruncDate(field, tzinfo=_tz())).order_by().values("day").annotate(**aggregates)
    return {row.pop("day"): row for row in rows}


def daily_counts(first: dt.date, last: dt.date) -> dict[dt.date, dict[str, Any]]:
    """Every rollup figure for each local day from ``first`` to ``last``, counted from the records; zeros included."""
    visits = _per_day(
        Visit.objects.filter(_between("checked_in_at", first, last)),
        "checked_in_at",
        visits=Count("pk"),
        unique_clients=Count("client", distinct=True),
    )
    registrations = _per_day(
        Client.objects.filter(_between("registered_at", first, last)), "registered_at", new_registrations=Count("pk")
    )
    refusals = _per_day(Refusal.objects.filter(_between("at", first, last)), "at", refusals=Count("pk"))
    sessions = _per_day(
        BoothSession.objects.filter(_between("started_at", first, last)),
        "started_at",
        consumption_events=Count("pk"),
    )
    emergencies = _per_day(
        Emergency.objects.filter(_between("started_at", first, last)),
        "started_at",
        emergencies=Count("pk"),
        overdoses=Count("pk", filter=Q(kind__in=Emergency.OVERDOSE_KINDS)),
    )
    handed_out: dict[dt.date, dict[str, int]] = {}
    for day, item, quantity in (
        HandOut.objects.filter(_between("at", first, last))
        .annotate(day=TruncDate("at", tzinfo=_tz()))
        .order_by()
        .values_list("day", "item")
        .annotate(n=Sum("quantity"))
    ):
        handed_out.setdefault(day, {})[str(item)] = quantity
    arrivals: dict[dt.date, list[int]] = {}
    for day, hour, n in (
        Visit.objects.filter(_between("checked_in_at", first, last))
        .annotate(day=TruncDate("checked_in_at", tzinfo=_tz()), hour=ExtractHour("checked_in_at", tzinfo=_tz()))
        .order_by()
        .values_list("day", "hour")
        .annotate(n=Count("*"))
    ):
        arrivals.setdefault(day, [0] * 24)[hour] = n
    result: dict[dt.date, dict[str, Any]] = {}
    day = first
    while day <= last:
        counts: dict[str, Any] = dict.fromkeys(ROLLUP_FIELDS, 0)
        for source in (visits, registrations, refusals, sessions, emergencies):
            counts.update(source.get(day, {}))
        counts["handed_out"] = handed_out.get(day, {})
        counts["arrivals_by_hour"] = arrivals.get(day, [0] * 24)
        result[day] = counts
        day += dt.timedelta(days=1)
    return result


@dataclass(frozen=True)
class RolledUp:
    """The days the rollup answers for: ``first`` up to, not including, ``until``; None when it has no rows."""

    first: dt.date | None
    until: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.first is not None and self.until is not None and self.first <= day < self.until


def rolled_up(today: dt.date) -> RolledUp:
    """The rollup's span, less yesterday and today, which are always counted live."""
    span = DailyFigures.objects.aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is None:
        return RolledUp(None, None)
    until = min(span["last"] + dt.timedelta(days=1), today - dt.timedelta(days=1))
    if until <= span["first"]:
        return RolledUp(None, None)
    return RolledUp(span["first"], until)


def _live_q(field: str, rollup: RolledUp, first: dt.date | None = None, last: dt.date | None = None) -> Q | None:
    """Records from ``first`` to ``last`` (open-ended when None) on days the rollup does not cover; None if none.

    Each uncovered stretch (before the rollup's first day, and from its end on) is one range on ``field``,
    so the database reads each from the index; a stretch that cannot hold a day is left out.
    """
    if rollup.first is None or rollup.until is None:  # both or neither
        stretches = [(first, last)]
    else:
        before_last = rollup.first - dt.timedelta(days=1)
        stretches = [(first, before_last if last is None else min(last, before_last)), (rollup.until, last)]
        if first is not None:
            stretches[1] = (max(first, rollup.until), last)
    condition = None
    for start, end in stretches:
        if start is not None and end is not None and end < start:
            continue
        part = Q()
        if start is not None:
            part &= Q(**{f"{field}__gte": local_midnight(start)})
        if end is not None:
            part &= Q(**{f"{field}__lt": local_midnight(end + dt.timedelta(days=1))})
        condition = part if condition is None else condition | part
    return condition


def _rolled_days(first: dt.date, last: dt.date, rollup: RolledUp, field: str) -> list[tuple[dt.date, Any]]:
    """(date, ``field``) of every rolled-up day from ``first`` to ``last``."""
    if rollup.first is None or rollup.until is None:
        return []
    low, high = max(first, rollup.first), min(last, rollup.until - dt.timedelta(days=1))
    if high < low:
        return []
    return list(DailyFigures.objects.filter(date__gte=low, date__lte=high).values_list("date", field))


def handed_out_in(period: Period, today: dt.date) -> dict[int, int]:
    """``{equipment item id: quantity}`` handed out in the period: rolled-up days from the rollup, the rest live."""
    rollup = rolled_up(today)
    totals: dict[int, int] = {}
    for _day, handed in _rolled_days(period.first, period.last, rollup, "handed_out"):
        for item, quantity in handed.items():
            totals[int(item)] = totals.get(int(item), 0) + quantity
    live = _live_q("at", rollup, period.first, period.last)
    if live is not None:
        for item, quantity in HandOut.objects.filter(live).order_by().values_list("item").annotate(n=Sum("quantity")):
            totals[item] = totals.get(item, 0) + quantity
    return totals


def daily_figure_by_month(period: Period, today: dt.date, field: str, records: QuerySet, moment: str) -> dict[int, int]:
    """``{month number: count}`` of a rolled-up count over a period within one year: the rolled-up days'
    ``field`` summed, the other days' ``records`` counted live by the local month of ``moment``."""
    rollup = rolled_up(today)
    months: dict[int, int] = {}
    for day, n in _rolled_days(period.first, period.last, rollup, field):
        months[day.month] = months.get(day.month, 0) + n
    live = _live_q(moment, rollup, period.first, period.last)
    if live is not None:
        for month, n in _per_month_live(records.filter(live), moment, n=Count("*")).items():
            months[month.month] = months.get(month.month, 0) + n["n"]
    return months


@dataclass(frozen=True)
class Series:
    """One chart's data: a label per point and a value per point, with the dataset's name."""

    name: str
    keys: list[dt.date]
    labels: list[str]
    values: list[int]

    def rows(self) -> list[tuple[str, int]]:
        return list(zip(self.labels, self.values, strict=True))

    def as_json(self) -> dict:
        return {"name": self.name, "labels": self.labels, "values": self.values}


def visits_per_day(today: dt.date, days: int = 90) -> Series:
    """Visits on each of the ``days`` local days up to and including ``today``."""
    first = today - dt.timedelta(days=days - 1)
    rollup = rolled_up(today)
    rolled = {}
    if rollup.first is not None:
        rolled = dict(DailyFigures.objects.filter(date__gte=first, date__lt=rollup.until).values_list("date", "visits"))
    live_q = _live_q("checked_in_at", rollup, first, today)
    live = {} if live_q is None else _per_day(Visit.objects.filter(live_q), "checked_in_at", visits=Count("*"))
    keys = [first + dt.timedelta(days=n) for n in range(days)]
    values = [rolled.get(day, 0) if rollup.covers(day) else live.get(day, {}).get("visits", 0) for day in keys]
    return Series(_("Visits"), keys, [date_format(day, "CHART_DAY_FORMAT") for day in keys], values)


def _per_month_live(queryset: QuerySet, field: str, **aggregates: Aggregate) -> dict[dt.date, dict]:
    rows = queryset.annotate(month=TruncMonth(field, tzinfo=_tz())).order_by().values("month").annotate(**aggregates)
    result = {}
    for row in rows:
        month = row.pop("month")
        month = timezone.localtime(month, _tz()).date() if isinstance(month, dt.datetime) else month
        result[month] = row
    return result


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_first(first)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class MonthlySeries:
    visits: Series
    overdoses: Series


def per_month(today: dt.date) -> MonthlySeries:
    """Visits and overdoses in every month from the first record to this one."""
    rollup = rolled_up(today)
    rolled: dict[dt.date, Mapping[str, Any]] = {}
    if rollup.first is not None:
        rolled = {
            row["month"]: row
            for row in DailyFigures.objects.filter(date__gte=rollup.first, date__lt=rollup.until)
            .annotate(month=TruncMonth("date"))
            .order_by()
            .values("month")
            .annotate(visits=Sum("visits"), overdoses=Sum("overdoses"))
        }
    visits_q, overdoses_q = _live_q("checked_in_at", rollup), _live_q("started_at", rollup)
    visits = {} if visits_q is None else _per_month_live(Visit.objects.filter(visits_q), "checked_in_at", n=Count("*"))
    overdoses = (
        {}
        if overdoses_q is None
        else _per_month_live(
            Emergency.objects.filter(overdoses_q, kind__in=Emergency.OVERDOSE_KINDS), "started_at", n=Count("pk")
        )
    )
    # From the first month with anything in it: rolled-up zero days before the first visit do not count.
    known = [month for month, row in rolled.items() if row["visits"] or row["overdoses"]] + [*visits, *overdoses]
    months = _months(min(known), max(max(known), month_first(today))) if known else [month_first(today)]

    def value(month: dt.date, rolled_key: str, live: dict) -> int:
        count: int = (rolled.get(month, {}).get(rolled_key) or 0) + live.get(month, {}).get("n", 0)
        return count

    labels = [date_format(month, "SHORT_YEAR_MONTH_FORMAT") for month in months]
    return MonthlySeries(
        visits=Series(_("Visits"), months, labels, [value(m, "visits", visits) for m in months]),
        overdoses=Series(_("Overdoses"), months, labels, [value(m, "overdoses", overdoses) for m in months]),
    )


@dataclass(frozen=True)
class Heatmap:
    """Arrivals (check-ins) by weekday and hour of the day, local time."""

    hours: list[int]
    rows: list[tuple[str, list[int]]]
    highest: int

    def shade(self, value: int) -> int:
        """0 (none) to 5 (the busiest hour), for the cell's colour class."""
        if not value or not self.highest:
            return 0
        return max(1, round(5 * value / self.highest))

    def cells(self) -> list[tuple[str, list[tuple[int, int]]]]:
        return [(day, [(value, self.shade(value)) for value in values]) for day, values in self.rows]


def arrivals_heatmap(period: Period, today: dt.date | None = None) -> Heatmap:
    """Check-ins by ISO weekday and local hour: rolled-up days from the rollup, the rest counted live."""
    rollup = rolled_up(today or timezone.localdate())
    counts: dict[tuple[int, int], int] = {}
    for day, hours in _rolled_days(period.first, period.last, rollup, "arrivals_by_hour"):
        weekday = day.isoweekday()
        for hour, n in enumerate(hours):
            if n:
                counts[(weekday, hour)] = counts.get((weekday, hour), 0) + n
    live = _live_q("checked_in_at", rollup, period.first, period.last)
    if live is not None:
        for weekday, hour, n in (
            Visit.objects.filter(live)
            .annotate(
                weekday=ExtractIsoWeekDay("checked_in_at", tzinfo=_tz()),
                hour=ExtractHour("checked_in_at", tzinfo=_tz()),
            )
            .order_by()
            .values_list("weekday", "hour")
            .annotate(n=Count("pk"))
        ):
            counts[(weekday, hour)] = counts.get((weekday, hour), 0) + n
    used = [hour for _weekday, hour in counts]
    # The period's opening hours always show (its special days and days open until 24:00 included),
    # and any hour with an arrival outside them; the default day when the period has no open day.
    open_hours = [
        (timezone.localtime(day.opens, _tz()).hour, timezone.localtime(day.closes - _SECOND, _tz()).hour)
        for day in opening_hours_between(period.first, period.last)
    ] or [(8, 21)]
    first = min(opens for opens, _closes in open_hours)
    last = max(closes for _opens, closes in open_hours)
    hours = list(range(min([first, *used]), max([last, *used]) + 1))
    # OpeningHours numbers Monday 0; ExtractIsoWeekDay numbers it 1.
    rows = [(str(label), [counts.get((number + 1, hour), 0) for hour in hours]) for number, label in Weekday.choices]
    return Heatmap(hours=hours, rows=rows, highest=max(counts.values(), default=0))

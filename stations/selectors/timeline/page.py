"""A page of the timeline: one month, ``PER_PAGE`` items at a time, with the index of its year's months."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, Subquery, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst

from core.dates import Window
from core.days import local_midnight
from staff.models import User
from stations.selectors.timeline.fetch import _Object
from stations.selectors.timeline.items import TimelineItem, TimelineSource, _in
from stations.selectors.timeline.sources import SOURCES
from visits.models import Client

# Items on one page of a month. The heaviest clients have about a hundred a month; a counselor reads the
# latest ten days or so first and pages back from there.
PER_PAGE = 30


@dataclass(frozen=True)
class IndexMonth:
    """A month in the index of months: its first day, how many items it has, its name and query value."""

    month: dt.date
    count: int

    @property
    def name(self) -> str:
        return capfirst(str(MONTHS[self.month.month]))

    @property
    def param(self) -> str:
        return f"{self.month:%Y-%m}"


@dataclass
class TimelinePage:
    """A page of one month of a client's timeline, with the index of the months of its year that have
    anything, and the years the client's records span."""

    client: Client
    window: Window
    items: list[TimelineItem]
    months: list[tuple[dt.date, int]] = field(default_factory=list)  # the shown year's, newest first
    years: list[int] = field(default_factory=list)  # from the client's first record's to the last's, newest first
    older: dt.date | None = None
    newer: dt.date | None = None
    number: int = 1  # the page within the month, 1 for the latest items
    pages: int = 1
    total: int = 0  # the month's items, on all its pages

    @property
    def year(self) -> int:
        return self.window.month.year

    @property
    def index(self) -> list[IndexMonth]:
        """The shown year's months with anything, newest first."""
        return [IndexMonth(month, count) for month, count in self.months]

    @property
    def first(self) -> int:
        """The position in the month of the page's first item, counting from the latest."""
        return (self.number - 1) * PER_PAGE + 1 if self.items else 0

    @property
    def last(self) -> int:
        return (self.number - 1) * PER_PAGE + len(self.items)

    @property
    def later(self) -> int | None:
        """The page of the month's items after these, if any."""
        return self.number - 1 if self.number > 1 else None

    @property
    def earlier(self) -> int | None:
        return self.number + 1 if self.number < self.pages else None


def _local_month(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date().replace(day=1)


def _edge(source: TimelineSource, client: Client, *, last: bool, **bounds: dt.datetime) -> Subquery:
    """The moment of the client's first (or ``last``) row of the source within ``bounds`` (``lt``,
    ``gte``): one step into the source's (client, time) index."""
    return Subquery(
        source.records(client)
        .filter(**{f"{source.at}__{lookup}": moment for lookup, moment in bounds.items()})
        .order_by(f"-{source.at}" if last else source.at)
        .values(source.at)[:1]
    )


def _span(client: Client, sources: list[TimelineSource]) -> list[tuple[dt.datetime, dt.datetime]]:
    """Each source's first and last moment for the client (sources with none left out): one query, one row."""
    edges = [_edge(source, client, last=last) for source in sources for last in (False, True)]
    row = Client.objects.filter(pk=client.pk).order_by().values_list(*edges).get()
    return [(row[n], row[n + 1]) for n in range(0, len(row), 2) if row[n] is not None]


# What a row of ``_year_counts`` holds: a month's count, or the month of a source's latest row before the
# year, or of its earliest after it.
_COUNT, _BEFORE, _AFTER = 0, 1, 2


def _year_counts(
    client: Client, sources: list[TimelineSource], start: dt.datetime, end: dt.datetime
) -> tuple[Counter[dt.date], dt.date | None, dt.date | None]:
    """How many rows of all sources fall in each local month of [start, end); the latest month with anything
    before ``start`` and the earliest from ``end``, for the links onwards. One query.

    Each source's rows of the year are counted with ``COUNT(*)`` grouped by month, which the database can
    read from the source's (client, time) index alone; the months before and after are one step into the
    same index per source. Nothing of the client's history outside the year is read.
    """
    month = models.DateField()
    parts = [
        source.records(client)
        .filter(**{f"{source.at}__gte": start, f"{source.at}__lt": end})
        .order_by()
        .annotate(timeline_month=TruncMonth(source.at, output_field=month))
        .values("timeline_month")
        .annotate(timeline_count=Count("*"), timeline_part=Value(_COUNT))
        .values_list("timeline_month", "timeline_count", "timeline_part")
        for source in sources
    ]
    for source in sources:
        for part, edge in (
            (_BEFORE, _edge(source, client, last=True, lt=start)),
            (_AFTER, _edge(source, client, last=False, gte=end)),
        ):
            parts.append(
                Client.objects.filter(pk=client.pk)
                .order_by()
                .annotate(
                    timeline_month=TruncMonth(edge, output_field=month),
                    timeline_count=Value(0),
                    timeline_part=Value(part),
                )
                .values_list("timeline_month", "timeline_count", "timeline_part")
            )
    counts: Counter[dt.date] = Counter()
    before: list[dt.date] = []
    after: list[dt.date] = []
    for first_day, n, part in parts[0].union(*parts[1:], all=True):
        if part == _COUNT:
            counts[first_day] += n
        elif first_day is not None:
            (before if part == _BEFORE else after).append(first_day)
    return counts, max(before, default=None), min(after, default=None)


def _rows(client: Client, user: User, sources: list[TimelineSource], window: Window, offset: int) -> Iterable[tuple]:
    """A page of the window's rows of all sources, newest first, in one query: (source's index, values)."""
    parts = [
        source.records(client)
        .filter(**_in(window, source.at))
        .order_by()
        .annotate(
            timeline_at=F(source.at),
            timeline_source=Value(index),
            timeline_pk=F("pk"),
            timeline_values=_Object(**source.fields(user)),
        )
        .values_list("timeline_at", "timeline_source", "timeline_pk", "timeline_values")
        for index, source in enumerate(sources)
    ]
    # Of two things at the same moment, the one recorded later goes on top.
    rows = parts[0].union(*parts[1:], all=True).order_by("-timeline_at", "-timeline_source", "-timeline_pk")
    return ((index, values) for _moment, index, _ident, values in rows[offset : offset + PER_PAGE])


def client_timeline(
    client: Client, user: User, *, month: dt.date | None = None, year: int | None = None, number: int = 1
) -> TimelinePage:
    """A page of one month of the client's timeline as ``user`` may see it.

    Without ``month``, the latest month with anything in ``year``, or the latest of all without ``year``;
    ``number`` counts the month's pages from the latest items. Three queries, whatever the client's
    history: each source's first and last moment, the shown year's months (with the nearest months
    outside it), and the page's items.
    """
    sources = [source for source in SOURCES if user.has_perm(source.permission)]
    span = _span(client, sources)
    this_month = timezone.localdate().replace(day=1)
    if month is None and year is None:
        month = max((_local_month(last) for _first, last in span), default=this_month)
    shown_year = month.year if month is not None else year
    assert shown_year is not None
    start, end = local_midnight(dt.date(shown_year, 1, 1)), local_midnight(dt.date(shown_year + 1, 1, 1))
    counts, before, after = _year_counts(client, sources, start, end)
    months = sorted(counts, reverse=True)
    if month is None:
        # A year asked for: its latest month with anything, else its last month (this month, this year).
        month = months[0] if months else min(dt.date(shown_year, 12, 1), max(dt.date(shown_year, 1, 1), this_month))
    window = Window.month_of(month)
    total = counts[window.month]
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(max(number, 1), pages)
    items = [
        sources[index].item(values) for index, values in _rows(client, user, sources, window, (number - 1) * PER_PAGE)
    ]
    years = {
        year
        for first, last in span
        for year in range(timezone.localtime(first).year, timezone.localtime(last).year + 1)
    }
    return TimelinePage(
        client=client,
        window=window,
        items=items,
        months=[(first_day, counts[first_day]) for first_day in months],
        years=sorted(years | {shown_year}, reverse=True),
        older=next((m for m in months if m < window.month), before),
        newer=next((m for m in reversed(months) if m > window.month), after),
        number=number,
        pages=pages,
        total=total,
    )

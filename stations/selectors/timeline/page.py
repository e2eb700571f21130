"""A page of the timeline: one month, ``PER_PAGE`` items at a time, with the index of months."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Count, F, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.text import capfirst

from core.dates import Window
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
    """A page of one month of a client's timeline, with the index of the months that have anything."""

    client: Client
    window: Window
    items: list[TimelineItem]
    months: list[tuple[dt.date, int]] = field(default_factory=list)
    older: dt.date | None = None
    newer: dt.date | None = None
    number: int = 1  # the page within the month, 1 for the latest items
    pages: int = 1
    total: int = 0  # the month's items, on all its pages

    @property
    def years(self) -> list[tuple[int, list[IndexMonth]]]:
        """The index of months, grouped by year, newest first."""
        grouped: dict[int, list[IndexMonth]] = {}
        for month, count in self.months:
            grouped.setdefault(month.year, []).append(IndexMonth(month, count))
        return list(grouped.items())

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


def _month_counts(client: Client, sources: list[TimelineSource]) -> Counter[dt.date]:
    """How many rows of all sources fall in each local month, counted in the database in one query."""
    parts = [
        source.records(client)
        .order_by()
        .annotate(timeline_month=TruncMonth(source.at, output_field=models.DateField()))
        .values("timeline_month")
        .annotate(timeline_count=Count("pk"))
        .values_list("timeline_month", "timeline_count")
        for source in sources
    ]
    counts: Counter[dt.date] = Counter()
    for month, n in parts[0].union(*parts[1:], all=True):
        counts[month] += n
    return counts


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


def client_timeline(client: Client, user: User, *, month: dt.date | None = None, number: int = 1) -> TimelinePage:
    """A page of one month of the client's timeline as ``user`` may see it.

    Without ``month``, the latest with anything; ``number`` counts the month's pages from the latest items.
    """
    sources = [source for source in SOURCES if user.has_perm(source.permission)]
    counts = _month_counts(client, sources)
    months = sorted(counts, reverse=True)
    if month is None:
        month = months[0] if months else timezone.localdate()
    window = Window.month_of(month)
    total = counts[window.month]
    pages = max(1, math.ceil(total / PER_PAGE))
    number = min(max(number, 1), pages)
    items = [
        sources[index].item(values) for index, values in _rows(client, user, sources, window, (number - 1) * PER_PAGE)
    ]
    return TimelinePage(
        client=client,
        window=window,
        items=items,
        months=[(first_day, counts[first_day]) for first_day in months],
        older=next((m for m in months if m < window.month), None),
        newer=next((m for m in reversed(months) if m > window.month), None),
        number=number,
        pages=pages,
        total=total,
    )

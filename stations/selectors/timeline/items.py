"""The timeline's items as the template shows them, and what a source is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, timezone

from core.dates import Window
from visits.models import Client

# A row's fetched values, as JSON gives them.
Row = dict[str, Any]


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class Step:
    """A timed step inside an item: a visit's rooms and timers."""

    at: dt.datetime
    text: str
    tone: str = ""

    @property
    def clock(self) -> str:
        return _clock(self.at)


@dataclass(frozen=True)
class TimelineItem:
    """One thing that happened, as the viewer may see it. Strings only: the template escapes them."""

    at: dt.datetime
    kind: str
    title: str
    ended_at: dt.datetime | None = None
    details: tuple[Detail, ...] = ()
    steps: tuple[Step, ...] = ()
    tone: str = ""
    url: str = ""

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.at).date()

    @property
    def span(self) -> str:
        """When, in local time: 14:00, 14:00–15:00, or 23:00–1.4. 02:00 for something that ran past midnight."""
        if self.ended_at is None:
            return _clock(self.at)
        end = timezone.localtime(self.ended_at)
        if end.date() == self.day:
            return f"{_clock(self.at)}–{end:%H:%M}"
        return f"{_clock(self.at)}–{end.day}.{end.month}. {end:%H:%M}"


def _clock(moment: dt.datetime) -> str:
    """The local time of day as the timeline shows it (the template's ``time:"H:i"``, for less)."""
    return f"{timezone.localtime(moment):%H:%M}"


@dataclass(frozen=True)
class TimelineSource:
    slug: str
    permission: str
    records: Callable[[Client], QuerySet]  # all of the client's rows of this kind
    at: str  # the field that places a row in time
    fields: Callable[[Any], dict[str, Any]]  # the viewer -> the values an item needs, as expressions
    item: Callable[[Row], TimelineItem]  # those values, decoded -> the item


# Presenting -------------------------------------------------------------------------------------------


def _in(window: Window, field_name: str) -> dict:
    return {f"{field_name}__gte": window.start, f"{field_name}__lt": window.end}


def _who(person: Row | None) -> str:
    """A staff member's full name, else their username, as ``User.get_full_name`` would have it."""
    if not person or person.get("username") is None:
        return ""
    return f"{person['first']} {person['last']}".strip() or person["username"]


def _date_time(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "j.n.Y H:i")

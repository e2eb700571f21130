"""Reporting periods: whole local days in the facility's time zone, turned into aware boundaries.

A period runs from midnight at the start of its first day to midnight after its last, both in
Europe/Oslo (the configured TIME_ZONE), so a visit at 23:30 on the last day of a month belongs to that
month, and a month with a change to or from summer time is 743 or 745 hours long, not 744.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.days import local_midnight


class PeriodKind(models.TextChoices):
    TODAY = "today", _("Today")
    WEEK = "week", _("This week")
    MONTH = "month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    CUSTOM = "custom", _("Custom range")


def month_first(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_last(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    """Whole local days ``first`` to ``last``, both included."""

    kind: str
    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> dt.datetime:
        """Exclusive: midnight after the last day."""
        return local_midnight(self.last + dt.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def includes(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end

    def until(self, now: dt.datetime) -> dt.datetime:
        """The end, or ``now`` when the period is still running: the moment "active" figures are taken at."""
        return min(self.end, now) if self.start <= now else self.end

    @property
    def is_month(self) -> bool:
        return self.first == month_first(self.first) and self.last == month_last(self.first)

    @property
    def is_year(self) -> bool:
        return (self.first.month, self.first.day, self.last.month, self.last.day) == (1, 1, 12, 31) and (
            self.first.year == self.last.year
        )

    @property
    def label(self) -> str:
        """The period's title in the active language: "tirsdag 10. mars 2026", "mars 2026", or a range of
        dates ("1. januar 2017 – 31. desember 2017"; in English "1 January 2017 – 31 December 2017")."""
        if self.first == self.last:
            return date_format(self.first, "WEEKDAY_DATE_FORMAT")
        if self.is_month:
            return date_format(self.first, "YEAR_MONTH_FORMAT")
        return f"{date_format(self.first, 'DATE_FORMAT')} – {date_format(self.last, 'DATE_FORMAT')}"

    @classmethod
    def for_month(cls, first: dt.date) -> Period:
        return cls(PeriodKind.CUSTOM, month_first(first), month_last(first))


def named_period(kind: str, today: dt.date) -> Period:
    """Today, this week (Monday to Sunday), this month or last month, around ``today``."""
    if kind == PeriodKind.WEEK:
        monday = today - dt.timedelta(days=today.weekday())
        return Period(kind, monday, monday + dt.timedelta(days=6))
    if kind == PeriodKind.MONTH:
        return Period(kind, month_first(today), month_last(today))
    if kind == PeriodKind.LAST_MONTH:
        last = month_first(today) - dt.timedelta(days=1)
        return Period(kind, month_first(last), last)
    return Period(PeriodKind.TODAY, today, today)

"""The dates the app works with: 1 January 2000 to 31 December 2100, and one message for any other.

Python's dates run from year 1 to year 9999, and a week, a month or a day after the last of them (or
before the first) cannot be computed at all: ``date.max + timedelta(days=1)`` raises OverflowError.
PostgreSQL and the time zone conversions have limits of their own near those ends. Nothing the
facility records lies outside this century, so a date typed or put in an address outside it is refused
here, with the same message everywhere, before any page does arithmetic with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.days import month_bounds

EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)


def in_range(day: dt.date) -> bool:
    return EARLIEST <= day <= LATEST


def out_of_range_message() -> str:
    """ "Choose a date between 1 January 2000 and 31 December 2100.", in the page's language."""
    return _("Choose a date between %(earliest)s and %(latest)s.") % {
        "earliest": date_format(EARLIEST),
        "latest": date_format(LATEST),
    }


class DateOutOfRange(ValueError):
    """A well-formed date outside EARLIEST to LATEST; its message is the one for staff."""

    def __init__(self) -> None:
        super().__init__(out_of_range_message())


def parse_day(value: str | None) -> dt.date | None:
    """``2026-03-10`` as a date; None for nothing. Raises ValueError for anything else: ``DateOutOfRange``
    (with the message for staff) for a real date outside the range, a plain ValueError for a non-date.
    """
    if not value:
        return None
    day = dt.date.fromisoformat(value)
    if not in_range(day):
        raise DateOutOfRange
    return day


def parse_month(value: str | None) -> dt.date | None:
    """``2026-03`` as the first of that month; None for nothing; ValueError (as ``parse_day``) otherwise."""
    if not value:
        return None
    if len(value) != 7 or value[4] != "-":
        raise ValueError(value)
    return parse_day(f"{value}-01")


def validate_in_range(day: dt.date) -> None:
    if not in_range(day):
        raise forms.ValidationError(out_of_range_message(), code="out_of_range")


class BoundedDateField(forms.DateField):
    """A date field that refuses a date outside EARLIEST to LATEST with the message for staff."""

    default_validators = [validate_in_range]


def day_from_query(request: HttpRequest, value: str | None) -> dt.date | None:
    """The date in a query parameter (``?week=2026-03-10``), None when there is none or it is no good.

    A value that is not a date, or one outside the range, leaves a message for the page to show,
    which then shows its default (this week, today) instead of a 500 or a silent change of subject.
    """
    try:
        return parse_day(value)
    except DateOutOfRange as exc:
        messages.error(request, str(exc))
    except ValueError:
        message = _("“%(value)s” is not a date; use the form YYYY-MM-DD.") % {"value": (value or "")[:20]}
        messages.error(request, message)
    return None


def month_from_query(request: HttpRequest, value: str | None) -> dt.date | None:
    """The month in a query parameter (``?month=2026-03``) as its first day, as ``day_from_query`` does for
    a day: None when there is none or it is no good, with a message for the page when it is no good."""
    try:
        return parse_month(value)
    except DateOutOfRange as exc:
        messages.error(request, str(exc))
    except ValueError:
        messages.error(request, _("“%(month)s” is not a month; use the form YYYY-MM.") % {"month": (value or "")[:20]})
    return None


@dataclass(frozen=True)
class Window:
    """One calendar month in the facility's time zone, [start, end)."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def month_of(cls, day: dt.date) -> Window:
        return cls(*month_bounds(day))

    @property
    def month(self) -> dt.date:
        return self.start.date()

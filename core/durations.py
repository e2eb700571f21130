"""Durations: how long between two moments, and how a length of time is written for staff.

Aware datetimes that share a time zone subtract in Python as wall-clock times, an hour wrong across a
change to or from summer time; these helpers subtract in UTC, so a booth session from 01:50 to 03:10 on
the night the clocks go forward lasted 20 minutes, not 80.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _


def elapsed(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """The real time from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return end.astimezone(dt.UTC) - start.astimezone(dt.UTC)


def seconds_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from ``start`` to ``end``, negative when ``end`` is earlier (a part second dropped)."""
    return int(elapsed(start, end).total_seconds())


def duration_seconds(start: dt.datetime, end: dt.datetime) -> int:
    """Whole seconds from ``start`` to ``end``, never below 0: what a closed record stores."""
    return max(0, seconds_between(start, end))


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes gone from ``start`` to ``end`` (0 before ``start``): "overdue by 3 min"."""
    return duration_seconds(start, end) // 60


def whole_minutes(seconds: float) -> int:
    """A duration in seconds to the nearest minute."""
    return round(seconds / 60)


def clock(seconds: float | None) -> str:
    """Seconds as the boards' clock: m:ss, or h:mm:ss from an hour on ("" for none; below 0 is 0:00).

    The browser ticks in the same format (``clock`` in static/js/timers.js).
    """
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def duration_text(seconds: float | None) -> str:
    """A closed record's length in words, to the minute: "12 min", "1 h 05 min" ("" for none)."""
    if seconds is None:
        return ""
    minutes = whole_minutes(seconds)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}

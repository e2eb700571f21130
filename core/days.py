"""Local days: where a day of the facility begins and ends, in its time zone (Europe/Oslo, TIME_ZONE).

A day runs from midnight to the next midnight on the wall clock, so a day with a change to or from
summer time is 23 or 25 hours long, and a visit at 23:30 belongs to the day it happened on.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def local_moment(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment ``time`` on ``day`` reads on the facility's clocks."""
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def local_midnight(day: dt.date) -> dt.datetime:
    """The aware start of ``day`` in the facility's time zone."""
    return local_moment(day, dt.time.min)


def local_closing(day: dt.date, time: dt.time) -> dt.datetime:
    """The aware moment a facility open on ``day`` closes at ``time``; 00:00 is 24:00, the next midnight.

    An opening never ends as it starts, so a closing time of midnight is the end of the day: the next
    local midnight, 23, 24 or 25 hours after the day's start as summer time begins or ends.
    """
    if time == dt.time.min:
        return local_midnight(day + dt.timedelta(days=1))
    return local_moment(day, time)


def day_start(now: dt.datetime) -> dt.datetime:
    """The start of the local day ``now`` falls on."""
    return local_midnight(timezone.localdate(now))


def day_bounds(first: dt.date, days: int = 1) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the ``days`` local days from ``first``: midnight to midnight."""
    return local_midnight(first), local_midnight(first + dt.timedelta(days=days))


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """``[start, end)`` of the local calendar month ``day`` lies in."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return local_midnight(first), local_midnight(following)

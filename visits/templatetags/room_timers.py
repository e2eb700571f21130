"""Timer display for the boards: the same clock format the browser ticks in (static/js/timers.js)."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()


@register.filter
def clock(seconds: float | int | None) -> str:
    """Seconds as m:ss, or h:mm:ss from an hour on."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@register.simple_tag
def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> int:
    """Whole seconds from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if start is None or end is None:
        return 0
    return int((end - start).total_seconds())


@register.filter
def iso(moment: dt.datetime | None) -> str:
    """An aware datetime as ISO 8601 in UTC with a Z, which every browser's Date.parse reads."""
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@register.filter
def clock_abs(seconds: float | int | None) -> str:
    """How far from zero, as a clock: the time past a deadline."""
    return clock(abs(seconds) if seconds is not None else None)

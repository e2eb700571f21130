"""Emergency times as staff read them: to the second, 24-hour, with the date when it is not today."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def moment(value: dt.datetime | None) -> str:
    """``12:03:10`` today; ``01.12.2026 12:03:10`` on any other day, so an old record is not read as today's."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M:%S")
    return local.strftime("%d.%m.%Y %H:%M:%S")


@register.filter
def clock(value: dt.datetime | None, since: dt.datetime | None = None) -> str:
    """The time to the second, with the date when it falls on another day than ``since`` (the start)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if since is None or local.date() == timezone.localtime(since).date():
        return local.strftime("%H:%M:%S")
    return local.strftime("%d.%m.%Y %H:%M:%S")

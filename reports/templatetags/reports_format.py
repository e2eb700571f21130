"""How the dashboard and the report write numbers and durations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django import template
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.durations import whole_minutes

if TYPE_CHECKING:
    from reports.selectors.annual import Row
    from reports.selectors.monthly import Indicator

register = template.Library()


@register.filter
def num(value) -> str:
    """A whole number in the reader's format, grouped by thousands: 18 300 000."""
    if value is None or value == "":
        return "–"
    return number_format(value, decimal_pos=0, force_grouping=True)


@register.filter
def minutes(seconds) -> str:
    """Seconds as minutes with one decimal: 754 → 12,6. (Rounded first: number_format cuts decimals off.)"""
    if seconds is None:
        return "–"
    return number_format(round(seconds / 60, 1), decimal_pos=1)


@register.filter
def hours_minutes(seconds) -> str:
    """Seconds as hours and minutes: 12000 → 3 h 20 min."""
    if seconds is None:
        return "–"
    total = whole_minutes(seconds)
    return _("%(hours)s h %(minutes)s min") % {"hours": total // 60, "minutes": total % 60}


@register.filter
def percent(fraction) -> str:
    if fraction is None:
        return "–"
    return f"{number_format(round(fraction * 100, 1), decimal_pos=1)} %"


@register.filter
def nonzero(lines) -> list:
    """The lines of a breakdown with something in them."""
    return [line for line in lines if line.value]


@register.filter
def report_value(indicator: Indicator, external: bool) -> str:
    return indicator.text(bool(external))


@register.filter
def time_on(value: dt.datetime | None, day: dt.date) -> str:
    """``14:05`` on ``day``; ``11.03. 06:00`` on another (a visit closed overnight), so no time is misread."""
    if value is None:
        return "–"
    local = timezone.localtime(value)
    if local.date() == day:
        return local.strftime("%H:%M")
    return local.strftime("%d.%m. %H:%M")


@register.filter
def change(row: Row, external: bool) -> str:
    """The change from the previous year, or nothing where either year is withheld."""
    return row.change(bool(external))


@register.filter
def change_percent(row: Row, external: bool) -> str:
    return row.change_percent(bool(external))

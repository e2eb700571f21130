"""``{% closing_banner %}``: the time left before closing, one line on every station.

Drawn once per page by base.html for signed-in staff and wall displays; a board draws it inside itself
(``in_board=True``, and its page leaves base.html's out), so that a board open for days shows each
day's closing as it refreshes. Between refreshes the browser shows and ticks it from the timestamps
(static/js/timers.js, ``[data-closing]``): it appears at the right minute without a reload.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from core import timers
from visits.selectors.facility import closing_label, closing_on
from visits.selectors.settings import current_facility

register = template.Library()


def _hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


@register.inclusion_tag("visits/partials/_closing_banner.html", takes_context=True)
def closing_banner(context, in_board: bool = False) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    staff = user is not None and user.is_authenticated
    if request is None or not (staff or getattr(request, "display", None) is not None):
        return {"closing": None}
    facility = current_facility()
    if facility is None:
        return {"closing": None}
    now = timezone.now()
    closing = closing_on(now, warning_minutes=facility.closing_warning_minutes)
    if closing is None:
        return {"closing": None}
    closes = closing_label(closing.closes)
    return {
        "closing": closing,
        "now": now,
        "in_board": in_board,
        "warns": closing.warns(now),
        "admission_closed": closing.admission_closed(now),
        "closed": closing.closed(now),
        "shows": closing.shows(now),
        "left_label": timers.closing_left_text(closes, "{minutes}"),
        "left_text": timers.closing_left_text(closes, closing.minutes_left(now)),
        "admission_text": timers.admission_closed_text(_hhmm(closing.last_admission)),
        "closed_text": timers.closed_text(closes),
    }

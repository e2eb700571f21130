"""``{% alarm_banner %}``: the emergency alarm at the top of every page (health/alarm.py)."""

from __future__ import annotations

from django import template

from health.alarm import banner_context, shows_alarm
from visits.selectors.floor import page_floor_version

register = template.Library()


@register.inclusion_tag("health/partials/_alarm_banner.html", takes_context=True)
def alarm_banner(context) -> dict:
    request = context.get("request")
    if request is None or not shows_alarm(request):
        return {"show": False}
    # A board's page has read the open emergencies already (health.selectors.open_emergencies).
    emergencies = getattr(context.get("board"), "emergencies", None)
    return {"show": True, **banner_context(request, version=page_floor_version(), emergencies=emergencies)}

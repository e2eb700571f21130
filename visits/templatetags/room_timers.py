"""Timer display for the boards: the clock format the browser ticks in too (``core.durations.clock``)."""

from __future__ import annotations

import datetime as dt
import functools
import json

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from core import durations, timers

register = template.Library()


clock = register.filter("clock", durations.clock)


@register.simple_tag
def seconds_between(start: dt.datetime | None, end: dt.datetime | None) -> int:
    """Whole seconds from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if start is None or end is None:
        return 0
    return durations.seconds_between(start, end)


@register.filter
def iso(moment: dt.datetime | None) -> str:
    """An aware datetime as ISO 8601 in UTC with a Z, which every browser's Date.parse reads."""
    if moment is None:
        return ""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_PK = 2_147_483_647  # an id no row has: the place of the id in a URL reversed once


@functools.cache
def _url_with_placeholder(name: str) -> str:
    return reverse(name, args=[_PK])


@register.simple_tag
def pk_url(name: str, pk: int) -> str:
    """``{% url name pk %}``, reversed once per URL name: a board draws several forms on every card."""
    return _url_with_placeholder(name).replace(str(_PK), str(int(pk)))


@register.simple_tag
def url_once(name: str) -> str:
    """``{% url name %}`` for a URL without arguments, reversed once per name."""
    return _url(name)


@functools.cache
def _url(name: str) -> str:
    return reverse(name)


# Stamped forms -----------------------------------------------------------------------------------------

_CODE = "STAMPEDCLIENTCODE"  # where the client's code goes; letters only, so escaping leaves it alone
_CLIENT_PK = 2_147_483_646  # where the client's id goes


class _StandIn:
    """What a stamped template may use of a visit: its id, its client's id and its client's code."""

    pk = _PK
    client_id = _CLIENT_PK
    client = type("Client", (), {"code": _CODE})()


@register.simple_tag(takes_context=True)
def stamp(context, template_name: str, visit, **variant) -> str:
    """``{% include template_name with visit=visit %}``, drawn once per page and stamped for each visit.

    The boards draw the same forms (a check, a check-out, equipment, the emergency button) on every
    card; only the visit's id, its client's id and its client's code differ. The template may use
    nothing else of the visit. ``variant`` (``short=True``) is given to the template too, and each
    variant is drawn once.
    """
    drawn = context.render_context.dicts[0].setdefault("stamped", {})
    key = (template_name, tuple(sorted(variant.items())))
    if key not in drawn:
        with context.push(visit=_StandIn(), **variant):
            drawn[key] = context.template.engine.get_template(template_name).render(context)
    html: str = drawn[key].replace(str(_PK), str(int(visit.pk))).replace(str(_CLIENT_PK), str(int(visit.client_id)))
    return mark_safe(html.replace(_CODE, str(conditional_escape(visit.client.code))))  # noqa: S308 - escaped


@register.simple_tag
def until(now: dt.datetime, moment: dt.datetime, kind: str = "left") -> str:
    """A countdown to ``moment`` as the browser ticks it (``data-until``): time left, or how far past.

    ``kind`` "minimum" counts to an observation's minimum time, "left" to a booth's limit.
    """
    text = timers.countdown_text(kind, seconds_between(now, moment))
    return format_html('<span class="timer" data-until="{}" data-until-kind="{}">{}</span>', iso(moment), kind, text)


# Timer statuses and their texts, from core.timers ----------------------------------------------------


@register.filter
def timer_label(status: str, kind: str) -> str:
    """``{{ card.status|timer_label:"booth" }}``: the label of a booth's or an observation's status."""
    return timers.status_label(kind, status)


@register.simple_tag
def check_text(status: str, *, due: str, seconds_left: int = 0, late_minutes: int = 0) -> str:
    """The check clock's text for ``status`` (``core.timers.check_text``)."""
    return timers.check_text(status, due=due, seconds_left=seconds_left, late_minutes=late_minutes)


@register.simple_tag
def board_labels() -> str:
    """A board's attributes with the texts the browser ticks it with: ``data-label-*`` and the statuses'
    labels by kind of timer (``data-timer-statuses``, JSON), all from ``core.timers``."""
    labels = format_html_join(" ", 'data-label-{}="{}"', timers.board_labels().items())
    return format_html('{} data-timer-statuses="{}"', labels, json.dumps(timers.status_labels(), ensure_ascii=False))


# The CSRF token of a board's forms ------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def form_token(context) -> str:
    """``{% csrf_token %}`` in a board's forms, drawn only on the page drawn whole.

    A board drawn by its poll is the same bytes for everyone (``stations.board_cache``, which draws it
    with ``shared``): its forms post with htmx, which sends the token in a header (``hx-headers`` on the
    page's body, base.html). A browser without JavaScript never polls, so it posts only the forms of the
    page drawn whole, which carry the token.
    """
    token = context.get("csrf_token")
    if context.get("shared") or not token:
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)

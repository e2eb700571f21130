"""The alarm banner on every page: the open emergencies, who answered, and what the banner polls with.

Drawn on a page from base.html (``{% alarm_banner %}``, health/templatetags/alarm.py) and by its own
poll (health/views/alarm.py). On a page it costs no query of its own while no emergency is open:
whether one is, and the version it polls with, come with the facility row every request reads
(``health.apps``, ``page_floor_version``); while one is, the emergencies and who answered are two
queries once per floor version in a process, and none on the pages after it (``page_open_emergencies``).
The time since each began is the page's own (``alarm_now``).
Its poll is a board's poll (``visits.board_poll``): 204 in one query while nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from health.models import Emergency, EmergencyResponder
from health.selectors import page_open_emergencies
from visits.board_poll import poll_token


@dataclass(frozen=True)
class Alarm:
    emergency: Emergency
    responders: list[EmergencyResponder]
    answered_by_me: bool

    @property
    def state(self) -> str:
        """What the banner starts as; a station may silence an unanswered one for itself (static/js/alarm.js)."""
        return "answered" if self.responders else "sounding"


def shows_alarm(request: HttpRequest) -> bool:
    """The banner is for signed-in staff and registered wall displays; never on the login page."""
    user = getattr(request, "user", None)
    return getattr(request, "display", None) is not None or (user is not None and user.is_authenticated)


def banner_context(request: HttpRequest, *, version: str, emergencies: list[Emergency] | None = None) -> dict:
    """``emergencies``: the open ones as read after ``version`` (a board's, a poll's). Without them, a
    page's banner takes the page's (``page_open_emergencies``): read only if the facility row said one was
    open, and that row carried the version too (``page_floor_version``), so both are as of the same moment."""
    display = getattr(request, "display", None)
    user = request.user
    me = user.pk if user.is_authenticated else None
    alarms = []
    if emergencies is None:
        emergencies = page_open_emergencies()
    for emergency in emergencies:
        responders = list(emergency.responders.all())
        alarms.append(
            Alarm(emergency=emergency, responders=responders, answered_by_me=any(r.by_id == me for r in responders))
        )
    poll = reverse("health:display-alarm" if display is not None else "health:alarm")
    return {
        "alarms": alarms,
        "alarm_now": timezone.now(),
        "alarm_poll_url": f"{poll}?v={quote(poll_token(request, version), safe='')}",
        "alarm_can_answer": display is None and user.has_perm("health.add_emergency"),
        "alarm_can_view": display is None and user.has_perm("health.view_emergency"),
        # A wall display has no buttons: it sounds until someone answers at a station.
        "alarm_can_silence": display is None,
        "alarm_next": _page_path(request),
    }


def _page_path(request: HttpRequest) -> str:
    """Where "I am on it" without JavaScript sends the person back to: the page the banner is on."""
    htmx = getattr(request, "htmx", None)
    if htmx:
        return htmx.current_url_abs_path or ""
    return request.get_full_path()

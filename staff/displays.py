"""Who a wall display is: its secret link, kept in a cookie, checked on every request that goes the whole way.

A display opens ``/display/<token>/`` once (``staff.views.displays.display_enter``); the token is then
kept in an HttpOnly cookie and the screen shows ``/display/``. Views for displays are wrapped in
``display_required``: no staff login and no session (the request's user is anonymous inside, whatever
the browser holds), the token looked up by its hash in one query, refused with a 403 page when it is
unknown, revoked or used from outside the display's address range. A display's polls are answered
"no change" before they get here (``visits.board_poll``) but, like every board's, go the whole way at
least once a minute: a revoked display stops within a minute.
"""

from __future__ import annotations

import logging
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.http import client_ip
from staff.models import Display
from staff.models.displays import token_hash
from staff.requests import DisplayRequest
from staff.services.displays import display_seen

DISPLAY_COOKIE = "display"
DISPLAY_COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
logger = logging.getLogger("staff.displays")


def display_for_token(token: str) -> Display | None:
    """The display with this token, revoked or not. One query; nothing for an empty or absurd token."""
    if not token or len(token) > 200:
        return None
    return Display.objects.filter(token_hash=token_hash(token)).first()


def refusal(request: HttpRequest, display: Display | None) -> str:
    """Why this request may not use the display, for the 403 page; "" when it may."""
    if display is None:
        return _("This screen is not registered as a display, or its link is no longer valid.")
    if display.is_revoked:
        return _("This display has been revoked by an administrator.")
    if not display.allows(client_ip(request)):
        return _("This display may not be used from this network address (%(address)s).") % {
            "address": client_ip(request) or "?"
        }
    return ""


def denied(request: HttpRequest, reason: str) -> HttpResponse:
    request.user = AnonymousUser()
    return render(request, "staff/display_denied.html", {"reason": reason}, status=403)


def set_display_cookie(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        DISPLAY_COOKIE,
        token,
        max_age=DISPLAY_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def display_required(view):
    """Open the view to a registered display (its cookie), as an anonymous request; a 403 page otherwise."""

    @login_not_required
    @wraps(view)
    def wrapped(request: DisplayRequest, *args, **kwargs):  # a DisplayRequest once ``display`` is set below
        display = display_for_token(request.COOKIES.get(DISPLAY_COOKIE, ""))
        reason = refusal(request, display)
        if reason or display is None:
            logger.warning("display refused: %s %s (%s)", display or "-", request.path, client_ip(request))
            return denied(request, reason)
        # A staff member's session in the same browser is not the display's: nothing personal is shown.
        request.user = AnonymousUser()
        request.display = display
        display_seen(display=display, address=client_ip(request))
        logger.info("display %s %s (%s)", display.name, request.path, client_ip(request))
        return view(request, *args, **kwargs)

    return wrapped

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode


class StaffLanguageMiddleware:
    """Speak the logged-in staff member's language; before login, the language cookie or bokmål.

    The browser's Accept-Language is ignored on purpose: shared station computers are set up in
    any language, and the facility's working language is Norwegian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            language = user.language
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
            if language not in self.supported:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Polls a page makes by itself every few seconds: the boards', the alarm banner's on every page, and a wall
# display's. They are not a person at the station, so they never extend the session: a board left open is
# logged out after the idle timeout like any page. While nothing changed, ``visits.board_poll`` answers
# them before the session is read.
PASSIVE_URL_NAMES = frozenset(
    {
        "visits:floor-board",
        "visits:injection-board",
        "visits:observation-board",
        "visits:display-board",
        "health:alarm",
        "health:display-alarm",
    }
)
IDLE_SESSION_KEY = "last_activity"
IDLE_RESOLUTION = 30  # seconds


def start_idle_clock(sender, request, user, **kwargs) -> None:
    """A login is activity: the idle clock starts with the session, so the first page is like any other."""
    if request is not None and hasattr(request, "session"):
        request.session[IDLE_SESSION_KEY] = time.time()


def _is_passive(request) -> bool:
    if request.headers.get("HX-Request") != "true":
        return False
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return match.view_name in PASSIVE_URL_NAMES


class IdleTimeoutMiddleware:
    """Log a logged-in staff member out after ``IDLE_TIMEOUT_MINUTES`` without activity.

    Activity is any request a person makes (a page, a form, a search, the "Stay logged in" ping); the
    boards' automatic polling is not. The session is flushed, so the next person at a shared station
    never finds the previous one's session; an htmx request is sent to the login page with HX-Redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get(IDLE_SESSION_KEY)
            # The last activity is written at most every IDLE_RESOLUTION seconds (writing the session on
            # every request costs three queries), so the recorded time may lag the real one by that much;
            # the limit is stretched by as much, so nobody is logged out before their timeout is up.
            limit = settings.IDLE_TIMEOUT_MINUTES * 60 + IDLE_RESOLUTION
            if last is not None and now - float(last) > limit:
                logout(request)
                login_url = (
                    reverse(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path(), "idle": "1"})
                )
                if request.headers.get("HX-Request") == "true":
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = login_url
                    return response
                return redirect(login_url)
            if last is None or (now - float(last) >= IDLE_RESOLUTION and not _is_passive(request)):
                request.session[IDLE_SESSION_KEY] = now
        return self.get_response(request)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Send one Content-Security-Policy on every response: no inline script, style or handlers anywhere.

    Django 5.2 has no CSP of its own. Templates keep scripts in static/js and styles in static/css; the
    admin is covered too (it uses no inline script since Django 5.0).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

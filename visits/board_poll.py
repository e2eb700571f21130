"""A poll answered "no change" before the session and the user are read: the boards' and the alarm banner's.

Each board, and the alarm banner on every page, polls every few seconds, at every station, all day.
While nothing on the floor changed the answer is 204 and carries nothing, so proving who asks can
wait: the poll carries a token signed when its region was last drawn (``poll_token``; in its URL, or
in a header for a board drawn once for everyone: ``shown_version``), for the cookie it was drawn for
(a staff session's, or a wall display's), holding the version it shows.
``BoardPollMiddleware`` answers 204 when the token is ours, the cookie is the same and the version is
still current: one query. Anything else goes the whole way, where login, the idle timeout, the
display's token and permissions are checked and the region is drawn. Since the minute is part of the
version, every poll goes the whole way at least once a minute; a session that ended (or a display
revoked) meanwhile gets the login page (or the display's 403) then, and has received nothing but
"no change" until then. Which URLs are polls is ``staff.middleware.PASSIVE_URL_NAMES``.
"""

from __future__ import annotations

import hashlib
from functools import cache

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from staff.displays import DISPLAY_COOKIE
from staff.middleware import PASSIVE_URL_NAMES
from visits.selectors.floor import floor_version

_signer = signing.Signer(salt="visits.board-poll")


def _cookie_tag(request: HttpRequest) -> str:
    """The staff session's cookie and a wall display's: whichever the poll's region was drawn for."""
    cookies = f"{request.COOKIES.get(settings.SESSION_COOKIE_NAME, '')}|{request.COOKIES.get(DISPLAY_COOKIE, '')}"
    return hashlib.sha256(cookies.encode()).hexdigest()[:16]


def poll_token(request: HttpRequest, version: str) -> str:
    """What a board (or banner) drawn at ``version`` for this request's session or display polls with."""
    return _signer.sign(f"{version}~{_cookie_tag(request)}")


TOKEN_HEADER = "X-Board-Token"


def shown_version(request: HttpRequest) -> str | None:
    """The version the polling board shows, if its token is ours and for this session cookie.

    A region drawn with its page carries its token in its URL (``?v=``); a board drawn by its poll is the
    same bytes for everyone who asks (``stations.board_cache``), so its token comes in a header of the
    answer and goes back in a header of the next poll (static/js/timers.js).
    """
    token = request.headers.get(TOKEN_HEADER) or request.GET.get("v", "")
    try:
        version, tag = _signer.unsign(token).rsplit("~", 1)
    except (signing.BadSignature, ValueError):
        return None
    return version if tag == _cookie_tag(request) else None


def unchanged(request: HttpRequest) -> bool:
    """Whether the polling board shows the floor as it is now."""
    shown = shown_version(request)
    return shown is not None and shown == floor_version(language=shown.rsplit(".", 1)[-1])


@cache
def _poll_paths() -> frozenset[str]:
    return frozenset(reverse(name) for name in PASSIVE_URL_NAMES)


class BoardPollMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if (
            request.method == "GET"
            and request.path_info in _poll_paths()
            and request.headers.get("HX-Request") == "true"
            and unchanged(request)
        ):
            return HttpResponse(status=204)
        return self.get_response(request)

"""The page for an unexpected error, and clearer ones while the database is away or busy.

When PostgreSQL restarts or fails over, every request that needs it fails for a few seconds. Staff then
see "the database is restarting, try again" with status 503 (and a load balancer sees a temporary fault)
instead of the generic error page; nothing of the failed action was saved, because each service is one
transaction.

When several stations write at the same moment, a write waits for the one before it (SQLite's busy
timeout, PostgreSQL's row locks). A write that waited too long gets "the database is busy, try again",
also 503, whether or not DEBUG is on: it is a moment of load, not a fault to debug.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a browser or a script may wait before trying again; a restart usually takes a few.
RETRY_AFTER_SECONDS = 5
# Seconds before trying again after a write waited too long for another: the queue is usually gone by then.
BUSY_RETRY_AFTER_SECONDS = 1

# How the databases say that a write gave up waiting for another: SQLite after its busy timeout,
# PostgreSQL after a lock timeout or when it broke a deadlock.
_BUSY_MESSAGES = (
    "database is locked",
    "database table is locked",
    "could not obtain lock",
    "lock timeout",
    "deadlock detected",
)

# Where a board page shows the answer to an action sent with htmx (templates/visits/*.html).
HTMX_MESSAGE_TARGET = "#board-messages"


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether the error is the database being out of reach, rather than a fault in the app."""
    return isinstance(exc, OperationalError | InterfaceError)


def database_busy(exc: BaseException | None) -> bool:
    """Whether the error is a write that gave up waiting for other writes."""
    return isinstance(exc, OperationalError) and any(text in str(exc) for text in _BUSY_MESSAGES)


def database_busy_response(request: HttpRequest | None) -> HttpResponse:
    """503 "the database is busy, try again": the page, or for htmx the message above the board."""
    if request is not None and request.headers.get("HX-Request") == "true":
        body = loader.get_template("partials/_database_busy.html").render()
        response = HttpResponse(body, status=503)
        # Where a board's answers land; a board page shows it though htmx swaps no 503 (static/js/timers.js).
        response["HX-Retarget"] = HTMX_MESSAGE_TARGET
        response["HX-Reswap"] = "innerHTML"
    else:
        response = HttpResponse(loader.get_template("503_busy.html").render(), status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A view whose write gave up waiting for others answers 503 "busy, try again", never a 500.

    As a middleware (not only ``handler500``) so that ``make run``, which runs with DEBUG on, shows the
    same page as production instead of the debug page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_busy(exception):
            return database_busy_response(request)
        return None


class MethodNotAllowedPageMiddleware:
    """A 405 with nothing in it (``require_POST`` and the like) becomes a page saying what happened.

    An action that only a form may send, opened by its address, otherwise shows the browser's bare
    "HTTP ERROR 405". The response is kept, with its Allow header and any other headers; only its body
    is filled in: the page, or for htmx a line of text.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or getattr(response, "streaming", False) or response.content:
            return response
        if request.headers.get("HX-Request") == "true":
            response.content = loader.render_to_string("partials/_method_not_allowed.html", request=request)
        else:
            response.content = loader.render_to_string("405.html", request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 page while the database is unreachable or busy, the usual 500 page otherwise.

    Rendered without the request's context: the context processors read the database, which may be
    the very thing that failed.
    """
    exc = sys.exc_info()[1]
    if database_busy(exc):
        return database_busy_response(request)
    if database_unavailable(exc):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())

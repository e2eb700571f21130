"""The page for an unexpected error, and a clearer one while the database is away.

When PostgreSQL restarts or fails over, every request that needs it fails for a few seconds. Staff then
see "the database is restarting, try again" with status 503 (and a load balancer sees a temporary fault)
instead of the generic error page; nothing of the failed action was saved, because each service is one
transaction.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a browser or a script may wait before trying again; a restart usually takes a few.
RETRY_AFTER_SECONDS = 5


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether the error is the database being out of reach, rather than a fault in the app."""
    return isinstance(exc, OperationalError | InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a 503 page while the database is unreachable, the usual 500 page otherwise.

    Rendered without the request's context: the context processors read the database, which may be
    the very thing that failed.
    """
    if database_unavailable(sys.exc_info()[1]):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())

"""Locking out failed logins: per username at one address, and per username across every address.

django-axes locks a username at one address after ``AXES_FAILURE_LIMIT`` failures (a shared station
computer, a colleague's typos). Someone guessing from many addresses never reaches that limit at any
one of them, and django-axes 8.3 has one limit for all its lockout parameters, so a second parameter
("username" alone) would lock at the same low count. This handler adds a second, higher limit:
``AXES_USERNAME_FAILURE_LIMIT`` failures for a username within the cool-off time, wherever they came
from, lock that username at every address.

That lock shuts the right person out too, at every computer: that is its point, since the guesser can
be anywhere. It lifts by itself once fewer than the limit of the failures are younger than the
cool-off time (at most ``AXES_COOLOFF`` minutes after the guessing stops), or at once with
``manage.py axes_reset_username <username>``. A successful login before the lock clears the count at
its own address only: a login proves nothing about the guesses made elsewhere.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def username_failures(request: HttpRequest, credentials: dict | None = None) -> int:
    """Failed logins for the request's username within the cool-off time, from every address."""
    username = get_client_username(request, credentials)
    if not username:
        return 0
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _locked_everywhere(request: HttpRequest, credentials: dict | None) -> bool:
    locked = username_failures(request, credentials) >= settings.AXES_USERNAME_FAILURE_LIMIT
    if locked:
        # The page then says that the username is locked at every computer, not at this one.
        request.axes_username_locked = True  # type: ignore[attr-defined]  # read by the login page
    return locked


class StaffAxesHandler(AxesDatabaseHandler):
    """django-axes' database handler with the second limit, per username across addresses."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or _locked_everywhere(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.is_whitelisted(request, credentials):
            return
        if _locked_everywhere(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )

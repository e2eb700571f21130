"""What the middleware guarantees about a request, for the type checker.

Never instantiated: a view annotates ``request`` with one of these to say which middleware has run.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from staff.models import Display, User


class StaffRequest(HttpRequest):
    """A page behind ``LoginRequiredMiddleware``: a signed-in member of staff."""

    user: User
    htmx: HtmxDetails


class DisplayRequest(HttpRequest):
    """A wall display's page (``staff.displays.display_required``): no user, the registered display."""

    display: Display
    htmx: HtmxDetails

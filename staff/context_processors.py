from __future__ import annotations

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from staff.fieldclasses import Reads
from staff.navigation import stations_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_stations": []}
    return {"nav_stations": stations_for(user), "idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60}


def field_classes(request) -> dict:
    """``reads.counseling`` and ``reads.clinical``: which classes of a client's fields this user may
    read (``staff.fieldclasses``). Every page that shows client data draws a field only under its flag."""
    user = getattr(request, "user", None)
    return {"reads": SimpleLazyObject(lambda: Reads.of(user))}  # lazy: a page that draws no client costs nothing

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from staff.fieldclasses import Reads
from staff.navigation import stations_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_stations": []}
    return {"nav_stations": stations_for(user), "idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60}


def on_duty(request) -> dict:
    """Who is on duty now and the duty officer, for the header of every page; the unread handovers
    for a duty officer's banner; the staffing shortfall for the pages that show it.

    Lazy: a page that shows none of it (the admin, say) makes no query; the header costs one, the
    banner one more, and only pages that show the shortfall pay for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from staff.selectors.handover import handover_unread_count
    from staff.selectors.roster import on_duty_now, understaffed_now

    now = timezone.now()
    duty = SimpleLazyObject(lambda: on_duty_now(now))

    def unread() -> int:
        return handover_unread_count(user, now) if user.has_perm("staff.acknowledge_handover") else 0

    return {
        "on_duty": duty,
        # The lazy object stands in for what it wraps.
        "understaffed": SimpleLazyObject(lambda: list(understaffed_now(now, on_duty=duty))),  # type: ignore[arg-type]
        "unread_handovers": SimpleLazyObject(unread),
    }


def field_classes(request) -> dict:
    """``reads.counseling`` and ``reads.clinical``: which classes of a client's fields this user may
    read (``staff.fieldclasses``). Every page that shows client data draws a field only under its flag."""
    user = getattr(request, "user", None)
    return {"reads": SimpleLazyObject(lambda: Reads.of(user))}  # lazy: a page that draws no client costs nothing

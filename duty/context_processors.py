"""What every page's header needs of the duty records."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from duty.selectors.handover import handover_unread_count
from duty.selectors.roster import on_duty_now, understaffed_now


def on_duty(request) -> dict:
    """Who is on duty now and the duty officer, for the header of every page; the unread handovers
    for a duty officer's banner; the staffing shortfall for the pages that show it.

    Lazy: a page that shows none of it (the admin, say) makes no query; the header costs one, the
    banner one more, and only pages that show the shortfall pay for it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    now = timezone.now()
    duty = SimpleLazyObject(lambda: on_duty_now(now))

    def unread() -> int:
        return handover_unread_count(user, now) if user.has_perm("duty.acknowledge_handover") else 0

    return {
        "on_duty": duty,
        # The lazy object stands in for what it wraps.
        "understaffed": SimpleLazyObject(lambda: list(understaffed_now(now, on_duty=duty))),  # type: ignore[arg-type]
        "unread_handovers": SimpleLazyObject(unread),
    }

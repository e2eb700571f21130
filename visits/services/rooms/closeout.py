"""Closing visits nobody checked out: the duty officer's close-out at closing, and the overnight close.

When a visit closed this way ends (``close_out_end``):

- closed before the day's closing time: now;
- closed after it: at the closing time of the visit's day, or at the last move recorded after it (a
  client taken into a booth at 21:40 was still inside then), never later than now;
- checked in after closing, or on a day without opening hours (a duty officer's override): now, when
  closed the same day; the next day, at the last move recorded, so a night nobody saw is not counted.

Each close ends a booth session and an observation still running, at the same moment, and leaves the
events a check-out leaves, the reason in their note; the visit keeps the reason (``Visit.end_reason``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.days import local_midnight
from staff.models import User
from staff.services.accounts import system_account
from visits.models import Visit
from visits.selectors.checkin import overnight_leftovers
from visits.selectors.facility import opening_hours_on
from visits.services.rooms.state import close_open_timers, end_visit, ended_error, lock_visit

# The reasons a duty officer chooses from; "overnight" is the system's own.
CLOSE_OUT_REASONS = [reason for reason in Visit.EndReason if reason != Visit.EndReason.OVERNIGHT]


def close_out_end(visit: Visit, now: dt.datetime) -> dt.datetime:
    """When ``visit``, closed at ``now`` without a check-out, ends (the rule in the module's docstring)."""
    day = timezone.localdate(visit.checked_in_at)
    hours = opening_hours_on(day)
    last_move = max(visit.location_since, visit.checked_in_at)
    if hours is None or hours.closes <= visit.checked_in_at:
        next_day = local_midnight(day + dt.timedelta(days=1))
        return now if now < next_day else min(last_move, now)
    if now <= hours.closes:
        return now
    return min(max(hours.closes, last_move), now)


def _checked(reason: str, note: str) -> str:
    """The reason and note as they are written on the visit and its events; refuses a bad pair."""
    if reason not in CLOSE_OUT_REASONS:
        raise ValidationError(_("Choose a reason for closing the visit."), code="reason_required")
    if reason == Visit.EndReason.OTHER and not note:
        raise ValidationError(_("Describe the reason for closing the visit."), code="note_required")
    return _end_note(reason, note)


def _end_note(reason: str, note: str) -> str:
    label = str(Visit.EndReason(reason).label)
    return f"{label}: {note}" if note else label


def _close(visit: Visit, *, by: User, reason: str, text: str, now: dt.datetime) -> None:
    """Close the locked, open ``visit`` and whatever timer it has running."""
    ended_at = close_out_end(visit, now)
    close_open_timers(visit, by=by, now=ended_at, note=text)
    end_visit(visit, at=ended_at, by=by, note=text, reason=reason)


@transaction.atomic
def visit_close_out(*, visit: Visit, by: User, reason: str, note: str = "", now: dt.datetime | None = None) -> Visit:
    """Close one visit that was not checked out, with a reason (``Visit.EndReason``, not overnight).

    A visit already closed is refused with who closed it and when, unless this is the same close again
    (the same person, the same reason): a double submit, answered with the visit as it is.
    """
    now = now or timezone.now()
    note = note.strip()
    text = _checked(reason, note)
    visit = lock_visit(visit)
    if visit.ended_at is not None:
        if visit.ended_by_id == by.pk and visit.end_reason == reason:
            return visit
        raise ended_error(visit)
    _close(visit, by=by, reason=reason, text=text, now=now)
    return visit


@transaction.atomic
def visits_close_out_all(
    *,
    by: User,
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
    visit_ids: Collection[int] | None = None,
) -> int:
    """Close every visit still open with one reason; returns how many this call closed.

    With ``visit_ids`` (the visits the page listed), only those: a client checked in since stays inside.

    The open visits are locked in one statement, in the order of their ids (as every close of several
    does), so two duty officers closing all at once queue up and the second finds nothing left.
    """
    now = now or timezone.now()
    note = note.strip()
    text = _checked(reason, note)
    visits = Visit.objects.filter(ended_at__isnull=True)
    if visit_ids is not None:
        visits = visits.filter(pk__in=list(visit_ids))
    return _close_locked(visits, by=by, reason=reason, text=text, now=now)


def _close_locked(visits: QuerySet[Visit], *, by: User | None, reason: str, text: str, now: dt.datetime) -> int:
    locked = list(visits.select_for_update(of=("self",)).select_related("client").order_by("pk"))
    if locked and by is None:
        by = system_account()
    for visit in locked:
        _close(visit, by=by, reason=reason, text=text, now=now)  # type: ignore[arg-type]  # set above
    return len(locked)


@transaction.atomic
def visits_close_overnight(*, now: dt.datetime | None = None) -> int:
    """Close every visit checked in before today that is still open, as the system, with reason overnight.

    Idempotent: a second run finds nothing. Returns how many it closed.
    """
    now = now or timezone.now()
    reason = Visit.EndReason.OVERNIGHT
    return _close_locked(overnight_leftovers(now), by=None, reason=reason, text=_end_note(reason, ""), now=now)

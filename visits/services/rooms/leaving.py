"""Moving between the queue and the rooms, and checking out."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import (
    Visit,
    VisitEvent,
)
from visits.services.rooms.state import (
    MOVABLE,
    close_open_timers,
    end_visit,
    ended_error,
    event,
    lock_open_visit,
    lock_visit,
    recent,
    set_location,
)


@transaction.atomic
def visit_move(*, visit: Visit, to: str, by: User, now: dt.datetime | None = None) -> Visit:
    """Move a client between the queue, the interview room and the health room, either way."""
    now = now or timezone.now()
    if to not in MOVABLE:
        raise ValidationError(_("A client can be moved to the queue, the interview room or the health room."))
    visit = lock_open_visit(visit)
    if visit.location == to:
        return visit  # already there: a repeat, or someone else was quicker; either way nothing to do
    if visit.location == Visit.Location.BOOTH:
        raise ValidationError(
            _("%(code)s is in a booth. End the booth session first.") % {"code": visit.client.code}, code="in_booth"
        )
    if visit.location == Visit.Location.OBSERVATION:
        raise ValidationError(
            _("%(code)s is in observation. Release them first.") % {"code": visit.client.code}, code="in_observation"
        )
    set_location(visit, to, now)
    event(visit, VisitEvent.Kind.MOVED, at=now, by=by, location=to)
    return visit


@transaction.atomic
def visit_check_out(*, visit: Visit, by: User, note: str = "", now: dt.datetime | None = None) -> Visit:
    """End the visit, closing whatever is open (a booth session, an observation) on the way out.

    Leaving observation before its minimum time needs a reason in ``note``, as an early release does.
    """
    now = now or timezone.now()
    note = note.strip()
    visit = lock_visit(visit)
    if visit.ended_at is not None:
        if visit.ended_by_id == by.pk and recent(visit.ended_at, now):
            return visit  # the same click arriving twice
        raise ended_error(visit)
    close_open_timers(visit, by=by, now=now, note=note)
    end_visit(visit, at=now, by=by, note=note)
    return visit

"""The observation room: checks (in a booth too) and release."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import (
    BoothSession,
    Observation,
    ObservationCheck,
    Visit,
    VisitEvent,
)
from visits.services.rooms.state import (
    RELEASE_TO,
    close_observation,
    end_visit,
    ended_error,
    event,
    hhmm,
    lock_open_visit,
    lock_visit,
    recent,
    set_location,
    who,
)


@dataclass(frozen=True)
class _Watched:
    """Where a locked visit is watched from, and the same check's latest entry, read in one query."""

    repeat_pk: int | None
    repeat_at: dt.datetime | None
    session_pk: int | None
    observation_pk: int | None


def _watched(visit: Visit, *, by: User, state: str, note: str) -> _Watched:
    # Read after the visit's lock, not in the statement that takes it: that one's snapshot is from before
    # the wait, and would miss what the transaction it waited for wrote (the same click, an end of session).
    repeats = ObservationCheck.objects.filter(visit=OuterRef("pk"), by=by, state=state, note=note).order_by("-at")
    sessions = BoothSession.objects.filter(visit=OuterRef("pk"), ended_at__isnull=True)
    observations = Observation.objects.filter(visit=OuterRef("pk"), ended_at__isnull=True)
    row = (
        Visit.objects.filter(pk=visit.pk)
        .annotate(
            repeat_pk=Subquery(repeats.values("pk")[:1]),
            repeat_at=Subquery(repeats.values("at")[:1]),
            session_pk=Subquery(sessions.values("pk")[:1]),
            observation_pk=Subquery(observations.values("pk")[:1]),
        )
        .values("repeat_pk", "repeat_at", "session_pk", "observation_pk")
        .get()
    )
    return _Watched(**row)


@transaction.atomic
def observation_check_record(
    *, visit: Visit | int, state: str, by: User, note: str = "", now: dt.datetime | None = None
) -> ObservationCheck:
    """Record how a client is, in a booth or in observation. Hard to rouse and unresponsive are flagged.

    ``visit`` may be given by its key: the row is read once, under its lock (``Visit.DoesNotExist``);
    the check's ``visit`` is that row, with its client.
    """
    now = now or timezone.now()
    if state not in ObservationCheck.State.values:
        raise ValidationError(_("Choose how the client is."), code="bad_state")
    note = note.strip()
    visit = lock_open_visit(visit)
    watched = _watched(visit, by=by, state=state, note=note)
    if watched.repeat_pk is not None and recent(watched.repeat_at, now):
        return ObservationCheck.objects.select_related("visit__client").get(
            pk=watched.repeat_pk
        )  # the same click arriving twice
    # A booth session comes first: the check belongs to it, not to an observation opened beside it.
    session_pk = watched.session_pk
    observation_pk = None if session_pk is not None else watched.observation_pk
    if session_pk is None and observation_pk is None:
        raise ValidationError(
            _("%(code)s is not in a booth or in observation any more (now: %(place)s).")
            % {"code": visit.client.code, "place": visit.get_location_display().lower()},
            code="not_observed",
        )
    check = ObservationCheck.objects.create(
        visit=visit,
        booth_session_id=session_pk,
        observation_id=observation_pk,
        at=now,
        by=by,
        state=state,
        note=note,
        flagged=state in ObservationCheck.FLAGGED_STATES,
    )
    label = ObservationCheck.State(state).label
    event(visit, VisitEvent.Kind.OBSERVATION_CHECK, at=now, by=by, note=f"{label}: {note}" if note else str(label))
    return check


@transaction.atomic
def observation_release(
    *,
    observation: Observation,
    by: User,
    reason: str = "",
    next_location: str = Visit.Location.GONE,
    now: dt.datetime | None = None,
) -> Observation:
    """Release a client from observation. Before the minimum time an early release needs a reason.

    ``next_location`` GONE checks the client out; otherwise they go back to the queue or a room.
    """
    now = now or timezone.now()
    if next_location not in RELEASE_TO:
        raise ValidationError(_("Choose where the client goes after observation."), code="bad_next_location")
    reason = reason.strip()
    visit = lock_visit(observation.visit)
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.ended_at is not None:
        if observation.released_by_id == by.pk and recent(observation.ended_at, now):
            return observation  # the same click arriving twice
        raise ValidationError(
            _("%(code)s was already released at %(time)s by %(who)s.")
            % {"code": visit.client.code, "time": hhmm(observation.ended_at), "who": who(observation.released_by)},
            code="already_released",
        )
    if visit.ended_at is not None:
        raise ended_error(visit)
    if observation.is_early(now) and not reason:
        raise ValidationError(
            _(
                "%(code)s reaches the minimum observation time at %(time)s. "
                "Give a reason for an earlier release (for example: left against advice)."
            )
            % {"code": visit.client.code, "time": hhmm(observation.minimum_at)},
            code="reason_required",
        )
    observation.visit = visit
    close_observation(
        observation, at=now, by=by, released_to=next_location, reason=reason if observation.is_early(now) else ""
    )
    if next_location == Visit.Location.GONE:
        end_visit(visit, at=now, by=by, note=reason)
    else:
        set_location(visit, next_location, now)
        event(visit, VisitEvent.Kind.MOVED, at=now, by=by, location=next_location)
    return observation

"""What every room action shares: locking the visit, closing timers, ending the visit, events."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import duration_seconds
from staff.models import User
from visits.models import (
    BoothSession,
    Observation,
    Room,
    Visit,
    VisitEvent,
)
from visits.services.history import history_record_change

# A second identical submit by the same staff member this soon after is the same action.
DOUBLE_SUBMIT_WINDOW = dt.timedelta(seconds=30)
# How far back staff may record that a booth session started (written up after the fact).
MAX_BACKDATE = dt.timedelta(hours=2)
BOOTH_ROOM_KINDS = (Room.Kind.INJECTION, Room.Kind.INHALATION)
# Staff move a client between these freely; a booth or observation is left through its own action.
MOVABLE = (Visit.Location.QUEUE, Visit.Location.INTERVIEW, Visit.Location.HEALTH)
BOOTH_FROM = MOVABLE
BOOTH_END_TO = (Visit.Location.OBSERVATION, Visit.Location.GONE)
RELEASE_TO = (Visit.Location.GONE, Visit.Location.QUEUE, Visit.Location.HEALTH, Visit.Location.INTERVIEW)


def hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def who(user: User | None) -> str:
    if user is None:
        return "?"
    return user.get_full_name() or user.get_username()


def recent(moment: dt.datetime | None, now: dt.datetime) -> bool:
    return moment is not None and abs(now - moment) < DOUBLE_SUBMIT_WINDOW


def lock_visit(visit: Visit | int) -> Visit:
    """The visit's row, locked, with its client; given by its key, it is read only here (``DoesNotExist``)."""
    pk = visit.pk if isinstance(visit, Visit) else visit
    return Visit.objects.select_for_update(of=("self",)).select_related("client").get(pk=pk)


def ended_error(visit: Visit) -> ValidationError:
    return ValidationError(
        _("%(code)s was checked out at %(time)s by %(who)s.")
        % {
            "code": visit.client.code,
            "time": hhmm(visit.ended_at) if visit.ended_at else "—",
            "who": who(visit.ended_by),
        },
        code="visit_ended",
    )


def lock_open_visit(visit: Visit | int) -> Visit:
    locked = lock_visit(visit)
    if locked.ended_at is not None:
        raise ended_error(locked)
    return locked


def event(visit: Visit, kind: str, *, at: dt.datetime, by: User, location: str = "", note: str = "") -> None:
    VisitEvent.objects.create(visit=visit, kind=kind, at=at, by=by, location=location, note=note[:500])


def set_location(visit: Visit, location: str, at: dt.datetime) -> None:
    visit.location = location
    visit.location_since = at
    visit.save(update_fields=["location", "location_since"])


def open_session(visit: Visit) -> BoothSession | None:
    return BoothSession.objects.select_related("booth").filter(visit=visit, ended_at__isnull=True).first()


def open_observation(visit: Visit) -> Observation | None:
    return Observation.objects.filter(visit=visit, ended_at__isnull=True).first()


def lock_session(session: BoothSession) -> BoothSession:
    return BoothSession.objects.select_for_update(of=("self",)).select_related("booth", "route").get(pk=session.pk)


def close_session(session: BoothSession, *, at: dt.datetime, by: User, outcome: str) -> None:
    # The row is locked, and the conditional update would still refuse a session closed meanwhile.
    session.close(at=max(at, session.started_at), by=by, outcome=outcome)
    updated = BoothSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
        ended_at=session.ended_at,
        ended_by=by,
        outcome=outcome,
        duration_seconds=session.duration_seconds,
    )
    if updated != 1:
        raise ValidationError(_("The booth session was ended by someone else a moment ago."), code="session_ended")
    history_record_change(session, by=by)
    event(
        session.visit,
        VisitEvent.Kind.BOOTH_ENDED,
        at=at,
        by=by,
        note=f"{session.booth} · {session.get_outcome_display()}",
    )


def close_observation(observation: Observation, *, at: dt.datetime, by: User, released_to: str, reason: str) -> None:
    observation.close(at=at, by=by, released_to=released_to, reason=reason)
    updated = Observation.objects.filter(pk=observation.pk, ended_at__isnull=True).update(
        ended_at=at,
        released_by=by,
        released_to=released_to,
        early_release_reason=reason,
        duration_seconds=observation.duration_seconds,
    )
    if updated != 1:
        raise ValidationError(_("The client was released by someone else a moment ago."), code="already_released")
    history_record_change(observation, by=by)
    event(observation.visit, VisitEvent.Kind.RELEASED, at=at, by=by, location=released_to, note=reason)


def end_visit(visit: Visit, *, at: dt.datetime, by: User, note: str, reason: str = "") -> None:
    """End the visit; ``reason`` (``Visit.EndReason``) when it was closed other than by checking out."""
    visit.ended_at = max(at, visit.checked_in_at)
    visit.ended_by = by
    visit.end_note = note
    visit.end_reason = reason
    visit.duration_seconds = duration_seconds(visit.checked_in_at, visit.ended_at)
    visit.location = Visit.Location.GONE
    visit.location_since = visit.ended_at
    visit.save(
        update_fields=[
            "ended_at",
            "ended_by",
            "end_note",
            "end_reason",
            "duration_seconds",
            "location",
            "location_since",
        ]
    )
    event(visit, VisitEvent.Kind.CHECKED_OUT, at=visit.ended_at, by=by, location=Visit.Location.GONE, note=note)


def close_open_timers(visit: Visit, *, by: User, now: dt.datetime, note: str) -> None:
    session = open_session(visit)
    if session is not None:
        session = lock_session(session)
        session.visit = visit
        close_session(session, at=now, by=by, outcome=BoothSession.Outcome.LEFT)
    observation = open_observation(visit)
    if observation is not None:
        observation.visit = visit
        if observation.is_early(now) and not note:
            raise ValidationError(
                _("%(code)s is in observation until %(time)s. Give a reason for leaving early.")
                % {"code": visit.client.code, "time": hhmm(observation.minimum_at)},
                code="reason_required",
            )
        reason = note if observation.is_early(now) else ""
        close_observation(
            observation, at=max(now, observation.started_at), by=by, released_to=Visit.Location.GONE, reason=reason
        )

"""Moving a visit through the rooms: booths, observation, the health and interview rooms, and out.

Every function locks the visit's row first (``select_for_update``), so two staff acting on the same
visit queue up and the second sees what the first did. Booths are locked after visits, always in
that order, so that two assignments cannot deadlock. The partial unique constraints are the last
word; whoever loses a race gets a ``ValidationError`` that says what happened, never a second record.
The same click arriving twice from the same staff member is answered with what the first one did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import (
    Booth,
    BoothSession,
    EquipmentItem,
    HandOut,
    Observation,
    ObservationCheck,
    Room,
    Route,
    Substance,
    Visit,
    VisitEvent,
)
from visits.selectors.facility import opening_hours_on
from visits.services.contacts import hand_out_record

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


def _hhmm(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _who(user: User | None) -> str:
    if user is None:
        return "?"
    return user.get_full_name() or user.get_username()


def _recent(moment: dt.datetime | None, now: dt.datetime) -> bool:
    return moment is not None and abs(now - moment) < DOUBLE_SUBMIT_WINDOW


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("client").get(pk=visit.pk)


def _ended_error(visit: Visit) -> ValidationError:
    return ValidationError(
        _("%(code)s was checked out at %(time)s by %(who)s.")
        % {"code": visit.client.code, "time": _hhmm(visit.ended_at), "who": _who(visit.ended_by)},
        code="visit_ended",
    )


def _lock_open_visit(visit: Visit) -> Visit:
    locked = _lock_visit(visit)
    if locked.ended_at is not None:
        raise _ended_error(locked)
    return locked


def _event(visit: Visit, kind: str, *, at: dt.datetime, by: User, location: str = "", note: str = "") -> None:
    VisitEvent.objects.create(visit=visit, kind=kind, at=at, by=by, location=location, note=note[:500])


def _set_location(visit: Visit, location: str, at: dt.datetime) -> None:
    visit.location = location
    visit.location_since = at
    visit.save(update_fields=["location", "location_since"])


def _open_session(visit: Visit) -> BoothSession | None:
    return BoothSession.objects.select_related("booth").filter(visit=visit, ended_at__isnull=True).first()


def _open_observation(visit: Visit) -> Observation | None:
    return Observation.objects.filter(visit=visit, ended_at__isnull=True).first()


def _lock_free_booth(booth: Booth | None) -> Booth:
    """The chosen booth, or the first free one, locked for this transaction; or a clear refusal."""
    usable = Booth.objects.filter(active=True, room__active=True, room__kind__in=BOOTH_ROOM_KINDS)
    if booth is not None:
        locked = usable.select_for_update(of=("self",)).filter(pk=booth.pk).first()
        if locked is None:
            raise ValidationError(_("%(booth)s is not in use.") % {"booth": booth}, code="booth_unusable")
        taken = BoothSession.objects.select_related("visit__client").filter(booth=locked, ended_at__isnull=True)
        occupant = taken.first()
        if occupant is not None:
            raise ValidationError(
                _("%(booth)s is taken: %(code)s has been there since %(time)s.")
                % {"booth": locked, "code": occupant.visit.client.code, "time": _hhmm(occupant.started_at)},
                code="booth_taken",
            )
        return locked
    # Next free booth: skip booths another transaction is assigning right now, and look again after
    # locking, since the first look may predate a session committed a moment ago.
    tried: list[int] = []
    while True:
        candidate = (
            usable.exclude(pk__in=tried)
            .exclude(pk__in=BoothSession.objects.filter(ended_at__isnull=True).values("booth_id"))
            .order_by("room__position", "position", "pk")
            .select_for_update(of=("self",), skip_locked=True)
            .first()
        )
        if candidate is None:
            raise ValidationError(_("No booth is free. The client stays in the queue."), code="no_free_booth")
        if not BoothSession.objects.filter(booth=candidate, ended_at__isnull=True).exists():
            return candidate
        tried.append(candidate.pk)


@transaction.atomic
def booth_assign(
    *,
    visit: Visit,
    booth: Booth | None,
    route: Route,
    substance: Substance,
    by: User,
    started_at: dt.datetime | None = None,
    items: Mapping[EquipmentItem, int] | None = None,
    now: dt.datetime | None = None,
) -> BoothSession:
    """Put a waiting client in ``booth`` (None: the next free one) and start the booth timer.

    Records the consumption (substance and route, which must be allowed) and, with ``items``, the
    equipment handed out. ``started_at`` may be given when the start is written up afterwards.
    """
    now = now or timezone.now()
    visit = _lock_open_visit(visit)
    current = _open_session(visit)
    if current is not None:
        if current.started_by_id == by.pk and _recent(current.started_at, now) and booth in (None, current.booth):
            return current  # the same click arriving twice
        raise ValidationError(
            _("%(code)s is already in %(booth)s.") % {"code": visit.client.code, "booth": current.booth},
            code="already_in_booth",
        )
    if visit.location not in BOOTH_FROM:
        raise ValidationError(
            _("%(code)s is in the %(place)s, not waiting for a booth.")
            % {"code": visit.client.code, "place": visit.get_location_display().lower()},
            code="not_waiting",
        )
    if not route.enabled:
        raise ValidationError(_("%(route)s is not allowed here.") % {"route": route.label}, code="route_not_allowed")
    if not substance.enabled:
        raise ValidationError(
            _("%(substance)s may not be used here.") % {"substance": substance.label}, code="substance_not_allowed"
        )
    started_at = started_at or now
    if started_at > now + dt.timedelta(minutes=1):
        raise ValidationError(_("The start time cannot be in the future."), code="future_start")
    if started_at < max(visit.checked_in_at, now - MAX_BACKDATE):
        raise ValidationError(
            _("The start time must be after check-in (%(time)s) and within the last two hours.")
            % {"time": _hhmm(visit.checked_in_at)},
            code="start_too_early",
        )
    started_at = min(started_at, now)

    booth = _lock_free_booth(booth)
    try:
        with transaction.atomic():
            session = BoothSession.objects.create(
                visit=visit,
                booth=booth,
                route=route,
                substance=substance,
                started_at=started_at,
                started_by=by,
                time_limit_minutes=route.booth_time_limit_minutes,
            )
    except IntegrityError:
        raise ValidationError(
            _("%(booth)s was taken a moment ago. Choose another booth.") % {"booth": booth}, code="booth_taken"
        ) from None
    _set_location(visit, Visit.Location.BOOTH, now)
    _event(
        visit,
        VisitEvent.Kind.BOOTH_STARTED,
        at=now,
        by=by,
        location=Visit.Location.BOOTH,
        note=f"{booth} · {substance.label} · {route.label} · {_hhmm(started_at)}",
    )
    if items:
        hand_out_record(items=items, by=by, visit=visit, now=now)
    return session


def _lock_session(session: BoothSession) -> BoothSession:
    return BoothSession.objects.select_for_update(of=("self",)).select_related("booth", "route").get(pk=session.pk)


@transaction.atomic
def booth_end(*, session: BoothSession, next_location: str, by: User, now: dt.datetime | None = None) -> BoothSession:
    """End a booth session; the client goes to the observation room, or leaves (the visit ends)."""
    now = now or timezone.now()
    if next_location not in BOOTH_END_TO:
        raise ValidationError(_("Choose where the client goes after the booth."), code="bad_next_location")
    visit = _lock_visit(session.visit)
    session = _lock_session(session)
    if session.ended_at is not None:
        if session.ended_by_id == by.pk and _recent(session.ended_at, now):
            return session  # the same click arriving twice
        raise ValidationError(
            _("The session in %(booth)s was already ended at %(time)s by %(who)s.")
            % {"booth": session.booth, "time": _hhmm(session.ended_at), "who": _who(session.ended_by)},
            code="session_ended",
        )
    if visit.ended_at is not None:
        raise _ended_error(visit)
    session.visit = visit
    outcome = (
        BoothSession.Outcome.OBSERVATION if next_location == Visit.Location.OBSERVATION else BoothSession.Outcome.LEFT
    )
    _close_session(session, at=now, by=by, outcome=outcome)
    if next_location == Visit.Location.OBSERVATION:
        Observation.objects.create(
            visit=visit,
            booth_session=session,
            started_at=now,
            started_by=by,
            min_minutes=session.route.min_observation_minutes,
        )
        _set_location(visit, Visit.Location.OBSERVATION, now)
        _event(visit, VisitEvent.Kind.OBSERVATION_STARTED, at=now, by=by, location=Visit.Location.OBSERVATION)
    else:
        _end_visit(visit, at=now, by=by, note="")
    return session


def _close_session(session: BoothSession, *, at: dt.datetime, by: User, outcome: str) -> None:
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
    _event(
        session.visit,
        VisitEvent.Kind.BOOTH_ENDED,
        at=at,
        by=by,
        note=f"{session.booth} · {session.get_outcome_display()}",
    )


def _close_observation(observation: Observation, *, at: dt.datetime, by: User, released_to: str, reason: str) -> None:
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
    _event(observation.visit, VisitEvent.Kind.RELEASED, at=at, by=by, location=released_to, note=reason)


def _end_visit(visit: Visit, *, at: dt.datetime, by: User, note: str) -> None:
    visit.ended_at = max(at, visit.checked_in_at)
    visit.ended_by = by
    visit.end_note = note
    visit.duration_seconds = max(0, int((visit.ended_at - visit.checked_in_at).total_seconds()))
    visit.location = Visit.Location.GONE
    visit.location_since = visit.ended_at
    visit.save(update_fields=["ended_at", "ended_by", "end_note", "duration_seconds", "location", "location_since"])
    _event(visit, VisitEvent.Kind.CHECKED_OUT, at=visit.ended_at, by=by, location=Visit.Location.GONE, note=note)


@transaction.atomic
def observation_check_record(
    *, visit: Visit, state: str, by: User, note: str = "", now: dt.datetime | None = None
) -> ObservationCheck:
    """Record how a client is, in a booth or in observation. Hard to rouse and unresponsive are flagged."""
    now = now or timezone.now()
    if state not in ObservationCheck.State.values:
        raise ValidationError(_("Choose how the client is."), code="bad_state")
    note = note.strip()
    visit = _lock_open_visit(visit)
    repeat = ObservationCheck.objects.filter(visit=visit, by=by, state=state, note=note).order_by("-at").first()
    if repeat is not None and _recent(repeat.at, now):
        return repeat  # the same click arriving twice
    session = _open_session(visit)
    observation = None if session is not None else _open_observation(visit)
    if session is None and observation is None:
        raise ValidationError(
            _("%(code)s is not in a booth or in observation any more (now: %(place)s).")
            % {"code": visit.client.code, "place": visit.get_location_display().lower()},
            code="not_observed",
        )
    check = ObservationCheck.objects.create(
        visit=visit,
        booth_session=session,
        observation=observation,
        at=now,
        by=by,
        state=state,
        note=note,
        flagged=state in ObservationCheck.FLAGGED_STATES,
    )
    label = ObservationCheck.State(state).label
    _event(visit, VisitEvent.Kind.OBSERVATION_CHECK, at=now, by=by, note=f"{label}: {note}" if note else str(label))
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
    visit = _lock_visit(observation.visit)
    observation = Observation.objects.select_for_update().get(pk=observation.pk)
    if observation.ended_at is not None:
        if observation.released_by_id == by.pk and _recent(observation.ended_at, now):
            return observation  # the same click arriving twice
        raise ValidationError(
            _("%(code)s was already released at %(time)s by %(who)s.")
            % {"code": visit.client.code, "time": _hhmm(observation.ended_at), "who": _who(observation.released_by)},
            code="already_released",
        )
    if visit.ended_at is not None:
        raise _ended_error(visit)
    if observation.is_early(now) and not reason:
        raise ValidationError(
            _(
                "The minimum observation time is reached at %(time)s. "
                "Give a reason for an earlier release (for example: left against advice)."
            )
            % {"time": _hhmm(observation.minimum_at)},
            code="reason_required",
        )
    observation.visit = visit
    _close_observation(
        observation, at=now, by=by, released_to=next_location, reason=reason if observation.is_early(now) else ""
    )
    if next_location == Visit.Location.GONE:
        _end_visit(visit, at=now, by=by, note=reason)
    else:
        _set_location(visit, next_location, now)
        _event(visit, VisitEvent.Kind.MOVED, at=now, by=by, location=next_location)
    return observation


@transaction.atomic
def visit_move(*, visit: Visit, to: str, by: User, now: dt.datetime | None = None) -> Visit:
    """Move a client between the queue, the interview room and the health room, either way."""
    now = now or timezone.now()
    if to not in MOVABLE:
        raise ValidationError(_("A client can be moved to the queue, the interview room or the health room."))
    visit = _lock_open_visit(visit)
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
    _set_location(visit, to, now)
    _event(visit, VisitEvent.Kind.MOVED, at=now, by=by, location=to)
    return visit


@transaction.atomic
def visit_check_out(*, visit: Visit, by: User, note: str = "", now: dt.datetime | None = None) -> Visit:
    """End the visit, closing whatever is open (a booth session, an observation) on the way out.

    Leaving observation before its minimum time needs a reason in ``note``, as an early release does.
    """
    now = now or timezone.now()
    note = note.strip()
    visit = _lock_visit(visit)
    if visit.ended_at is not None:
        if visit.ended_by_id == by.pk and _recent(visit.ended_at, now):
            return visit  # the same click arriving twice
        raise _ended_error(visit)
    _close_open_timers(visit, by=by, now=now, note=note)
    _end_visit(visit, at=now, by=by, note=note)
    return visit


def _close_open_timers(visit: Visit, *, by: User, now: dt.datetime, note: str) -> None:
    session = _open_session(visit)
    if session is not None:
        session = _lock_session(session)
        session.visit = visit
        _close_session(session, at=now, by=by, outcome=BoothSession.Outcome.LEFT)
    observation = _open_observation(visit)
    if observation is not None:
        observation.visit = visit
        if observation.is_early(now) and not note:
            raise ValidationError(
                _("%(code)s is in observation until %(time)s. Give a reason for leaving early.")
                % {"code": visit.client.code, "time": _hhmm(observation.minimum_at)},
                code="reason_required",
            )
        reason = note if observation.is_early(now) else ""
        _close_observation(
            observation, at=max(now, observation.started_at), by=by, released_to=Visit.Location.GONE, reason=reason
        )


@transaction.atomic
def visit_close_after_hours(*, visit: Visit, by: User, reason: str, now: dt.datetime | None = None) -> Visit:
    """Close a visit left open after closing time, with a reason; it ends at the day's closing time."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for closing the visit."), code="reason_required")
    visit = _lock_visit(visit)
    if visit.ended_at is not None:
        if visit.ended_by_id == by.pk and _recent(visit.ended_at, now):
            return visit
        raise _ended_error(visit)
    hours = opening_hours_on(timezone.localdate(visit.checked_in_at))
    ended_at = min(now, hours.closes) if hours is not None and hours.closes > visit.checked_in_at else now
    note = _("Closed after closing time: %(reason)s") % {"reason": reason}
    _close_open_timers(visit, by=by, now=ended_at, note=note)
    _end_visit(visit, at=ended_at, by=by, note=note)
    return visit


@transaction.atomic
def visit_hand_out(
    *, visit: Visit, items: Mapping[EquipmentItem, int], by: User, now: dt.datetime | None = None
) -> list[HandOut]:
    """Hand out equipment during an open visit; the same hand-out submitted twice is recorded once."""
    now = now or timezone.now()
    visit = _lock_open_visit(visit)
    wanted = {item.pk: quantity for item, quantity in items.items() if quantity}
    if not wanted:
        raise ValidationError(_("Give a quantity for at least one item."), code="empty")
    last = HandOut.objects.filter(visit=visit, by=by).order_by("-at").values_list("at", flat=True).first()
    if last is not None and _recent(last, now):
        previous = dict(HandOut.objects.filter(visit=visit, by=by, at=last).values_list("item_id", "quantity"))
        if previous == wanted:
            return list(HandOut.objects.filter(visit=visit, by=by, at=last))  # the same click arriving twice
    return hand_out_record(items=items, by=by, visit=visit, now=now)

"""The injection room: assigning a booth, ending a booth session, equipment during the visit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

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
    Route,
    Substance,
    Visit,
    VisitEvent,
)
from visits.selectors.facility import PastClosing, booth_past_closing
from visits.services.contacts import hand_out_event, hand_out_record
from visits.services.rooms.state import (
    BOOTH_END_TO,
    BOOTH_FROM,
    BOOTH_ROOM_KINDS,
    MAX_BACKDATE,
    close_session,
    end_visit,
    ended_error,
    event,
    hhmm,
    lock_open_visit,
    lock_session,
    lock_visit,
    open_session,
    recent,
    set_location,
    who,
)


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
                % {"booth": locked, "code": occupant.visit.client.code, "time": hhmm(occupant.started_at)},
                code="booth_taken",
            )
        return locked
    # Next free booth: skip booths another transaction is assigning right now. The look may predate a
    # session committed a moment ago; then the database refuses the second session in that booth, and
    # booth_assign tries again with a fresh look.
    candidate = (
        usable.exclude(pk__in=BoothSession.objects.filter(ended_at__isnull=True).values("booth_id"))
        .order_by("room__position", "position", "pk")
        .select_for_update(of=("self",), skip_locked=True)
        .first()
    )
    if candidate is None:
        raise ValidationError(_("No booth is free. The client stays in the queue."), code="no_free_booth")
    return candidate


class BoothPastClosing(ValidationError):
    """Booth time and the minimum observation would end after closing: assigned only when confirmed.

    ``past`` says when they would end and by how much; the board asks "Assign anyway?" with it.
    """

    def __init__(self, past: PastClosing, *, code: str):
        self.past = past
        self.client_code = code
        super().__init__(past.booth_text, code="past_closing")


class _TakenMeanwhile(Exception):
    """The booth got a session from another transaction between the look and the insert."""

    def __init__(self, refusal: ValidationError):
        self.refusal = refusal


NEXT_FREE_ATTEMPTS = 3


def booth_assign(**kwargs: Any) -> BoothSession:
    """Put a waiting client in ``booth`` (None: the next free one) and start the booth timer.

    See ``_booth_assign`` for the arguments. The next free booth is looked for again (in a new
    transaction) when the one found was taken a moment before the insert.
    """
    for attempt in range(NEXT_FREE_ATTEMPTS):
        try:
            return _booth_assign(**kwargs)
        except _TakenMeanwhile as taken:
            if kwargs.get("booth") is not None or attempt == NEXT_FREE_ATTEMPTS - 1:
                raise taken.refusal from None
    raise AssertionError("unreachable")


@transaction.atomic
def _booth_assign(
    *,
    visit: Visit,
    booth: Booth | None,
    route: Route,
    substance: Substance,
    by: User,
    started_at: dt.datetime | None = None,
    items: Mapping[EquipmentItem, int] | None = None,
    now: dt.datetime | None = None,
    confirmed: bool = False,
) -> BoothSession:
    """One attempt at a booth assignment, in one transaction.

    Records the consumption (substance and route, which must be allowed) and, with ``items``, the
    equipment handed out. ``started_at`` may be given when the start is written up afterwards.
    When the booth's time limit and the minimum observation would end after closing, it raises
    ``BoothPastClosing`` unless ``confirmed``.
    """
    now = now or timezone.now()
    visit = lock_open_visit(visit)
    # Only a client in a booth has a session open (the same click arriving twice, or another booth).
    current = open_session(visit) if visit.location == Visit.Location.BOOTH else None
    if current is not None:
        if current.started_by_id == by.pk and recent(current.started_at, now) and booth in (None, current.booth):
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
            % {"time": hhmm(visit.checked_in_at)},
            code="start_too_early",
        )
    started_at = min(started_at, now)
    if not confirmed:
        past = booth_past_closing(route=route, started_at=started_at, now=now)
        if past is not None:
            raise BoothPastClosing(past, code=visit.client.code)

    booth = _lock_free_booth(booth)
    try:
        # No savepoint: a refused insert fails the whole assignment, which is rolled back as it leaves.
        with transaction.atomic(savepoint=False):
            session = BoothSession.objects.create(
                visit=visit,
                booth=booth,
                route=route,
                substance=substance,
                started_at=started_at,
                started_by=by,
                time_limit_minutes=route.booth_time_limit_minutes,
                check_interval_minutes=route.check_interval_minutes,
            )
    except IntegrityError:
        raise _TakenMeanwhile(
            ValidationError(
                _("%(booth)s was taken a moment ago. Choose another booth.") % {"booth": booth}, code="booth_taken"
            )
        ) from None
    set_location(visit, Visit.Location.BOOTH, now)
    events = [
        VisitEvent(
            visit=visit,
            kind=VisitEvent.Kind.BOOTH_STARTED,
            at=now,
            by=by,
            location=Visit.Location.BOOTH,
            note=f"{booth} · {substance.label} · {route.label} · {hhmm(started_at)}"[:500],
        )
    ]
    if items:
        hand_outs = hand_out_record(items=items, by=by, visit=visit, now=now, write_event=False)
        if hand_outs:
            events.append(hand_out_event(visit, hand_outs, by=by, at=now))
    VisitEvent.objects.bulk_create(events)
    return session


@transaction.atomic
def booth_end(*, session: BoothSession, next_location: str, by: User, now: dt.datetime | None = None) -> BoothSession:
    """End a booth session; the client goes to the observation room, or leaves (the visit ends)."""
    now = now or timezone.now()
    if next_location not in BOOTH_END_TO:
        raise ValidationError(_("Choose where the client goes after the booth."), code="bad_next_location")
    visit = lock_visit(session.visit)
    session = lock_session(session)
    if session.ended_at is not None:
        if session.ended_by_id == by.pk and recent(session.ended_at, now):
            return session  # the same click arriving twice
        raise ValidationError(
            _("The session in %(booth)s was already ended at %(time)s by %(who)s.")
            % {"booth": session.booth, "time": hhmm(session.ended_at), "who": who(session.ended_by)},
            code="session_ended",
        )
    if visit.ended_at is not None:
        raise ended_error(visit)
    session.visit = visit
    outcome = (
        BoothSession.Outcome.OBSERVATION if next_location == Visit.Location.OBSERVATION else BoothSession.Outcome.LEFT
    )
    close_session(session, at=now, by=by, outcome=outcome)
    if next_location == Visit.Location.OBSERVATION:
        Observation.objects.create(
            visit=visit,
            booth_session=session,
            started_at=now,
            started_by=by,
            min_minutes=session.route.min_observation_minutes,
            # The route's interval as it is now: the observation is a new timer, like its minimum time.
            check_interval_minutes=session.route.check_interval_minutes,
        )
        set_location(visit, Visit.Location.OBSERVATION, now)
        event(visit, VisitEvent.Kind.OBSERVATION_STARTED, at=now, by=by, location=Visit.Location.OBSERVATION)
    else:
        end_visit(visit, at=now, by=by, note="")
    return session


@transaction.atomic
def visit_hand_out(
    *, visit: Visit, items: Mapping[EquipmentItem, int], by: User, now: dt.datetime | None = None
) -> list[HandOut]:
    """Hand out equipment during an open visit; the same hand-out submitted twice is recorded once."""
    now = now or timezone.now()
    visit = lock_open_visit(visit)
    wanted = {item.pk: quantity for item, quantity in items.items() if quantity}
    if not wanted:
        raise ValidationError(_("Give a quantity for at least one item."), code="empty")
    last = HandOut.objects.filter(visit=visit, by=by).order_by("-at").values_list("at", flat=True).first()
    if last is not None and recent(last, now):
        previous = dict(HandOut.objects.filter(visit=visit, by=by, at=last).values_list("item_id", "quantity"))
        if previous == wanted:
            return list(HandOut.objects.filter(visit=visit, by=by, at=last))  # the same click arriving twice
    return hand_out_record(items=items, by=by, visit=visit, now=now)

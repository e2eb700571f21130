"""The live floor: who is where, for how long, and what is overdue, in a constant number of queries.

Every query filters on ``ended_at IS NULL`` (covered by the partial unique indexes), so the board
costs the same with ten past visits or a hundred thousand.

When the next check on each person in a booth or in observation is due comes from the checks already
read for the cards (no query of its own): ok before the due time, due for two minutes from it, overdue
after that (``visits.models.rooms.CheckClock``). The overdue ones are listed at the top of the boards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.days import local_midnight
from core.durations import minutes_between
from health.models import Emergency
from health.selectors import page_open_emergencies, recent_emergencies_of
from visits.models import (
    Booth,
    BoothSession,
    EquipmentItem,
    Observation,
    ObservationCheck,
    Room,
    Route,
    Substance,
    Visit,
)
from visits.models.rooms import CHECK_GRACE
from visits.selectors.capacity import Occupancy, occupancy
from visits.selectors.facility import opening_hours_on
from visits.selectors.floor import kept_on_floor
from visits.selectors.settings import (
    booths_in_use,
    current_facility,
    enabled_equipment,
    enabled_routes,
    enabled_substances,
)
from visits.selectors.stock import stock_alerts

# An overdose, or a hard-to-rouse or unresponsive check, this recent marks the client on the board.
RECENT_FLAG = dt.timedelta(days=7)
DEFAULT_DUE_SOON = dt.timedelta(minutes=5)
BOOTH_ROOM_KINDS = (Room.Kind.INJECTION, Room.Kind.INHALATION)


@dataclass
class VisitChecks:
    """The checks recorded during one open visit, newest first."""

    latest: ObservationCheck | None = None
    flagged: ObservationCheck | None = None
    count: int = 0
    # The client's emergency closed after the flagged check: the card says how it ended instead of
    # calling for the emergency procedure.
    answered: Emergency | None = None

    @property
    def alarm(self) -> bool:
        """A flagged check nobody has answered with an emergency closed since."""
        return self.flagged is not None and self.answered is None


@dataclass(frozen=True)
class CheckDue:
    """When the next check on one person falls due, as of the board's ``now``."""

    at: dt.datetime
    status: str  # ObservationCheck.Due
    now: dt.datetime

    @property
    def overdue_at(self) -> dt.datetime:
        return self.at + CHECK_GRACE

    @property
    def late_minutes(self) -> int:
        """Whole minutes past the due time (0 before it)."""
        return minutes_between(self.at, self.now)

    @property
    def is_overdue(self) -> bool:
        return self.status == ObservationCheck.Due.OVERDUE


def _check_due(timer: BoothSession | Observation, checks: VisitChecks, now: dt.datetime) -> CheckDue:
    return CheckDue(at=timer.next_check_due(checks.latest), status=timer.check_status(now, checks.latest), now=now)


@dataclass
class BoothCard:
    """A booth, free or with the session running in it."""

    booth: Booth
    session: BoothSession | None
    status: str  # "free" or a BoothSession.Status
    due_soon_at: dt.datetime | None = None
    checks: VisitChecks = field(default_factory=VisitChecks)
    at_risk: bool = False
    check_due: CheckDue | None = None

    @property
    def is_free(self) -> bool:
        return self.session is None

    @property
    def anchor(self) -> str:
        """The id of the card's heading, for a link to it."""
        return f"booth-{self.booth.pk}"


@dataclass
class ObservationCard:
    observation: Observation
    status: str
    checks: VisitChecks = field(default_factory=VisitChecks)
    at_risk: bool = False
    check_due: CheckDue | None = None

    @property
    def visit(self) -> Visit:
        return self.observation.visit

    @property
    def anchor(self) -> str:
        return f"obs-{self.observation.pk}"


@dataclass
class PersonRow:
    """Someone in the queue, the interview room or the health room, and since when."""

    visit: Visit
    at_risk: bool = False


@dataclass
class FloorBoard:
    now: dt.datetime
    due_soon: dt.timedelta
    queue: list[PersonRow]
    interview: list[PersonRow]
    health: list[PersonRow]
    booths: list[BoothCard]
    observations: list[ObservationCard]
    routes: list[Route]
    substances: list[Substance]
    kit: list[EquipmentItem]
    left_open: list[Visit] | None = None
    after_hours: bool = False
    # Open emergencies show in red on every board until closed; low stock shows for a count or order.
    emergencies: list = field(default_factory=list)
    stock_alerts: list = field(default_factory=list)
    # The waiting room (the queue) and the observation room against their capacity, once per board.
    occupancy: dict[str, Occupancy] = field(default_factory=dict)

    @property
    def stock_uncounted(self) -> list:
        """Items never counted: named together, since a new installation has every item so."""
        return [line for line in self.stock_alerts if line.never_counted]

    @property
    def stock_counted_alerts(self) -> list:
        return [line for line in self.stock_alerts if not line.never_counted]

    @cached_property  # asked on every card
    def emergency_clients(self) -> set[int]:
        return {emergency.client_id for emergency in self.emergencies}

    @cached_property  # asked on every card
    def free_booths(self) -> list[Booth]:
        return [card.booth for card in self.booths if card.is_free and card.booth.active]

    @cached_property  # asked on every card
    def default_kit(self) -> list[EquipmentItem]:
        return [item for item in self.kit if item.default_kit_quantity]

    @cached_property
    def overdue_checks(self) -> list[BoothCard | ObservationCard]:
        """The cards whose check is overdue, the longest overdue first."""
        every: list[BoothCard | ObservationCard] = [*self.booths, *self.observations]
        cards = [card for card in every if card.check_due and card.check_due.is_overdue]
        return sorted(cards, key=lambda card: card.check_due.at)  # type: ignore[union-attr]  # each has one

    @cached_property  # asked on every card
    def attention_count(self) -> int:
        """Booths overdue, checks overdue and flagged clients: what a glance at the board must not miss."""
        overdue = sum(1 for card in self.booths if card.status == BoothSession.Status.OVERDUE)
        flagged = sum(1 for card in self.booths if card.checks.alarm) + sum(
            1 for card in self.observations if card.checks.alarm
        )
        return overdue + flagged + len(self.overdue_checks) + len(self.emergencies)


def _checks_by_visit() -> dict[int, VisitChecks]:
    found: dict[int, VisitChecks] = {}
    checks = ObservationCheck.objects.filter(visit__ended_at__isnull=True).select_related("by").order_by("-at", "-pk")
    for check in checks:
        entry = found.setdefault(check.visit_id, VisitChecks())
        entry.count += 1
        if entry.latest is None:
            entry.latest = check
        if check.flagged and entry.flagged is None:
            entry.flagged = check
    return found


def _flagged_recently(now: dt.datetime) -> Exists:
    """Whether the visit's client had a flagged check in the last days (on any visit): read with the visits."""
    return Exists(
        ObservationCheck.objects.filter(flagged=True, at__gte=now - RECENT_FLAG, visit__client_id=OuterRef("client_id"))
    )


def _clients_at_risk(visits: list[Visit], now: dt.datetime) -> tuple[set[int], list]:
    """Clients inside with an overdose recorded, or a flagged check, in the last days; and their
    emergencies of those days, newest first. One query: the flagged checks came with the visits
    (``_flagged_recently``)."""
    inside = [visit.client_id for visit in visits]
    flagged = {visit.client_id for visit in visits if getattr(visit, "flagged_recently", False)}
    emergencies = recent_emergencies_of(inside, now)
    overdosed = {
        emergency.client_id
        for emergency in emergencies
        if emergency.kind in Emergency.OVERDOSE_KINDS and emergency.client_id is not None
    }
    return flagged | overdosed, emergencies


def _answer_flags(checks: dict[int, VisitChecks], visits: list[Visit], emergencies: list) -> None:
    """Mark each flagged check followed by an emergency of the client's that has since been closed."""
    client_of = {visit.pk: visit.client_id for visit in visits}
    for visit_id, entry in checks.items():
        if entry.flagged is None:
            continue
        closed = [
            emergency
            for emergency in emergencies
            if emergency.client_id == client_of.get(visit_id)
            and emergency.ended_at is not None
            and emergency.ended_at >= entry.flagged.at
        ]
        entry.answered = max(closed, key=lambda emergency: emergency.ended_at, default=None)


def _left_open(visits: list[Visit], now: dt.datetime) -> tuple[list[Visit], bool]:
    """Open visits from before today, or from today once the facility has closed."""
    today = timezone.localdate(now)
    hours = opening_hours_on(today)
    if hours is not None and now >= hours.closes:
        cutoff, after_hours = hours.closes, True
    else:
        midnight = local_midnight(today)
        cutoff, after_hours = midnight, hours is None or now < hours.opens
    return [visit for visit in visits if visit.checked_in_at < cutoff], after_hours


def floor_board(*, now: dt.datetime | None = None, with_left_open: bool = False, clinical: bool = True) -> FloorBoard:
    """Everything the floor, injection and observation boards show; without ``clinical``, no recent-overdose
    flags (a wall display's board)."""
    now = now or timezone.now()
    facility = current_facility()
    due_soon = dt.timedelta(minutes=facility.due_soon_minutes) if facility else DEFAULT_DUE_SOON

    open_visits = Visit.objects.filter(ended_at__isnull=True)
    if clinical:
        open_visits = open_visits.annotate(flagged_recently=_flagged_recently(now))
    visits = list(open_visits.select_related("client", "substance").order_by("location_since", "checked_in_at", "pk"))
    at_risk, recent_emergencies = _clients_at_risk(visits, now) if clinical else (set(), [])
    checks = _checks_by_visit()
    _answer_flags(checks, visits, recent_emergencies)
    rows: dict[str, list[PersonRow]] = {
        Visit.Location.QUEUE: [],
        Visit.Location.INTERVIEW: [],
        Visit.Location.HEALTH: [],
    }
    for visit in visits:
        if visit.location in rows:
            rows[visit.location].append(PersonRow(visit=visit, at_risk=visit.client_id in at_risk))

    sessions = {
        session.booth_id: session
        for session in BoothSession.objects.filter(ended_at__isnull=True).select_related(
            "visit__client", "route", "substance", "booth__room"
        )
    }
    booths = list(booths_in_use(BOOTH_ROOM_KINDS))
    # A booth taken out of use while occupied still shows until its session ends.
    shown = {booth.pk for booth in booths}
    booths += [session.booth for booth_id, session in sessions.items() if booth_id not in shown]
    booth_cards = []
    for booth in booths:
        session = sessions.get(booth.pk)
        if session is None:
            booth_cards.append(BoothCard(booth=booth, session=None, status="free"))
            continue
        visit_checks = checks.get(session.visit_id, VisitChecks())
        booth_cards.append(
            BoothCard(
                booth=booth,
                session=session,
                status=session.get_status(now, due_soon),
                due_soon_at=session.due_soon_at(due_soon),
                checks=visit_checks,
                at_risk=session.visit.client_id in at_risk,
                check_due=_check_due(session, visit_checks, now),
            )
        )

    observations = []
    for observation in (
        Observation.objects.filter(ended_at__isnull=True)
        .select_related("visit__client", "booth_session__booth")
        .order_by("started_at", "pk")
    ):
        visit_checks = checks.get(observation.visit_id, VisitChecks())
        observations.append(
            ObservationCard(
                observation=observation,
                status=observation.get_status(now),
                checks=visit_checks,
                at_risk=observation.visit.client_id in at_risk,
                check_due=_check_due(observation, visit_checks, now),
            )
        )

    board = FloorBoard(
        now=now,
        due_soon=due_soon,
        queue=rows[Visit.Location.QUEUE],
        interview=rows[Visit.Location.INTERVIEW],
        health=rows[Visit.Location.HEALTH],
        booths=booth_cards,
        observations=observations,
        routes=list(enabled_routes()),
        substances=list(enabled_substances()),
        kit=list(enabled_equipment()),
        # Both change only with the live tables: read once per floor version (``kept_on_floor``).
        emergencies=page_open_emergencies(),
        stock_alerts=kept_on_floor("stock_alerts", stock_alerts),
        occupancy=occupancy(waiting=len(rows[Visit.Location.QUEUE]), observation=len(observations)),
    )
    if with_left_open:
        board.left_open, board.after_hours = _left_open(visits, now)
    return board

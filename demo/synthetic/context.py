"""What every part of the generator shares: the tables it writes, the facility's lists, who is on shift."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings

from counseling.models import CounselingSession, Intake, Referral, ReferralService, ReferralStatusChange, Topic
from duty.models import Handover, HandoverAcknowledgement, Shift, ShiftAssignment
from health.models import Emergency, HealthService, Intervention
from visits.models import (
    Ban,
    Booth,
    BoothSession,
    Client,
    Contact,
    EquipmentItem,
    HandOut,
    Incident,
    Observation,
    ObservationCheck,
    Refusal,
    Room,
    Route,
    StockMovement,
    Substance,
    Visit,
    VisitEvent,
)

from .writer import Table, Writer

LOCAL = ZoneInfo(settings.TIME_ZONE)


def _through(model, name: str):
    m2m = model._meta.get_field(name)
    return m2m.remote_field.through, ["id", m2m.m2m_column_name(), m2m.m2m_reverse_name()]


class Tables:
    """Every table the generator writes, declared parents first so that each flush keeps keys valid."""

    def __init__(self, writer: Writer):
        d = writer.declare
        self.client = d(
            Client,
            ["id", "code", "birth_year", "gender", "status", "registered_at", "registered_by_id", "deregistered_at"],
        )
        self.intake = d(
            Intake,
            [
                "id",
                "client_id",
                "at",
                "by_id",
                "is_adult",
                "long_term_heroin_dependence",
                "harmful_injection_practice",
                "consent_given",
                "house_rules_explained",
                "harm_reduction_advice_given",
                "outcome",
                "refusal_reason",
            ],
        )
        self.shift = d(Shift, ["id", "starts_at", "ends_at", "note", "created_at", "created_by_id"])
        self.assignment = d(ShiftAssignment, ["id", "shift_id", "user_id", "role", "is_duty_officer"])
        self.incident = d(
            Incident,
            [
                "id",
                "kind",
                "occurred_at",
                "area",
                "room_id",
                "other_party",
                "description",
                "action_taken",
                "police_called",
                "recorded_at",
                "recorded_by_id",
            ],
        )
        self.incident_clients = d(*_through(Incident, "clients"))
        self.incident_staff = d(*_through(Incident, "staff"))
        self.ban = d(
            Ban,
            [
                "id",
                "client_id",
                "reason",
                "starts_at",
                "ends_at",
                "created_at",
                "created_by_id",
                "lifted_at",
                "lifted_by_id",
                "lift_reason",
                "incident_id",
            ],
        )
        self.visit = d(
            Visit,
            [
                "id",
                "client_id",
                "checked_in_at",
                "checked_in_by_id",
                "location",
                "location_since",
                "ended_at",
                "ended_by_id",
                "duration_seconds",
                "substance_id",
                "dose",
                "last_use_at",
                "intoxication",
                "end_note",
                "first_booth_at",
            ],
        )
        self.other_substances = d(*_through(Visit, "other_substances"))
        self.session = d(
            BoothSession,
            [
                "id",
                "visit_id",
                "booth_id",
                "route_id",
                "substance_id",
                "started_at",
                "started_by_id",
                "time_limit_minutes",
                "check_interval_minutes",
                "ended_at",
                "ended_by_id",
                "outcome",
                "duration_seconds",
            ],
        )
        self.observation = d(
            Observation,
            [
                "id",
                "visit_id",
                "booth_session_id",
                "started_at",
                "started_by_id",
                "min_minutes",
                "check_interval_minutes",
                "ended_at",
                "released_by_id",
                "released_to",
                "early_release_reason",
                "duration_seconds",
            ],
        )
        self.check = d(
            ObservationCheck,
            ["id", "visit_id", "booth_session_id", "observation_id", "at", "by_id", "state", "note", "flagged"],
        )
        self.contact = d(Contact, ["id", "client_id", "gender", "equipment", "advice", "note", "at", "by_id"])
        self.hand_out = d(HandOut, ["id", "item_id", "quantity", "visit_id", "contact_id", "at", "by_id"])
        self.event = d(VisitEvent, ["id", "visit_id", "kind", "at", "by_id", "location", "note"])
        self.stock = d(StockMovement, ["id", "item_id", "kind", "quantity", "counted", "reason", "at", "by_id"])
        self.refusal = d(Refusal, ["id", "client_id", "at", "by_id", "reason", "substance_id", "note"])
        self.emergency = d(
            Emergency,
            [
                "id",
                "client_id",
                "visit_id",
                "kind",
                "place",
                "booth_id",
                "signs",
                "started_at",
                "started_by_id",
                "ambulance_called_at",
                "ambulance_arrived_at",
                "outcome",
                "ended_at",
                "ended_by_id",
                "duration_seconds",
                "notes",
            ],
        )
        self.emergency_staff = d(*_through(Emergency, "staff_involved"))
        self.intervention = d(Intervention, ["id", "emergency_id", "kind", "at", "by_id", "route", "dose_mg", "note"])
        self.health_service = d(
            HealthService,
            ["id", "client_id", "visit_id", "kind", "at", "by_id", "site", "severity", "condition", "accepted"],
        )
        self.counseling = d(
            CounselingSession,
            [
                "id",
                "client_id",
                "visit_id",
                "counselor_id",
                "started_at",
                "ended_at",
                "duration_seconds",
                "next_steps",
                "recorded_at",
            ],
        )
        self.counseling_topics = d(*_through(CounselingSession, "topics"))
        self.referral = d(
            Referral,
            [
                "id",
                "client_id",
                "service_id",
                "visit_id",
                "created_at",
                "created_by_id",
                "status",
                "status_changed_at",
                "follow_up_on",
            ],
        )
        self.referral_change = d(ReferralStatusChange, ["id", "referral_id", "from_status", "to_status", "at", "by_id"])
        self.handover = d(Handover, ["id", "shift_id", "written_at", "written_by_id", "open_visits", "other_notes"])
        self.handover_incidents = d(*_through(Handover, "incidents"))
        self.acknowledgement = d(HandoverAcknowledgement, ["id", "handover_id", "user_id", "acknowledged_at"])


@dataclass
class Facility:
    """The facility's lists as the generator uses them, read once from the settings in the database."""

    booths: list[tuple[int, str]]  # id and the label staff see ("Bås 3")
    routes: list[Route]
    substances: list[Substance]
    refused_substances: list[int]
    kit: list[tuple[int, int]]  # item id, quantity
    kit_note: str
    items: list[EquipmentItem]
    rooms: dict[str, int]
    topics: list[int]
    services: list[int]

    @classmethod
    def load(cls) -> Facility:
        booths = Booth.objects.filter(
            active=True, room__active=True, room__kind__in=[Room.Kind.INJECTION, Room.Kind.INHALATION]
        ).order_by("room__position", "position", "pk")
        items = list(EquipmentItem.objects.filter(enabled=True))
        kit = [(item.pk, item.default_kit_quantity) for item in items if item.default_kit_quantity]
        names = {item.pk: item.label for item in items}
        return cls(
            booths=[(booth.pk, str(booth)) for booth in booths],
            routes=list(Route.objects.filter(enabled=True)),
            substances=list(Substance.objects.filter(enabled=True)),
            refused_substances=list(Substance.objects.filter(enabled=False).values_list("pk", flat=True)),
            kit=kit,
            kit_note=", ".join(f"{quantity} × {names[pk]}" for pk, quantity in kit)[:500],
            items=items,
            rooms=dict(Room.objects.values_list("kind", "pk")),
            topics=list(Topic.objects.filter(enabled=True).values_list("pk", flat=True)),
            services=list(ReferralService.objects.filter(enabled=True).values_list("pk", flat=True)),
        )


@dataclass
class Roster:
    """Who works the day's two shifts, by role: early until the shift change, late after it."""

    change: int
    early: dict[str, list[int]] = field(default_factory=dict)
    late: dict[str, list[int]] = field(default_factory=dict)


class Context:
    def __init__(self, rng: random.Random, writer: Writer, facility: Facility, staff: dict[str, list[int]], end: int):
        self.rng = rng
        self.writer = writer
        self.t = Tables(writer)
        self.facility = facility
        self.staff = staff
        self.end = end  # the history stops here: nothing after it is written
        self.roster = Roster(change=0)
        self.stock_used: dict[int, int] = {}  # items handed out today, for the day's deliveries
        self.open_referrals: set[tuple[int, int]] = set()  # (client, service) with a referral still open
        self.day_incidents: list[int] = []
        self.visits_written = 0

    def add(self, table: Table, row: tuple) -> None:
        self.writer.add(table, row)

    def by(self, role: str, at: int) -> int:
        """A member of staff in ``role`` on shift at ``at``; anyone in the role when none is rostered."""
        shift = self.roster.early if at < self.roster.change else self.roster.late
        people = shift.get(role) or self.staff[role]
        return people[0] if len(people) == 1 else self.rng.choice(people)


def local_date(seconds: int) -> dt.date:
    return dt.datetime.fromtimestamp(seconds, LOCAL).date()

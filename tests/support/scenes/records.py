"""Every kind of record that names a client, planted with a marker in every free-text field.

Three clients (one in observation with an emergency under way, one banned, one in a booth) get every
kind of record that names a client (found by walking the models, not listed by hand), and every
free-text field of every such record holds its own marker (``Qz0001x`` ...), its client and field noted
in the ``Seed``. ``Seed.rows`` holds the rows made of each model: ``tests.support.urls.urls_to_open``
fills the path parameters of every page with them.

The access-log invariant (tests/security) plants them at ``NOON`` and looks for the markers in every page;
the accessibility test (tests/browser) plants them at the real moment, for pages with records on them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import models

from audit.models import AccessLogEntry
from counseling.models import (
    CounselingSession,
    Intake,
    Referral,
    ReferralFollowUpChange,
    ReferralService,
    ReferralStatusChange,
)
from duty.models import Handover, HandoverAcknowledgement, Shift
from health.models import Emergency, EmergencyResponder, HealthService, Intervention, VitalSigns
from staff.models import User
from tests.support.factories import heroin
from tests.support.time import NOON
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
    Route,
    Visit,
    VisitEvent,
)

# Text fields that are codes, not free text: the client's code is what a board may show.
NOT_FREE_TEXT = {"visits.Client.code", "visits.Visit.overridden_rules"}


def _is_history_copy(model: type[models.Model]) -> bool:
    return model._meta.model_name.startswith("historical") or model._meta.auto_created


def client_linked_models() -> set[type[models.Model]]:
    """Every model whose rows name a client: by a key to the client, or to a record that does."""
    linked: set[type[models.Model]] = {Client}
    candidates = [m for m in apps.get_models() if not _is_history_copy(m) and m is not AccessLogEntry]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in linked:
                continue
            relations = [f for f in model._meta.get_fields() if f.is_relation and not f.auto_created]
            if any(f.related_model in linked for f in relations if f.many_to_one or f.one_to_one or f.many_to_many):
                linked.add(model)
                grew = True
    return linked


def free_text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.EmailField)
        and f"{model._meta.label}.{f.name}" not in NOT_FREE_TEXT
    ]


@dataclass
class Seed:
    """What was planted: each marker's client and field, and the rows made of each model."""

    markers: dict[str, tuple[Client, str]] = field(default_factory=dict)
    # Structured details (a list entry's name) and their client: they count next to the client's code.
    details: dict[str, tuple[Client, str]] = field(default_factory=dict)
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    # The moment the records are planted around: their times are this, hours, days or weeks before or after.
    noon: dt.datetime = NOON

    def make(self, model: type[models.Model], owner: Client, **values):
        """A row of ``model`` with a fresh marker in every free-text field not given."""
        for f in free_text_fields(model):
            if f.name not in values:
                marker = f"Qz{next(self.counter):04d}x"
                self.markers[marker] = (owner, f"{model._meta.label}.{f.name}")
                values[f.name] = marker
        row = model.objects.create(**values)
        self.rows[model].append(row)
        return row

    def detail(self, owner: Client, where: str) -> str:
        marker = f"Qd{next(self.counter):04d}x"
        self.details[marker] = (owner, where)
        return marker

    def client(self, code: str, by: User) -> Client:
        person = Client.objects.create(
            code=code,
            birth_year=int(code[-5:-1]),
            gender=code[-1],
            registered_at=self.noon - dt.timedelta(days=60),
            registered_by=by,
            status=Client.Status.ACTIVE,
        )
        self.rows[Client].append(person)
        return person


def _visit_with_rooms(seed: Seed, person: Client, cast, *, at: dt.datetime, booth: Booth, where: str) -> Visit:
    """A visit through a booth to observation: still in the booth or in observation, or gone."""
    health = cast["health"]
    gone = where == Visit.Location.GONE
    ended = at + dt.timedelta(hours=1) if gone else None
    visit = seed.make(
        Visit,
        person,
        client=person,
        checked_in_at=at,
        checked_in_by=cast["reception"],
        location=where,
        location_since=at + dt.timedelta(minutes=25),
        ended_at=ended,
        ended_by=health if gone else None,
        duration_seconds=3600 if gone else None,
        substance=heroin(),
        override_by=cast["duty"],
    )
    seed.make(
        VisitEvent,
        person,
        visit=visit,
        kind=VisitEvent.Kind.CHECKED_IN,
        at=at,
        by=cast["reception"],
        location=Visit.Location.QUEUE,
    )
    in_booth = where == Visit.Location.BOOTH
    session = seed.make(
        BoothSession,
        person,
        visit=visit,
        booth=booth,
        route=Route.objects.get(name_en="Injection"),
        substance=heroin(),
        started_at=at + dt.timedelta(minutes=5),
        started_by=health,
        time_limit_minutes=30,
        ended_at=None if in_booth else at + dt.timedelta(minutes=25),
        ended_by=None if in_booth else health,
        outcome="" if in_booth else BoothSession.Outcome.OBSERVATION,
        duration_seconds=None if in_booth else 1200,
    )
    seed.make(HandOut, person, visit=visit, item=EquipmentItem.objects.first(), quantity=2, at=at, by=health)
    if in_booth:
        seed.make(
            ObservationCheck,
            person,
            visit=visit,
            booth_session=session,
            at=at + dt.timedelta(minutes=10),
            by=health,
            state=ObservationCheck.State.ALERT,
        )
        return visit
    observation = seed.make(
        Observation,
        person,
        visit=visit,
        booth_session=session,
        started_at=at + dt.timedelta(minutes=25),
        started_by=health,
        min_minutes=15,
        ended_at=ended,
        released_by=health if gone else None,
        released_to=Visit.Location.GONE if gone else "",
        duration_seconds=35 * 60 if gone else None,
    )
    seed.make(
        ObservationCheck,
        person,
        visit=visit,
        observation=observation,
        at=at + dt.timedelta(minutes=30),
        by=health,
        state=ObservationCheck.State.DROWSY,
    )
    return visit


def _emergency(seed: Seed, person: Client, cast, *, visit: Visit, at: dt.datetime, open_: bool) -> Emergency:
    health = cast["health"]
    emergency = seed.make(
        Emergency,
        person,
        client=person,
        visit=visit,
        kind=Emergency.Kind.OPIOID_OVERDOSE,
        place=Emergency.Place.OBSERVATION,
        started_at=at,
        started_by=health,
        ended_at=None if open_ else at + dt.timedelta(minutes=20),
        ended_by=None if open_ else health,
        outcome="" if open_ else Emergency.Outcome.RECOVERED,
        duration_seconds=None if open_ else 20 * 60,
        ambulance_called_at=at + dt.timedelta(minutes=2),
    )
    seed.make(EmergencyResponder, person, emergency=emergency, by=cast["duty"], at=at)
    seed.make(
        Intervention,
        person,
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=at,
        by=health,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal("1.8"),
        withdrawn_reason="",
    )
    seed.make(
        Intervention,
        person,
        emergency=emergency,
        kind=Intervention.Kind.OXYGEN,
        at=at,
        by=health,
        route="",
        withdrawn_at=at + dt.timedelta(minutes=1),
        withdrawn_by=health,
    )
    seed.make(
        VitalSigns,
        person,
        emergency=emergency,
        at=at,
        by=health,
        pulse=58,
        breathing_rate=6,
        consciousness=VitalSigns.Consciousness.PAIN,
        withdrawn_reason="",
    )
    seed.make(
        VitalSigns,
        person,
        emergency=emergency,
        at=at,
        by=health,
        oxygen_saturation=91,
        consciousness="",
        withdrawn_at=at + dt.timedelta(minutes=1),
        withdrawn_by=health,
    )
    return emergency


def _counseling(seed: Seed, person: Client, cast, *, at: dt.datetime, accepted: bool):
    counselor = cast["counselor"]
    # A service of the client's own, its name a structured marker; no longer offered for new referrals.
    name = seed.detail(person, "counseling.Referral.service")
    service = ReferralService.objects.create(name=name, name_en=name, enabled=False)
    seed.make(
        Intake,
        person,
        client=person,
        at=person.registered_at,
        by=counselor,
        is_adult=True,
        long_term_heroin_dependence=True,
        harmful_injection_practice=True,
        consent_given=True,
        house_rules_explained=True,
        harm_reduction_advice_given=True,
        outcome=Intake.Outcome.ACCEPTED if accepted else Intake.Outcome.REFUSED,
        **({"refusal_reason": ""} if accepted else {}),
    )
    seed.make(
        CounselingSession,
        person,
        client=person,
        counselor=counselor,
        started_at=at,
        ended_at=at + dt.timedelta(minutes=45),
        duration_seconds=45 * 60,
        recorded_at=at + dt.timedelta(hours=1),
    )
    referral = seed.make(
        Referral,
        person,
        client=person,
        service=service,
        created_at=at,
        created_by=counselor,
        status=Referral.Status.SENT,
        status_changed_at=at,
        follow_up_on=seed.noon.date(),
    )
    seed.make(
        ReferralStatusChange,
        person,
        referral=referral,
        from_status=Referral.Status.PROPOSED,
        to_status=Referral.Status.SENT,
        at=at,
        by=counselor,
    )
    seed.make(ReferralFollowUpChange, person, referral=referral, to_date=seed.noon.date(), at=at, by=counselor)


def plant_records(cast: dict[str, User], *, noon: dt.datetime = NOON) -> Seed:
    """Clients with every kind of record: one in observation with an emergency under way, one banned,
    one in a booth (booths 1 to 3, in position order), around ``noon``."""
    seed = Seed(noon=noon)
    reception, health, duty = cast["reception"], cast["health"], cast["duty"]
    inside, banned = seed.client("MAKO1990K", reception), seed.client("BEKA1985M", reception)
    booths = list(Booth.objects.order_by("position"))
    earlier = noon - dt.timedelta(hours=2)
    yesterday = noon - dt.timedelta(days=1)

    in_booth = seed.client("BOTA1992K", reception)
    visit = _visit_with_rooms(seed, inside, cast, at=earlier, booth=booths[0], where=Visit.Location.OBSERVATION)
    old_visit = _visit_with_rooms(seed, banned, cast, at=yesterday, booth=booths[1], where=Visit.Location.GONE)
    _visit_with_rooms(
        seed, in_booth, cast, at=noon - dt.timedelta(minutes=10), booth=booths[2], where=Visit.Location.BOOTH
    )
    _emergency(seed, inside, cast, visit=visit, at=earlier + dt.timedelta(minutes=40), open_=True)
    _emergency(seed, banned, cast, visit=old_visit, at=yesterday + dt.timedelta(minutes=30), open_=False)
    for person, accepted in ((inside, True), (banned, False)):
        _counseling(seed, person, cast, at=earlier - dt.timedelta(hours=1), accepted=accepted)
        seed.make(
            HealthService,
            person,
            client=person,
            kind=HealthService.Kind.WOUND_CARE,
            at=earlier,
            by=health,
            severity=HealthService.Severity.MODERATE,
            condition="",
        )
        seed.make(Refusal, person, client=person, at=yesterday, by=reception, reason=Refusal.Reason.TOO_INTOXICATED)
        # The client's gender copied onto the contact, as contact_record does.
        seed.make(Contact, person, client=person, gender=person.gender, at=earlier, by=reception, equipment=True)
    seed.make(
        Ban,
        inside,
        client=inside,
        starts_at=noon - dt.timedelta(days=30),
        ends_at=noon - dt.timedelta(days=23),
        created_at=noon - dt.timedelta(days=30),
        created_by=duty,
        lifted_at=noon - dt.timedelta(days=25),
        lifted_by=duty,
    )
    incident = seed.make(
        Incident,
        banned,
        kind=Incident.Kind.THREATS,
        occurred_at=earlier,
        area=Incident.Area.OUTSIDE,
        room=None,
        recorded_at=earlier,
        recorded_by=duty,
    )
    incident.clients.set([banned])
    seed.make(
        Ban,
        banned,
        client=banned,
        starts_at=yesterday,
        ends_at=noon + dt.timedelta(days=6),
        created_at=yesterday,
        created_by=duty,
        lift_reason="",
        incident=incident,
    )
    # The shift names no client: a plain row, no markers.
    shift = Shift.objects.create(
        starts_at=yesterday,
        ends_at=yesterday + dt.timedelta(hours=8),
        created_at=yesterday,
        created_by=cast["coordinator"],
    )
    seed.rows[Shift].append(shift)
    handover = seed.make(
        Handover,
        banned,
        shift=shift,
        written_at=earlier,
        written_by=duty,
        open_visits=[{"code": inside.code, "location": Visit.Location.OBSERVATION}],
    )
    handover.clients_of_concern.set([banned])
    handover.incidents.set([incident])
    seed.make(HandoverAcknowledgement, banned, handover=handover, user=cast["coordinator"], acknowledged_at=noon)
    return seed

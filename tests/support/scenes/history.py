"""A client with a full record: registered in January, banned in February, in for a visit with an overdose
in March, then a counseling session and a referral. Read on ``READ_AT``, forty days after the session.

The ``history`` fixture (tests/conftest.py) builds it; the timeline, object-rule, security and browser
tests read it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import time_machine

from counseling.models import CounselingSession, Intake, Referral
from counseling.services import referral_create, referral_set_status
from health.models import Emergency, HealthService, Intervention
from staff.models import User
from tests.support.factories import closed_visit, make_client, service, topic
from tests.support.time import NOON, oslo
from visits.models import Ban, Client, Refusal

JAN_5 = oslo(dt.date(2026, 1, 5), 10)
FEB_14 = oslo(dt.date(2026, 2, 14), 16)
MAR_9 = oslo(dt.date(2026, 3, 9), 14)
MAR_10 = oslo(dt.date(2026, 3, 10), 10)


SESSION_NOTES = "Talked about the death of a friend"
INTAKE_NOTES = "Injecting in the groin for two years"
# The day the tests look at the history: after all of it, the session's month still in reach.
READ_AT = NOON + dt.timedelta(days=40)


def build_history(cast: dict[str, User]) -> Client:
    """A client registered in January, banned in February, in for a visit with an overdose in March."""
    reception, counselor, health = cast["reception"], cast["counselor"], cast["health"]
    person = make_client(by=reception, at=JAN_5, status=Client.Status.ACTIVE)
    Intake.objects.create(
        client=person,
        at=JAN_5 + dt.timedelta(minutes=30),
        by=counselor,
        is_adult=True,
        long_term_heroin_dependence=True,
        harmful_injection_practice=True,
        consent_given=True,
        house_rules_explained=True,
        harm_reduction_advice_given=True,
        outcome=Intake.Outcome.ACCEPTED,
        notes=INTAKE_NOTES,
    )
    Ban.objects.create(
        client=person,
        reason="Threatened staff",
        starts_at=FEB_14,
        ends_at=FEB_14 + dt.timedelta(days=7),
        created_at=FEB_14,
        created_by=cast["duty"],
    )
    Refusal.objects.create(client=person, at=FEB_14 - dt.timedelta(hours=1), by=reception, reason="intoxicated")
    visit = closed_visit(person, by=health, at=MAR_9)
    emergency = Emergency.objects.create(
        client=person,
        visit=visit,
        kind=Emergency.Kind.OPIOID_OVERDOSE,
        place=Emergency.Place.OBSERVATION,
        started_at=MAR_9 + dt.timedelta(minutes=31),
        started_by=health,
        ended_at=MAR_9 + dt.timedelta(minutes=50),
        ended_by=health,
        outcome=Emergency.Outcome.RECOVERED,
        duration_seconds=19 * 60,
    )
    Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=MAR_9 + dt.timedelta(minutes=32),
        by=health,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal("1.8"),
    )
    HealthService.objects.create(
        client=person, kind=HealthService.Kind.WOUND_CARE, at=MAR_9 + dt.timedelta(hours=2), by=health, site="forearm"
    )
    session = CounselingSession.objects.create(
        client=person,
        counselor=counselor,
        started_at=MAR_10,
        ended_at=MAR_10 + dt.timedelta(minutes=45),
        duration_seconds=45 * 60,
        notes=SESSION_NOTES,
        next_steps="Meet again on Friday",
        recorded_at=MAR_10 + dt.timedelta(hours=1),
    )
    session.topics.set([topic("Health"), topic("Family")])
    with time_machine.travel(MAR_10 + dt.timedelta(hours=2), tick=False):
        referral = referral_create(client=person, service=service(), by=counselor, note="Benefits appointment")
        referral_set_status(referral=referral, to_status=Referral.Status.SENT, by=counselor)
    return person

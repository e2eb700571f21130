"""Records made directly, at given moments: clients, visits, bans and refusals (factory_boy), closed visits
with their rooms and timers, shifts, minimums and incidents (through the services), referral services.

Times are Oslo times (tests.support.time); the tests travel to them with time_machine so that opening
hours decide as they would on the day. Past visits for history-length tests are made with
``past_visits`` (bulk_create). Clients on the floor, made through the services, are in tests.support.rooms.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from counseling.models import ReferralService, Topic
from duty.models import Shift, StaffingMinimum
from duty.services.roster import shift_create
from staff.models import User
from staff.roles import Role
from tests.support.cast import PASSWORD
from tests.support.time import NOON, oslo
from visits import codes
from visits.models import (
    Ban,
    Booth,
    BoothSession,
    Client,
    Incident,
    Observation,
    ObservationCheck,
    Refusal,
    Route,
    Substance,
    Visit,
)
from visits.services.incidents import incident_record

# Settings the default configuration makes ----------------------------------------------------------


def heroin() -> Substance:
    """The one substance the default settings allow."""
    return Substance.objects.get(name="Heroin")


def not_allowed_substance() -> Substance:
    return Substance.objects.filter(enabled=False).first()


def injection() -> Route:
    return Route.objects.filter(enabled=True).first()


def booth(label: str) -> Booth:
    return Booth.objects.get(label=label)


def service(name_en: str = "NAV (labour and welfare)") -> ReferralService:
    return ReferralService.objects.get(name_en=name_en)


def topic(name_en: str) -> Topic:
    return Topic.objects.get(name_en=name_en)


# Clients and visits --------------------------------------------------------------------------------


def _letters(n: int) -> str:
    """Letters only, distinct for each n: 0 -> "BAA", 1 -> "BAB" ..."""
    n += 26 * 26
    letters = ""
    while n:
        n, rest = divmod(n, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    password = factory.django.Password(PASSWORD)


class ClientFactory(DjangoModelFactory):
    """An active client (intake done) unless ``status`` says otherwise."""

    class Meta:
        model = Client
        django_get_or_create = ("code",)

    class Params:
        letters = factory.Sequence(_letters)

    birth_year = 1985
    gender = Client.Gender.MAN
    code = factory.LazyAttribute(lambda o: codes.build(o.letters, o.birth_year, o.gender))
    status = Client.Status.ACTIVE
    registered_at = factory.LazyFunction(timezone.now)
    registered_by = factory.SubFactory(UserFactory)


class VisitFactory(DjangoModelFactory):
    """An open visit, the client waiting in the queue, unless ``ended_at`` is given."""

    class Meta:
        model = Visit

    client = factory.SubFactory(ClientFactory)
    checked_in_at = factory.LazyFunction(timezone.now)
    checked_in_by = factory.SubFactory(UserFactory)
    location = Visit.Location.QUEUE
    location_since = factory.LazyAttribute(lambda o: o.checked_in_at)
    substance = factory.LazyFunction(heroin)


class BanFactory(DjangoModelFactory):
    """A ban in force from an hour ago for a week."""

    class Meta:
        model = Ban

    client = factory.SubFactory(ClientFactory)
    reason = "Dealing in the waiting room"
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(days=7))
    created_at = factory.LazyAttribute(lambda o: o.starts_at)
    created_by = factory.SubFactory(UserFactory)


class RefusalFactory(DjangoModelFactory):
    class Meta:
        model = Refusal

    client = factory.SubFactory(ClientFactory)
    at = factory.LazyFunction(timezone.now)
    by = factory.SubFactory(UserFactory)
    reason = Refusal.Reason.TOO_INTOXICATED


def past_visits(client: Client, count: int, *, by: User, before: dt.datetime) -> list[Visit]:
    """``count`` closed visits, one a day going back from the day before ``before``."""
    substance = heroin()
    visits = []
    for n in range(1, count + 1):
        start = before - dt.timedelta(days=n)
        visits.append(
            Visit(
                client=client,
                checked_in_at=start,
                checked_in_by=by,
                location=Visit.Location.GONE,
                location_since=start + dt.timedelta(minutes=40),
                ended_at=start + dt.timedelta(minutes=40),
                ended_by=by,
                duration_seconds=40 * 60,
                substance=substance,
            )
        )
    return Visit.objects.bulk_create(visits)


def make_client(code: str = "MAKO1990K", *, by: User, at: dt.datetime = NOON, status=Client.Status.ACTIVE) -> Client:
    """A client registered with ``code`` at ``at``; birth year and gender are read off the code."""
    return Client.objects.create(
        code=code, birth_year=int(code[-5:-1]), gender=code[-1], status=status, registered_at=at, registered_by=by
    )


def registered_client(letters: str = "MAKO", birth_year: int = 1993, gender: str = "K", *, by: User) -> Client:
    """An active client registered now."""
    return make_client(codes.build(letters, birth_year, gender), by=by, at=timezone.now())


def open_visit(who: Client, *, at: dt.datetime, by: User) -> Visit:
    """A visit checked in at ``at``, waiting in the queue."""
    return Visit.objects.create(client=who, checked_in_at=at, checked_in_by=by, location_since=at, substance=heroin())


def closed_visit(client: Client, *, by: User, at: dt.datetime, minutes: int = 60) -> Visit:
    """A visit from ``at``: queue, a booth session of 20 minutes, observation of 20, then out."""
    visit = Visit.objects.create(
        client=client,
        checked_in_at=at,
        checked_in_by=by,
        location=Visit.Location.GONE,
        location_since=at + dt.timedelta(minutes=minutes),
        ended_at=at + dt.timedelta(minutes=minutes),
        ended_by=by,
        duration_seconds=minutes * 60,
        substance=heroin(),
        dose="0.2 g",
    )
    session = BoothSession.objects.create(
        visit=visit,
        booth=Booth.objects.order_by("position").first(),
        route=Route.objects.get(name_en="Injection"),
        substance=heroin(),
        started_at=at + dt.timedelta(minutes=5),
        started_by=by,
        time_limit_minutes=30,
        ended_at=at + dt.timedelta(minutes=25),
        ended_by=by,
        outcome=BoothSession.Outcome.OBSERVATION,
        duration_seconds=20 * 60,
    )
    observation = Observation.objects.create(
        visit=visit,
        booth_session=session,
        started_at=at + dt.timedelta(minutes=25),
        started_by=by,
        min_minutes=15,
        ended_at=at + dt.timedelta(minutes=45),
        released_by=by,
        released_to=Visit.Location.GONE,
        duration_seconds=20 * 60,
    )
    ObservationCheck.objects.create(
        visit=visit,
        observation=observation,
        at=at + dt.timedelta(minutes=30),
        by=by,
        state=ObservationCheck.State.HARD_TO_ROUSE,
        flagged=True,
        note="Slow breathing",
    )
    return visit


# The roster and incidents, through the services -----------------------------------------------------


def shift(
    start: dt.datetime,
    end: dt.datetime,
    *,
    duty: User,
    members: list[tuple[User, str]] | None = None,
    by: User | None = None,
) -> Shift:
    return shift_create(starts_at=start, ends_at=end, duty_officer=duty, members=members or [], by=by or duty)


def minimum(role: Role, count: int, **kwargs) -> StaffingMinimum:
    return StaffingMinimum.objects.create(role=role, count=count, **kwargs)


def incident(*, by: User, clients=(), staff=(), other_party: str = "", at: dt.datetime | None = None, **kwargs):
    values = {
        "kind": Incident.Kind.THREATS,
        "occurred_at": at or oslo(hour=11),
        "area": Incident.Area.ENTRANCE,
        "room": None,
        "description": "Threatened another client in the queue",
        "action_taken": "Talked him down; asked him to leave for the day",
    }
    values.update(kwargs)
    return incident_record(clients=list(clients), staff=list(staff), other_party=other_party, by=by, **values)

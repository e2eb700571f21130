"""Factories for the reception's records: clients, visits, bans and refusals, and the moments they happen.

Times are Oslo times; the tests travel to them with time_machine so that opening hours decide as they
would on the day. Past visits for history-length tests are made with ``past_visits`` (bulk_create).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from staff.models import User
from tests.conftest import PASSWORD
from visits import codes
from visits.models import Ban, Client, Refusal, Substance, Visit

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday in an ordinary week: open 08:00-21:30 with the default hours, last admission 21:00.
TUESDAY = dt.date(2026, 3, 10)


def oslo(day: dt.date = TUESDAY, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


NOON = oslo()


def heroin() -> Substance:
    """The one substance the default settings allow."""
    return Substance.objects.get(name="Heroin")


def not_allowed_substance() -> Substance:
    return Substance.objects.filter(enabled=False).first()


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

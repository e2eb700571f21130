"""The visit's first booth session start, kept by the database from the sessions whatever writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.factories import booth, heroin, injection
from tests.support.migrations import migrated_back
from tests.support.rooms import checked_in, in_booth
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Visit
from visits.services.rooms import booth_assign

MINUTE = dt.timedelta(minutes=1)


def first_booth_at(visit: Visit) -> dt.datetime | None:
    return Visit.objects.values_list("first_booth_at", flat=True).get(pk=visit.pk)


@pytest.mark.django_db
def test_a_visit_without_a_session_has_none(cast):
    assert first_booth_at(checked_in("MAKO1990K", cast["reception"])) is None


@pytest.mark.django_db
def test_assigning_a_booth_keeps_when_the_first_session_started(cast):
    session = in_booth("MAKO1990K", cast["health"], now=NOON + 12 * MINUTE)

    assert first_booth_at(session.visit) == NOON + 12 * MINUTE


@pytest.mark.django_db
def test_a_visit_read_before_its_session_started_does_not_clear_it_when_saved(cast):
    visit = checked_in("MAKO1990K", cast["reception"])
    stale = Visit.objects.get(pk=visit.pk)
    booth_assign(visit=visit, booth=booth("1"), route=injection(), substance=heroin(), by=cast["health"], now=NOON)

    stale.end_note = "Changed after the session started"
    stale.save()

    assert first_booth_at(visit) == NOON
    assert Visit.objects.get(pk=visit.pk).end_note == "Changed after the session started"


@pytest.mark.django_db
def test_corrections_and_removals_of_sessions_follow(cast):
    session = in_booth("MAKO1990K", cast["health"], now=NOON)
    visit = session.visit
    later = BoothSession.objects.create(
        visit=visit,
        booth=booth("2"),
        route=injection(),
        substance=heroin(),
        started_at=NOON + 40 * MINUTE,
        started_by=cast["health"],
        time_limit_minutes=30,
        ended_at=NOON + 60 * MINUTE,
        outcome=BoothSession.Outcome.LEFT,
    )
    assert first_booth_at(visit) == NOON

    BoothSession.objects.filter(pk=session.pk).update(started_at=NOON + 50 * MINUTE)
    assert first_booth_at(visit) == NOON + 40 * MINUTE

    other = checked_in("KARI1985K", cast["reception"])
    BoothSession.objects.filter(pk=later.pk).update(visit=other)
    assert (first_booth_at(visit), first_booth_at(other)) == (NOON + 50 * MINUTE, NOON + 40 * MINUTE)

    BoothSession.objects.filter(pk=session.pk).delete()
    assert first_booth_at(visit) is None


def test_the_upgrade_fills_in_the_visits_already_there(transactional_db):
    with migrated_back([("visits", "0019_contact_client_at")]) as old:
        user = old.get_model("staff", "User").objects.create(username="health")
        client = old.get_model("visits", "Client").objects.create(
            code="MAKO1990K", birth_year=1990, gender="K", registered_at=NOON, registered_by=user
        )
        substance = old.get_model("visits", "Substance").objects.create(name="Heroin", name_en="Heroin")
        route = old.get_model("visits", "Route").objects.create(name="Injeksjon", name_en="Injection")
        room = old.get_model("visits", "Room").objects.create(name="Sprøyterom", name_en="Injection room")
        place = old.get_model("visits", "Booth").objects.create(room=room, label="1")
        OldVisit = old.get_model("visits", "Visit")
        OldSession = old.get_model("visits", "BoothSession")
        with_sessions, without = (
            OldVisit.objects.create(
                client=client,
                checked_in_at=NOON,
                checked_in_by=user,
                location="gone",
                location_since=NOON,
                ended_at=NOON + 90 * MINUTE,
                substance=substance,
            )
            for _ in range(2)
        )
        for minutes in (30, 10):
            OldSession.objects.create(
                visit=with_sessions,
                booth=place,
                route=route,
                substance=substance,
                started_at=NOON + minutes * MINUTE,
                started_by=user,
                time_limit_minutes=30,
                ended_at=NOON + (minutes + 15) * MINUTE,
                outcome="left",
            )

    assert first_booth_at(with_sessions) == NOON + 10 * MINUTE
    assert first_booth_at(without) is None

"""Clients brought onto the floor through the services, as the stations do: checked in, in a booth, in
observation. By default at ``NOON_2024``, the moment the room and floor tests were written for.
"""

from __future__ import annotations

import datetime as dt

from staff.models import User
from tests.support.factories import booth, heroin, injection
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Client, Observation, Visit
from visits.services.checkin import visit_check_in
from visits.services.rooms import booth_assign, booth_end


def client(code: str, by: User) -> Client:
    return Client.objects.create(
        code=code,
        birth_year=1985,
        gender=Client.Gender.MAN,
        status=Client.Status.ACTIVE,
        registered_at=NOON - dt.timedelta(days=30),
        registered_by=by,
    )


def checked_in(code: str, by: User, *, now: dt.datetime = NOON) -> Visit:
    return visit_check_in(client=client(code, by), by=by, substance=heroin(), now=now)


def in_booth(code: str, by: User, *, label: str = "1", now: dt.datetime = NOON) -> BoothSession:
    visit = checked_in(code, by, now=now)
    return booth_assign(visit=visit, booth=booth(label), route=injection(), substance=heroin(), by=by, now=now)


def in_observation(code: str, by: User, *, label: str = "1", now: dt.datetime = NOON) -> Observation:
    session = in_booth(code, by, label=label, now=now)
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=by, now=now + dt.timedelta(minutes=10))
    return Observation.objects.get(visit=session.visit, ended_at__isnull=True)

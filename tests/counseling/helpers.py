"""Records the interview room's tests build on: clients, visits with rooms and timers, referrals.

Built with the ORM directly, at given moments, so that the tests say when things happened.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

from counseling.models import ReferralService, Topic
from staff.models import User
from tests.visits.rooms_helpers import race  # noqa: F401  the race tests of counseling run the same way
from visits.models import Booth, BoothSession, Client, Observation, ObservationCheck, Route, Substance, Visit

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday in an ordinary week, as the reception tests use.
TUESDAY = dt.date(2026, 3, 10)


def oslo(day: dt.date = TUESDAY, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


NOON = oslo()


def text_of(html: bytes | str) -> str:
    """The page's visible text with whitespace collapsed, as a person reads it."""
    if isinstance(html, bytes):
        html = html.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def service(name_en: str = "NAV (labour and welfare)") -> ReferralService:
    return ReferralService.objects.get(name_en=name_en)


def topic(name_en: str) -> Topic:
    return Topic.objects.get(name_en=name_en)


def make_client(code: str = "MAKO1990K", *, by: User, at: dt.datetime = NOON, status=Client.Status.ACTIVE) -> Client:
    return Client.objects.create(
        code=code, birth_year=int(code[-5:-1]), gender=code[-1], status=status, registered_at=at, registered_by=by
    )


def heroin() -> Substance:
    return Substance.objects.get(name="Heroin")


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

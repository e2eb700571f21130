"""Shifts, minimums, handovers and incidents for the staff tests, made through the services.

The tests happen on an ordinary Tuesday (Oslo), open 08:00-21:30 with the default hours.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

from django.utils import timezone

from duty.models import Shift, StaffingMinimum
from duty.services.roster import shift_create
from staff.models import User
from staff.roles import Role
from tests.conftest import make_user
from visits import codes
from visits.models import Client, Incident, Substance, Visit
from visits.services.incidents import incident_record

OSLO = ZoneInfo("Europe/Oslo")
TUESDAY = dt.date(2026, 3, 10)
MONDAY = TUESDAY - dt.timedelta(days=1)


def oslo(day: dt.date = TUESDAY, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


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


def second_duty_officer(name: str = "kari") -> User:
    return make_user(name, Role.DUTY)


def health_worker(name: str) -> User:
    return make_user(name, Role.HEALTH)


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


def registered_client(letters: str = "MAKO", birth_year: int = 1993, gender: str = "K", *, by: User) -> Client:
    return Client.objects.create(
        code=codes.build(letters, birth_year, gender),
        birth_year=birth_year,
        gender=gender,
        status=Client.Status.ACTIVE,
        registered_at=timezone.now(),
        registered_by=by,
    )


def open_visit(who: Client, *, at: dt.datetime, by: User) -> Visit:
    return Visit.objects.create(
        client=who,
        checked_in_at=at,
        checked_in_by=by,
        location_since=at,
        substance=Substance.objects.get(name="Heroin"),
    )


class _Text(HTMLParser):
    """The visible text of a page, or of the elements marked ``data-testid``."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, testid: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.testid, self.depth, self.skip = testid, 0, 0
        self.parts: list[str] = []
        self.found: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
        elif self.testid is not None and dict(attrs).get("data-testid") == self.testid:
            self.depth = 1
            self.found.append([])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag not in self.VOID and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.skip:
            return
        if self.testid is None:
            self.parts.append(data)
        elif self.depth:
            self.found[-1].append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_text(html: str) -> str:
    """The page's text as a person reads it, whitespace squashed."""
    parser = _Text()
    parser.feed(html)
    return _squash(" ".join(parser.parts))


def marked_text_all(html: str, testid: str) -> str:
    """The text of every element marked ``data-testid=testid``, joined by " | "; empty when there is none."""
    parser = _Text(testid)
    parser.feed(html)
    return " | ".join(_squash(" ".join(parts)) for parts in parser.found)

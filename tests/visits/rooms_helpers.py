"""Shared steps for the room and floor tests: clients checked in, booths taken, races run."""

from __future__ import annotations

import datetime as dt
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.db import connection, connections

from staff.models import User
from tests.helpers import nb
from visits.models import Booth, BoothSession, Client, Observation, Route, Substance, Visit
from visits.services.checkin import visit_check_in
from visits.services.rooms import booth_assign, booth_end

OSLO = ZoneInfo("Europe/Oslo")
# A Tuesday at noon: the facility is open and admitting.
NOON = dt.datetime(2024, 3, 5, 12, 0, tzinfo=OSLO)


def heroin() -> Substance:
    return Substance.objects.filter(enabled=True).first()


def injection() -> Route:
    return Route.objects.filter(enabled=True).first()


def booth(label: str) -> Booth:
    return Booth.objects.get(label=label)


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


def race(*actions: Callable[[], object]) -> list[object]:
    """Run the actions at the same moment, each in its own thread and database connection.

    Returns what each returned, or the exception it raised.
    """
    barrier = threading.Barrier(len(actions))
    results: list[object] = [None] * len(actions)

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test looks at what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@contextmanager
def another_station_writing(*, wait_seconds: float = 0.2) -> Iterator[None]:
    """Inside: a second connection holds the write lock (SQLite) or every visit's row (PostgreSQL).

    Connections opened inside (this thread's, and a live server's) wait only ``wait_seconds`` for it, so
    that a write gives up as it would after the busy timeout. For ``transaction=True`` tests.
    """
    options = connection.settings_dict["OPTIONS"]  # the dict every thread's connection is made from
    saved = dict(options)
    if connection.vendor == "sqlite":
        options["timeout"] = wait_seconds
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
    else:
        options["options"] = f"-c lock_timeout={int(wait_seconds * 1000)}"
        other = connections.create_connection("default")
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM visits_visit FOR UPDATE")
    connection.close()  # reopened with the short wait
    try:
        yield
    finally:
        other.rollback()
        other.close()
        options.clear()
        options.update(saved)
        connection.close()


def t(msgid: str, **values: object) -> str:
    """A message as a bokmål page shows it, with its values filled in."""
    return nb(msgid) % values if values else nb(msgid)


def booth_name(label: str) -> str:
    return t("Booth %(label)s", label=label)


def cards(html: str) -> list[str]:
    """The booth and observation cards on a page, each as its HTML."""
    return [part.split("</article>")[0] for part in html.split("<article")[1:]]


def booth_card(html: str, label: str) -> str:
    return next(card for card in cards(html) if f">{booth_name(label)}</h3>" in card)


def observation_card(html: str, code: str) -> str:
    return next(card for card in cards(html) if 'data-testid="observation-card"' in card and code in card)


def section(html: str, testid: str) -> str:
    return html.split(f'data-testid="{testid}"')[1].split("</section>")[0]

"""A busy afternoon on the floor, at a given moment: every board with something of each kind on it.

Together with the records of ``tests.support.scenes.records`` planted at the same moment (a client in
observation for two hours with an emergency under way, one in booth 3 with an alert check, one gone), it
makes a full floor: all six booths taken (one just started, one with its check due, one due soon, one
overdue), four in observation (one with a flagged check, one whose check is overdue), three waiting, one in
the health room and one in the interview room. Everything goes through the services, as the stations do.
"""

from __future__ import annotations

import datetime as dt

from staff.models import User
from tests.support.factories import booth, heroin, injection
from tests.support.rooms import checked_in
from visits.models import BoothSession, Visit
from visits.services.rooms import booth_assign, booth_end, observation_check_record, visit_move

# Booths the records leave free (booth 3 is taken by them), and how long ago each was taken: running,
# its check due, due soon, overdue (the booth limit is 30 minutes, a check falls due every 10).
BOOTH_MINUTES = {"1": 2, "2": 12, "4": 26, "5": 45, "6": 8}


def _in_booth(code: str, by: User, *, label: str, now: dt.datetime) -> BoothSession:
    # Confirmed: on the real clock, near midnight a booth's time runs past the (all-day) closing.
    visit = checked_in(code, by, now=now)
    return booth_assign(
        visit=visit, booth=booth(label), route=injection(), substance=heroin(), by=by, now=now, confirmed=True
    )


def busy_floor(cast: dict[str, User], *, now: dt.datetime) -> None:
    """The floor at ``now``, beside the records: booths taken, clients in observation and waiting."""
    health, reception = cast["health"], cast["reception"]
    # Through booth 1 into observation first, while it is free.
    for number, minutes in enumerate((50, 35, 20)):
        session = _in_booth(f"OBS{'ABC'[number]}1980M", health, label="1", now=now - dt.timedelta(minutes=minutes))
        booth_end(
            session=session,
            next_location=Visit.Location.OBSERVATION,
            by=health,
            now=now - dt.timedelta(minutes=minutes - 8),
        )
        if number == 0:
            observation_check_record(
                visit=session.visit, state="unresponsive", by=health, now=now - dt.timedelta(minutes=5)
            )
        if number == 2:
            observation_check_record(visit=session.visit, state="drowsy", by=health, now=now - dt.timedelta(minutes=1))
    for label, minutes in BOOTH_MINUTES.items():
        _in_booth(f"BO{'ABCDEF'[int(label) - 1]}K1975K", health, label=label, now=now - dt.timedelta(minutes=minutes))
    for letter in "ABC":
        checked_in(f"VEN{letter}1990K", reception, now=now - dt.timedelta(minutes=3))
    visit_move(visit=checked_in("HELA1988M", reception, now=now), to=Visit.Location.HEALTH, by=health, now=now)
    visit_move(visit=checked_in("SAMA1987K", reception, now=now), to=Visit.Location.INTERVIEW, by=reception, now=now)

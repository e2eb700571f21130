"""A full floor on the real clock, as the floor board must show it on one screen: all six booths taken
(timers running, due soon and overdue, a check overdue), four in observation (two past their minimum,
one flagged), three waiting, one in the interview room, one in the health room, an open emergency, and
every banner that may show on a busy afternoon: the closing warning, a staffing shortfall with nobody
rostered, an unread handover, stock never counted, a visit left open since yesterday.

For the browser tests (tests/browser), which run on the real clock; ``build_full_floor(cast)`` builds it
for the duty officer's eyes.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from duty.services.handover import handover_write
from health.services.emergencies import emergency_open
from staff.models import User
from staff.roles import Role
from tests.support.browser import open_all_day
from tests.support.cast import second_duty_officer
from tests.support.factories import minimum
from tests.support.rooms import checked_in, in_booth, in_observation
from visits.models import Facility, OpeningHours, Visit
from visits.services.rooms import observation_check_record, visit_move

BOOTHS = ("1", "2", "3", "4", "5", "6")
# Minutes since each booth started: running, running, due soon, the time limit passed, a check overdue.
BOOTH_MINUTES = (2, 6, 12, 27, 33, 9)
IN_BOOTHS = ("BOAA1985M", "BOBB1990K", "BOCC1978M", "BODD1988K", "BOEE1992M", "BOFF1983M")
OBSERVED = ("OBAA1985M", "OBBB1979K", "OBCC1991M", "OBDD1986K")
WAITING = ("QUAA1987M", "QUBB1993K", "QUCC1980M")
EMERGENCY = IN_BOOTHS[3]  # in booth 4


def build_full_floor(cast: dict[str, User]) -> dict[str, str]:
    """The full floor, seen now; returns who is where (``emergency``: the client in the open emergency)."""
    open_all_day()
    health, reception = cast["health"], cast["reception"]
    now = timezone.now()

    # Observation first, through booth 1, before the booths fill.
    for n, code in enumerate(OBSERVED):
        started = now - dt.timedelta(minutes=14 + 6 * n)  # out of the booth 10 minutes later
        observation = in_observation(code, health, label="1", now=started)
        state = "hard_to_rouse" if code == OBSERVED[-1] else "alert"  # the last one flagged
        observation_check_record(visit=observation.visit, state=state, by=health, now=now - dt.timedelta(minutes=2))

    for label, minutes, code in zip(BOOTHS, BOOTH_MINUTES, IN_BOOTHS, strict=True):
        session = in_booth(code, health, label=label, now=now - dt.timedelta(minutes=minutes))
        if code != IN_BOOTHS[4]:  # booth 5's check is overdue
            observation_check_record(visit=session.visit, state="alert", by=health, now=now - dt.timedelta(minutes=1))
    emergency_open(client=_client(EMERGENCY), by=health, now=now)

    for code in WAITING:
        checked_in(code, reception, now=now)
    visit_move(visit=checked_in("INAA1982K", reception, now=now), to=Visit.Location.INTERVIEW, by=reception, now=now)

    # Yesterday's visit nobody closed, made last (the day's first check-in closes those): the duty
    # officer's "left open" line. In the health room.
    yesterday = now - dt.timedelta(days=1)
    visit_move(
        visit=checked_in("LOAA1975M", reception, now=yesterday), to=Visit.Location.HEALTH, by=health, now=yesterday
    )

    # The banners: a shortfall with nobody rostered, another duty officer's handover, closing in 2 hours.
    minimum(Role.HEALTH, 2)
    minimum(Role.RECEPTION, 1)
    handover_write(
        by=second_duty_officer(), other_notes="Fire alarm test tomorrow at 10", now=now - dt.timedelta(hours=1)
    )
    closes = min(timezone.localtime(now) + dt.timedelta(hours=2), timezone.localtime(now).replace(hour=23, minute=59))
    OpeningHours.objects.update(closes=closes.time().replace(second=0, microsecond=0))
    Facility.objects.update(closing_warning_minutes=180)
    return {"emergency": EMERGENCY}


def _client(code: str):
    return Visit.objects.select_related("client").get(client__code=code, ended_at__isnull=True).client

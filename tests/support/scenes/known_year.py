"""Two known years, 2017 and 2018, built by hand, and what every figure of them must be.

Most records sit on the edges of a day, a month or a year, where Oslo time and UTC disagree: Oslo is
UTC+1 in winter and UTC+2 in summer (from 02:00 on 26 March 2017 to 03:00 on 29 October 2017), so
23:30 UTC on 31 December is 00:30 on 1 January in Oslo and belongs to the new year, and 23:45 UTC on
30 June is 01:45 on 1 July. A year (or a month) counted in UTC gets each of these wrong.

Clients, and their age (the period's first year − birth year) and band in each year:

    client  born  gender  registered (Oslo)                          2017          2018
    P       1988  M       1 Jan 2017 00:15 (31 Dec 2016 23:15 UTC)   29 (20–29)    30 (30–39)
    Q       1998  K       1 Jul 2017 01:30 (30 Jun 23:30 UTC)        19 (under 20) 20 (20–29)
    R       1958  M       10 Nov 2016 12:00                          59 (50–59)    60 (60+)
    S       1985  A       31 Dec 2017 23:30 (22:30 UTC)              32 (30–39)    33 (30–39)
    T       1978  K       1 Jan 2018 00:30 (31 Dec 2017 23:30 UTC)   39 (30–39)    40 (40–49)
    U       1970  M       26 Mar 2017 03:30 (01:30 UTC, summer time) 47 (40–49)    –
    V       2000  K       1 Jan 2019 00:20 (31 Dec 2018 23:20 UTC)   –             –

The range 1 December 2017 – 31 January 2018 counts ages by its first year, 2017: T is 39 (30–39) there
though T's only visit in it is in 2018, when T is 40.

Visits (by check-in, each checked out):

    R0  31 Dec 2016 23:30   (22:30 UTC)                       December 2016: neither year
    P1   1 Jan 2017 00:20   (31 Dec 2016 23:20 UTC)           January 2017 (UTC: 2016)
    P2  26 Mar 2017 03:30   (01:30 UTC, the night summer time begins)   March
    U1  26 Mar 2017 04:00   (02:00 UTC)                       March
    Q1   1 Jul 2017 01:45   (30 Jun 23:45 UTC)                July (UTC: June)
    R1  29 Oct 2017 02:30, the second time (01:30 UTC, the night summer time ends)   October
    S1  31 Dec 2017 23:40   (22:40 UTC)                       December 2017
    P3  31 Dec 2017 23:50   (22:50 UTC)                       December 2017
    T1   1 Jan 2018 00:40   (31 Dec 2017 23:40 UTC)           January 2018 (UTC: 2017)
    P4   1 Jan 2018 00:50   (31 Dec 2017 23:50 UTC)           January 2018 (UTC: 2017)
    Q2  15 Jan 2018 12:00                                     January 2018
    R2  10 Jun 2018 12:00                                     June 2018
    S2  31 Dec 2018 23:30   (22:30 UTC)                       December 2018
    V1   1 Jan 2019 00:20   (31 Dec 2018 23:20 UTC)           January 2019: neither year (UTC: 2018)

Booth sessions (by their start; heroin by injection unless said):

    P1  1 Jan 2017 00:25-00:45                              2017
    Q1  1 Jul 2017 01:50-02:10, amphetamine, smoking        2017
    R1  29 Oct 2017 02:40-02:55 (the second pass)           2017
    P3  31 Dec 2017 23:55 - 1 Jan 2018 00:20                2017: it started in the old year
    T1  1 Jan 2018 00:45-01:05                              2018
    R2  10 Jun 2018 12:10-12:30, amphetamine, smoking       2018
    V1  1 Jan 2019 00:25-00:45                              2019

Emergencies (by their start):

    E1  P  opioid overdose     1 Jan 2017 00:40 (23:40 UTC)   naloxone 1.80 + 0.40 mg, ambulance, recovered
    E2  Q  stimulant overdose  1 Jul 2017 02:00 (00:00 UTC)   recovered
    E3  S  seizure             31 Dec 2017 23:58              ambulance, hospital
    E4  T  opioid overdose     1 Jan 2018 00:55 (23:55 UTC)   naloxone 1.80 mg, recovered
    E5  –  opioid overdose    10 Jun 2018 12:30, a person with no code   naloxone 0.40 mg, recovered
    E6  V  opioid overdose     1 Jan 2019 00:30 (23:30 UTC)   naloxone 1.80 mg, recovered: 2019

Refusals at the door: P too intoxicated 1 Jan 2017 00:10 (23:10 UTC) and U outside the hours 26 Mar
2017 03:10 (01:10 UTC) in 2017; Q too intoxicated 1 Jan 2018 00:10 (31 Dec 2017 23:10 UTC) and R
outside the hours 31 Dec 2018 23:45 in 2018; V outside the hours 1 Jan 2019 00:05 (23:05 UTC) in 2019.

Walk-in contacts: a man, anonymous, advice, 31 Dec 2017 23:40 (22:40 UTC) and a woman, anonymous,
2 needles, 1 Jul 2017 01:00 (30 Jun 23:00 UTC) in 2017; P, 10 syringes, 1 Jan 2018 00:40 (31 Dec
2017 23:40 UTC) in 2018; someone of another gender, anonymous, advice, 1 Jan 2019 00:10 in 2019.

``EXPECTED_2017``, ``EXPECTED_2018``, ``EXPECTED_DECEMBER_2017``, ``EXPECTED_JANUARY_2018`` and
``EXPECTED_DECEMBER_TO_JANUARY`` are the figures of each period, worked out from the tables above; each
names its figures as ``expected_figures`` below reads them off ``period_figures``, so that another
report's tests (the annual report's, say) can compare its own figures with the same dictionaries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from health.models import Emergency, Intervention
from reports.periods import Period, PeriodKind
from reports.selectors.figures import PeriodFigures
from staff.models import User
from tests.support.factories import ClientFactory, RefusalFactory, VisitFactory
from visits.models import Booth, BoothSession, Client, EquipmentItem, Refusal, Route, Substance, Visit
from visits.services.contacts import contact_record

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC

YEAR_2017 = Period(PeriodKind.CUSTOM, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
YEAR_2018 = Period(PeriodKind.CUSTOM, dt.date(2018, 1, 1), dt.date(2018, 12, 31))
DECEMBER_2017 = Period.for_month(dt.date(2017, 12, 1))
JANUARY_2018 = Period.for_month(dt.date(2018, 1, 1))
DECEMBER_TO_JANUARY = Period(PeriodKind.CUSTOM, dt.date(2017, 12, 1), dt.date(2018, 1, 31))
# "Today" in the tests that look back at both years: both are over, and so is January 2019.
FEBRUARY_15_2019 = dt.datetime(2019, 2, 15, 12, 0, tzinfo=OSLO)


def oslo(year: int, month: int, day: int, hour: int, minute: int = 0, *, fold: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO, fold=fold)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def later(moment: dt.datetime, minutes: int) -> dt.datetime:
    """``minutes`` of elapsed time after ``moment``, worked out in UTC: adding to a local time adds wall-clock
    time, which goes wrong in the hour repeated when summer time ends."""
    return moment.astimezone(UTC) + dt.timedelta(minutes=minutes)


@dataclass
class KnownYear:
    clients: dict[str, Client]
    visits: dict[str, Visit]


def _visit(client: Client, checked_in_at: dt.datetime, by: User) -> Visit:
    ended_at = later(checked_in_at, 40)
    return VisitFactory(
        client=client,
        checked_in_at=checked_in_at,
        checked_in_by=by,
        ended_at=ended_at,
        location=Visit.Location.GONE,
        duration_seconds=2400,
    )


def _booth_session(
    visit: Visit, booth: Booth, start: dt.datetime, minutes: int, *, substance: Substance, route: Route, by: User
) -> BoothSession:
    end = later(start, minutes)
    return BoothSession.objects.create(
        visit=visit,
        booth=booth,
        route=route,
        substance=substance,
        started_at=start,
        started_by=by,
        time_limit_minutes=30,
        ended_at=end,
        ended_by=by,
        outcome=BoothSession.Outcome.OBSERVATION,
        duration_seconds=minutes * 60,
    )


def _emergency(
    client: Client | None, kind: str, start: dt.datetime, by: User, *, outcome: str, ambulance: bool = False
) -> Emergency:
    return Emergency.objects.create(
        client=client,
        kind=kind,
        started_at=start,
        started_by=by,
        ambulance_called_at=later(start, 3) if ambulance else None,
        outcome=outcome,
        ended_at=later(start, 40),
        ended_by=by,
    )


def _naloxone(emergency: Emergency, minute: int, mg: str, by: User) -> None:
    Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=later(emergency.started_at, minute),
        by=by,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal(mg),
    )


def build_known_year(cast: dict[str, User]) -> KnownYear:
    """Every record of the two known years (and their neighbours). Needs the facility defaults and the cast."""
    reception, health = cast["reception"], cast["health"]
    heroin = Substance.objects.get(name="Heroin")
    amphetamine = Substance.objects.get(name="Amfetamin")
    injection = Route.objects.get(name="Injeksjon")
    smoking = Route.objects.get(name="Røyking")
    booth = Booth.objects.order_by("position").first()
    assert booth is not None

    def client(letter: str, born: int, gender: str, registered_at: dt.datetime) -> Client:
        return ClientFactory(
            letters=letter * 3, birth_year=born, gender=gender, registered_at=registered_at, registered_by=reception
        )

    clients = {
        "P": client("P", 1988, "M", utc(2016, 12, 31, 23, 15)),
        "Q": client("Q", 1998, "K", utc(2017, 6, 30, 23, 30)),
        "R": client("R", 1958, "M", oslo(2016, 11, 10, 12)),
        "S": client("S", 1985, "A", utc(2017, 12, 31, 22, 30)),
        "T": client("T", 1978, "K", utc(2017, 12, 31, 23, 30)),
        "U": client("U", 1970, "M", utc(2017, 3, 26, 1, 30)),
        "V": client("V", 2000, "K", utc(2018, 12, 31, 23, 20)),
    }
    P, Q, R, S, T, U, V = (clients[key] for key in "PQRSTUV")

    visits = {
        "R0": _visit(R, oslo(2016, 12, 31, 23, 30), reception),
        "P1": _visit(P, oslo(2017, 1, 1, 0, 20), reception),
        "P2": _visit(P, oslo(2017, 3, 26, 3, 30), reception),
        "U1": _visit(U, oslo(2017, 3, 26, 4), reception),
        "Q1": _visit(Q, oslo(2017, 7, 1, 1, 45), reception),
        "R1": _visit(R, oslo(2017, 10, 29, 2, 30, fold=1), reception),
        "S1": _visit(S, oslo(2017, 12, 31, 23, 40), reception),
        "P3": _visit(P, oslo(2017, 12, 31, 23, 50), reception),
        "T1": _visit(T, oslo(2018, 1, 1, 0, 40), reception),
        "P4": _visit(P, oslo(2018, 1, 1, 0, 50), reception),
        "Q2": _visit(Q, oslo(2018, 1, 15, 12), reception),
        "R2": _visit(R, oslo(2018, 6, 10, 12), reception),
        "S2": _visit(S, oslo(2018, 12, 31, 23, 30), reception),
        "V1": _visit(V, oslo(2019, 1, 1, 0, 20), reception),
    }
    # The times in the table above, checked against UTC so that the table cannot drift from the records.
    # (In UTC first: Python never finds the second pass of a repeated hour equal to a time in another zone.)
    assert visits["P1"].checked_in_at.astimezone(UTC) == utc(2016, 12, 31, 23, 20)
    assert visits["Q1"].checked_in_at.astimezone(UTC) == utc(2017, 6, 30, 23, 45)
    assert visits["R1"].checked_in_at.astimezone(UTC) == utc(2017, 10, 29, 1, 30)
    assert visits["T1"].checked_in_at.astimezone(UTC) == utc(2017, 12, 31, 23, 40)
    assert visits["V1"].checked_in_at.astimezone(UTC) == utc(2018, 12, 31, 23, 20)

    v = visits
    for visit, start, minutes, substance, route in [
        (v["P1"], oslo(2017, 1, 1, 0, 25), 20, heroin, injection),
        (v["Q1"], oslo(2017, 7, 1, 1, 50), 20, amphetamine, smoking),
        (v["R1"], oslo(2017, 10, 29, 2, 40, fold=1), 15, heroin, injection),
        (v["P3"], oslo(2017, 12, 31, 23, 55), 25, heroin, injection),
        (v["T1"], oslo(2018, 1, 1, 0, 45), 20, heroin, injection),
        (v["R2"], oslo(2018, 6, 10, 12, 10), 20, amphetamine, smoking),
        (v["V1"], oslo(2019, 1, 1, 0, 25), 20, heroin, injection),
    ]:
        _booth_session(visit, booth, start, minutes, substance=substance, route=route, by=health)

    kind = Emergency.Kind
    e1 = _emergency(P, kind.OPIOID_OVERDOSE, oslo(2017, 1, 1, 0, 40), health, outcome="recovered", ambulance=True)
    _naloxone(e1, 1, "1.80", health)
    _naloxone(e1, 4, "0.40", health)
    _emergency(Q, kind.STIMULANT_OVERDOSE, oslo(2017, 7, 1, 2), health, outcome="recovered")
    _emergency(S, kind.SEIZURE, oslo(2017, 12, 31, 23, 58), health, outcome="hospital", ambulance=True)
    e4 = _emergency(T, kind.OPIOID_OVERDOSE, oslo(2018, 1, 1, 0, 55), health, outcome="recovered")
    _naloxone(e4, 1, "1.80", health)
    e5 = _emergency(None, kind.OPIOID_OVERDOSE, oslo(2018, 6, 10, 12, 30), health, outcome="recovered")
    _naloxone(e5, 2, "0.40", health)
    e6 = _emergency(V, kind.OPIOID_OVERDOSE, oslo(2019, 1, 1, 0, 30), health, outcome="recovered")
    _naloxone(e6, 1, "1.80", health)

    reason = Refusal.Reason
    for refused, when, why in [
        (P, utc(2016, 12, 31, 23, 10), reason.TOO_INTOXICATED),
        (U, utc(2017, 3, 26, 1, 10), reason.OUTSIDE_HOURS),
        (Q, utc(2017, 12, 31, 23, 10), reason.TOO_INTOXICATED),
        (R, oslo(2018, 12, 31, 23, 45), reason.OUTSIDE_HOURS),
        (V, utc(2018, 12, 31, 23, 5), reason.OUTSIDE_HOURS),
    ]:
        RefusalFactory(client=refused, at=when, by=reception, reason=why)

    syringe = EquipmentItem.objects.get(name="Sprøyte 1 ml")
    needle = EquipmentItem.objects.get(name="Kanyle")
    for known, gender, items, advice, when in [
        (None, "M", {}, True, utc(2017, 12, 31, 22, 40)),
        (None, "K", {needle: 2}, False, utc(2017, 6, 30, 23, 0)),
        (P, None, {syringe: 10}, False, utc(2017, 12, 31, 23, 40)),
        (None, "A", {}, True, oslo(2019, 1, 1, 0, 10)),
    ]:
        contact_record(by=reception, client=known, gender=gender, items=items, advice=advice, now=when)

    return KnownYear(clients=clients, visits=visits)


def expected_figures(figures: PeriodFigures) -> dict[str, Any]:
    """The figures the ``EXPECTED_*`` dictionaries name, read off ``period_figures``'s answer."""
    e = figures.emergencies
    substances = dict(Substance.objects.values_list("pk", "name"))
    routes = dict(Route.objects.values_list("pk", "name"))
    return {
        "visits": figures.visits,
        "unique_clients": figures.unique_clients,
        "new_registrations": figures.new_registrations,
        "gender": {line.key: line.value for line in figures.demographics.by_gender},
        "age": {line.key: line.value for line in figures.demographics.by_age_band},
        "refusals": {line.key: line.value for line in figures.refusals_by_reason if line.value},
        "consumption_events": figures.consumption_events,
        "consumption_by_substance": {
            substances[int(line.key)]: line.value for line in figures.consumption_by_substance if line.value
        },
        "consumption_by_route": {
            routes[int(line.key)]: line.value for line in figures.consumption_by_route if line.value
        },
        "emergencies": e.total,
        "overdoses": e.overdoses,
        "other_emergencies": e.other,
        "naloxone_events": e.naloxone_events,
        "naloxone_doses": e.naloxone_doses,
        "naloxone_mg": e.naloxone_mg,
        "ambulance_calls": e.ambulance_calls,
        "contacts": figures.contacts.total,
        "contacts_anonymous": figures.contacts.anonymous,
        "contacts_known": figures.contacts.known,
    }


def _ages(under_20: int, from_20: int, from_30: int, from_40: int, from_50: int, from_60: int) -> dict[str, int]:
    return {
        "under_20": under_20,
        "20_29": from_20,
        "30_39": from_30,
        "40_49": from_40,
        "50_59": from_50,
        "60_plus": from_60,
    }


# 2017: visits P1 P2 U1 Q1 R1 S1 P3, by P U Q R S; registered P (1 January, 00:15 in Oslo), Q, S (23:30
# on 31 December), U; not T (00:30 on 1 January 2018 in Oslo, though 2017 in UTC).
EXPECTED_2017: dict[str, Any] = {
    "visits": 7,
    "unique_clients": 5,
    "new_registrations": 4,
    # Men P U R, women Q, other S.
    "gender": {"M": 3, "K": 1, "A": 1},
    # Q 19, P 29, S 32, U 47, R 59.
    "age": _ages(1, 1, 1, 1, 1, 0),
    "refusals": {"intoxicated": 1, "hours": 1},
    # P1, Q1, R1 and P3 (begun at 23:55 on 31 December, ended in 2018).
    "consumption_events": 4,
    "consumption_by_substance": {"Heroin": 3, "Amfetamin": 1},
    "consumption_by_route": {"Injeksjon": 3, "Røyking": 1},
    # E1 (opioid), E2 (stimulant), E3 (seizure, 23:58 on 31 December).
    "emergencies": 3,
    "overdoses": 2,
    "other_emergencies": 1,
    "naloxone_events": 1,
    "naloxone_doses": 2,
    "naloxone_mg": Decimal("2.20"),
    "ambulance_calls": 2,
    # The man's at 23:40 on 31 December and the woman's at 01:00 on 1 July; both anonymous.
    "contacts": 2,
    "contacts_anonymous": 2,
    "contacts_known": 0,
}

# 2018: visits T1 P4 Q2 R2 S2, by T P Q R S; registered T only (V's 00:20 on 1 January 2019 is 2019's).
EXPECTED_2018: dict[str, Any] = {
    "visits": 5,
    "unique_clients": 5,
    "new_registrations": 1,
    # Men P R, women T Q, other S.
    "gender": {"M": 2, "K": 2, "A": 1},
    # Q 20, P 30, S 33, T 40, R 60: P, Q, R and T are each in a band one higher than in 2017.
    "age": _ages(0, 1, 2, 1, 0, 1),
    # Q at 00:10 on 1 January, R at 23:45 on 31 December; not V (00:05 on 1 January 2019).
    "refusals": {"intoxicated": 1, "hours": 1},
    "consumption_events": 2,
    "consumption_by_substance": {"Heroin": 1, "Amfetamin": 1},
    "consumption_by_route": {"Injeksjon": 1, "Røyking": 1},
    # E4 (00:55 on 1 January, 2017 in UTC) and E5 (no code); not E6 (2019 in Oslo, 2018 in UTC).
    "emergencies": 2,
    "overdoses": 2,
    "other_emergencies": 0,
    "naloxone_events": 2,
    "naloxone_doses": 2,
    "naloxone_mg": Decimal("2.20"),
    "ambulance_calls": 0,
    # P's at 00:40 on 1 January.
    "contacts": 1,
    "contacts_anonymous": 0,
    "contacts_known": 1,
}

# December 2017: S1 and P3 at 23:40 and 23:50 on the 31st; S registered at 23:30.
EXPECTED_DECEMBER_2017: dict[str, Any] = {
    "visits": 2,
    "unique_clients": 2,
    "new_registrations": 1,
    "gender": {"M": 1, "K": 0, "A": 1},
    # P 29, S 32.
    "age": _ages(0, 1, 1, 0, 0, 0),
    "refusals": {},
    "consumption_events": 1,
    "consumption_by_substance": {"Heroin": 1},
    "consumption_by_route": {"Injeksjon": 1},
    "emergencies": 1,
    "overdoses": 0,
    "other_emergencies": 1,
    "naloxone_events": 0,
    "naloxone_doses": 0,
    "naloxone_mg": Decimal("0"),
    "ambulance_calls": 1,
    "contacts": 1,
    "contacts_anonymous": 1,
    "contacts_known": 0,
}

# January 2018: T1 and P4 in the first hour (still 2017 in UTC), Q2 on the 15th; T registered at 00:30.
EXPECTED_JANUARY_2018: dict[str, Any] = {
    "visits": 3,
    "unique_clients": 3,
    "new_registrations": 1,
    "gender": {"M": 1, "K": 2, "A": 0},
    # Q 20, P 30, T 40: counted by 2018.
    "age": _ages(0, 1, 1, 1, 0, 0),
    "refusals": {"intoxicated": 1},
    "consumption_events": 1,
    "consumption_by_substance": {"Heroin": 1},
    "consumption_by_route": {"Injeksjon": 1},
    "emergencies": 1,
    "overdoses": 1,
    "other_emergencies": 0,
    "naloxone_events": 1,
    "naloxone_doses": 1,
    "naloxone_mg": Decimal("1.80"),
    "ambulance_calls": 0,
    "contacts": 1,
    "contacts_anonymous": 0,
    "contacts_known": 1,
}

# 1 December 2017 - 31 January 2018: the two months together, but the clients once each (P visited in
# both) and their ages by 2017, the range's first year: Q 19, P 29, S 32, T 39.
EXPECTED_DECEMBER_TO_JANUARY: dict[str, Any] = {
    "visits": 5,
    "unique_clients": 4,
    "new_registrations": 2,
    "gender": {"M": 1, "K": 2, "A": 1},
    "age": _ages(1, 1, 2, 0, 0, 0),
    "refusals": {"intoxicated": 1},
    "consumption_events": 2,
    "consumption_by_substance": {"Heroin": 2},
    "consumption_by_route": {"Injeksjon": 2},
    "emergencies": 2,
    "overdoses": 1,
    "other_emergencies": 1,
    "naloxone_events": 1,
    "naloxone_doses": 1,
    "naloxone_mg": Decimal("1.80"),
    "ambulance_calls": 1,
    "contacts": 2,
    "contacts_anonymous": 1,
    "contacts_known": 1,
}

# Visits and overdoses per Oslo month over all the records (the per-month chart's figures; months
# left out have none). V1 and E6 make January 2019's.
VISITS_PER_MONTH: dict[dt.date, int] = {
    dt.date(2016, 12, 1): 1,  # R0
    dt.date(2017, 1, 1): 1,  # P1
    dt.date(2017, 3, 1): 2,  # P2, U1
    dt.date(2017, 7, 1): 1,  # Q1
    dt.date(2017, 10, 1): 1,  # R1
    dt.date(2017, 12, 1): 2,  # S1, P3
    dt.date(2018, 1, 1): 3,  # T1, P4, Q2
    dt.date(2018, 6, 1): 1,  # R2
    dt.date(2018, 12, 1): 1,  # S2
    dt.date(2019, 1, 1): 1,  # V1
}
OVERDOSES_PER_MONTH: dict[dt.date, int] = {
    dt.date(2017, 1, 1): 1,  # E1
    dt.date(2017, 7, 1): 1,  # E2
    dt.date(2018, 1, 1): 1,  # E4
    dt.date(2018, 6, 1): 1,  # E5
    dt.date(2019, 1, 1): 1,  # E6
}

"""Two known years, 2024 and 2025, built by hand for the annual report; today is 15 January 2026.

Clients (age = the year − the birth year; men R1-R8, women R9-R12):
  R1 1990 (35 in 2025, 34 in 2024)   R2 1980 (45, 44)   R3-R12 1995 (30, 29)
  R1-R10 registered 15 January 2024; R11 and R12 on 1 February 2025.
  X (1970) deregistered on 5 May 2025 at 10:00; Y (1970) on 31 December 2024 at 23:30 Oslo (22:30 UTC:
  2024 either way); both registered in 2023.

2025, visits by local month (27 visits, 12 unique clients):
  January   R1 once, at 00:10 on 1 January (23:10 UTC on 31 December 2024: 2025 only in Oslo time)
  March     R2-R11 once each (10 visits, 10 clients), each with one booth session (heroin, injection)
  June      R2-R11 once each (10 visits, 10 clients); an opioid overdose of R2 with one dose of naloxone
            (1.8 mg) and an ambulance
  December  R12 six times (6 visits, 1 client), the last at 23:30 on the 31st (22:30 UTC)
  Not 2025: R12 at 00:30 on 1 January 2026 (23:30 UTC on 31 December 2025: 2025 in UTC only).
  Visits per client: once R1 (1); 2-5 times R2-R11 (10); 6-20 times R12 (1).
2024 (the previous year): R1-R10 once each in September, R1 again in October (11 visits, 10 clients).
  Visits per client: once R2-R10 (9); 2-5 times R1 (1).
Budgets: 2025 2 700 000 kr, 2024 1 100 000 kr.
"""

from __future__ import annotations

import datetime as dt

from health.models import Emergency
from oversight.retention import client_deregister
from reports.models import AnnualBudget
from staff.models import User
from tests.support.factories import ClientFactory
from tests.support.scenes.march import _booth_session, _emergency, _naloxone, _visit, at, minutes
from visits.models import Booth, Client, Route, Substance

TODAY_2026 = at(1, 15, 12, year=2026)


def build_two_years(cast: dict[str, User]) -> dict[str, Client]:
    reception, health = cast["reception"], cast["health"]
    heroin = Substance.objects.get(name="Heroin")
    injection = Route.objects.get(name="Injeksjon")
    booth = Booth.objects.order_by("position").first()
    assert booth is not None

    def client(letters: str, birth_year: int, gender: str, registered: dt.datetime) -> Client:
        return ClientFactory(
            letters=letters, birth_year=birth_year, gender=gender, registered_at=registered, registered_by=reception
        )

    letters = ["RA", "RB", "RC", "RD", "RE", "RF", "RG", "RH", "RI", "RJ", "RK", "RL"]
    births = [1990, 1980] + [1995] * 10
    clients = {}
    for n, (code, born) in enumerate(zip(letters, births, strict=True), start=1):
        registered = at(1, 15, 10, year=2024) if n <= 10 else at(2, 1, 10, year=2025)
        clients[f"R{n}"] = client(code, born, "M" if n <= 8 else "K", registered)
    R = clients

    # 2024: September for R1-R10, October for R1 again.
    for n in range(1, 11):
        _visit(R[f"R{n}"], at(9, n, 12, year=2024), reception, ended_at=at(9, n, 13, year=2024))
    _visit(R["R1"], at(10, 2, 12, year=2024), reception, ended_at=at(10, 2, 13, year=2024))

    # 2025.
    _visit(R["R1"], at(1, 1, 0, 10, year=2025), reception, ended_at=at(1, 1, 0, 50, year=2025))
    for n in range(2, 12):
        march = _visit(R[f"R{n}"], at(3, n, 12, year=2025), reception, ended_at=at(3, n, 13, year=2025))
        start = at(3, n, 12, 10, year=2025)
        _booth_session(march, booth, start, start + minutes(20), substance=heroin, route=injection, by=health)
        _visit(R[f"R{n}"], at(6, n, 12, year=2025), reception, ended_at=at(6, n, 13, year=2025))
    overdose = _emergency(
        R["R2"],
        Emergency.Kind.OPIOID_OVERDOSE,
        at(6, 2, 12, 20, year=2025),
        health,
        outcome=Emergency.Outcome.HOSPITAL,
        ambulance=True,
    )
    _naloxone(overdose, 2, "1.8", health)
    for day in (1, 5, 10, 15, 20):
        _visit(R["R12"], at(12, day, 12, year=2025), reception, ended_at=at(12, day, 13, year=2025))
    _visit(R["R12"], at(12, 31, 23, 30, year=2025), reception, ended_at=at(12, 31, 23, 50, year=2025))
    _visit(R["R12"], at(1, 1, 0, 30, year=2026), reception, ended_at=at(1, 1, 0, 50, year=2026))

    for code, when in (("XX", at(5, 5, 10, year=2025)), ("YY", at(12, 31, 23, 30, year=2024))):
        gone = client(code, 1970, "M", at(6, 1, 10, year=2023))
        client_deregister(client=gone, now=when)
        clients[code] = gone

    AnnualBudget.objects.create(year=2025, amount_nok=2_700_000)
    AnnualBudget.objects.create(year=2024, amount_nok=1_100_000)
    return clients

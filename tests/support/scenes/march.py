"""A known month of activity, March 2026, built by hand, and what every figure of it must be.

March 2026 has the change to summer time (Sunday 29 March, 02:00 → 03:00). Records sit on the month's
edges in Oslo time: at 00:00 and 00:10 on the 1st, at 23:30-23:59 on the 31st (which is 21:30-21:59
UTC, still March either way) and at 00:xx on 1 April (22:xx UTC on 31 March: April in Oslo, March in
UTC), and on 28 February at 23:30 (22:30 UTC). A UTC month would get both wrong.

Clients (age in 2026 = 2026 - birth year):
  A 1990 M (36, 30-39)   B 2008 K (18, under 20)   C 1960 M (66, 60+)
  D 1975 A (51, 50-59)   E 1999 K (27, 20-29)      F 1980 M (visits only in February and April)
  G 2000 K (registered on 31 March at 23:30, never visits)

Besides the visits: walk-in contacts (equipment or advice without a visit), intake interviews,
refusals recorded as reception's one-click refusal records them (the blocker's reason, clicked twice),
and visits closed other than by checking out, one of them with each reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from counseling.models import CounselingSession, Intake, Referral, ReferralService, ReferralStatusChange
from duty.models import Shift, ShiftAssignment, StaffingMinimum
from health.models import Emergency, HealthService, Intervention
from reports.models import AnnualBudget
from staff.models import User
from staff.roles import Role
from tests.support.factories import BanFactory, ClientFactory, RefusalFactory, VisitFactory
from visits.models import (
    Booth,
    BoothSession,
    Client,
    EquipmentItem,
    HandOut,
    Incident,
    Intoxication,
    Observation,
    Refusal,
    Room,
    Route,
    StockBalance,
    Substance,
    Visit,
)
from visits.selectors.checkin import check_in_blockers
from visits.services.checkin import refusal_record
from visits.services.contacts import contact_record

OSLO = ZoneInfo("Europe/Oslo")
MARCH = dt.date(2026, 3, 1)
# "Today" in the tests that look back at March: mid-April, so March is last month and complete.
APRIL_15 = dt.datetime(2026, 4, 15, 12, 0, tzinfo=OSLO)


def at(month: int, day: int, hour: int, minute: int = 0, *, year: int = 2026, fold: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=OSLO, fold=fold)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@dataclass
class March:
    users: dict[str, User]
    clients: dict[str, Client]
    visits: dict[str, Visit]


def _client(letter: str, birth_year: int, gender: str, registered_at: dt.datetime, by: User) -> Client:
    return ClientFactory(
        letters=letter * 3, birth_year=birth_year, gender=gender, registered_at=registered_at, registered_by=by
    )


def _visit(
    client: Client, checked_in_at: dt.datetime, by: User, *, ended_at: dt.datetime | None = None, end_reason: str = ""
) -> Visit:
    """A visit; ``end_reason`` as the close-out or the overnight close records it (blank: checked out)."""
    return VisitFactory(
        client=client,
        checked_in_at=checked_in_at,
        checked_in_by=by,
        ended_at=ended_at,
        end_reason=end_reason,
        location=Visit.Location.GONE if ended_at else Visit.Location.QUEUE,
        duration_seconds=int((ended_at - checked_in_at).total_seconds()) if ended_at else None,
    )


def _booth_session(
    visit: Visit, booth: Booth, start: dt.datetime, end: dt.datetime | None, *, substance: Substance, route: Route, by
) -> BoothSession:
    return BoothSession.objects.create(
        visit=visit,
        booth=booth,
        route=route,
        substance=substance,
        started_at=start,
        started_by=by,
        time_limit_minutes=30,
        ended_at=end,
        ended_by=by if end else None,
        outcome=BoothSession.Outcome.OBSERVATION if end else "",
        duration_seconds=int((end - start).total_seconds()) if end else None,
    )


def _observation(visit: Visit, start: dt.datetime, end: dt.datetime | None, by) -> Observation:
    return Observation.objects.create(
        visit=visit,
        started_at=start,
        started_by=by,
        min_minutes=15,
        ended_at=end,
        released_by=by if end else None,
        released_to=Visit.Location.GONE if end else "",
        duration_seconds=int((end - start).total_seconds()) if end else None,
    )


def _emergency(client: Client | None, kind: str, start: dt.datetime, by, *, outcome: str = "", ambulance: bool = False):
    return Emergency.objects.create(
        client=client,
        kind=kind,
        started_at=start,
        started_by=by,
        ambulance_called_at=start + minutes(3) if ambulance else None,
        outcome=outcome,
        ended_at=start + minutes(40) if outcome else None,
        ended_by=by if outcome else None,
    )


def _naloxone(emergency: Emergency, minute: int, mg: str, by) -> Intervention:
    return Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=emergency.started_at + minutes(minute),
        by=by,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal(mg),
    )


def _referral(client: Client, service: ReferralService, steps: list[tuple[str, dt.datetime]], by) -> Referral:
    referral = Referral.objects.create(
        client=client,
        service=service,
        created_at=steps[0][1],
        created_by=by,
        status=steps[-1][0],
        status_changed_at=steps[-1][1],
    )
    previous = ""
    for status, when in steps:
        ReferralStatusChange.objects.create(referral=referral, from_status=previous, to_status=status, at=when, by=by)
        previous = status
    return referral


def _session(client: Client, start: dt.datetime, counselor: User) -> CounselingSession:
    return CounselingSession.objects.create(
        client=client,
        counselor=counselor,
        started_at=start,
        ended_at=start + minutes(30),
        duration_seconds=1800,
        recorded_at=start + minutes(35),
    )


def _incident(kind: str, when: dt.datetime, area: str, by: User, *, room: Room | None = None, police=False):
    return Incident.objects.create(
        kind=kind,
        occurred_at=when,
        area=area,
        room=room,
        description="Described without names",
        action_taken="Talked it down",
        police_called=police,
        recorded_at=when,
        recorded_by=by,
    )


def _intake(client: Client, when: dt.datetime, by: User, *, accepted: bool) -> Intake:
    return Intake.objects.create(
        client=client,
        at=when,
        by=by,
        is_adult=True,
        long_term_heroin_dependence=True,
        harmful_injection_practice=accepted,
        consent_given=True,
        house_rules_explained=True,
        harm_reduction_advice_given=True,
        outcome=Intake.Outcome.ACCEPTED if accepted else Intake.Outcome.REFUSED,
        refusal_reason="" if accepted else "No harmful injection practice",
    )


def _one_click_refusal(
    client: Client, when: dt.datetime, by: User, *, intoxication: str = Intoxication.NONE
) -> Refusal:
    """What reception's "record refusal" does for a blocked check-in: the first blocker's reason, no form.

    Clicked twice, as happens: the second click is the same refusal.
    """
    heroin = Substance.objects.get(name="Heroin")
    blockers = check_in_blockers(client, substance=heroin, intoxication=intoxication, now=when, open_visit_exists=False)
    reason = next(b.reason for b in blockers if b.reason is not None)
    # The button's form carries a one-time token: the second click sends the same token.
    token = uuid.uuid4()
    refusal = refusal_record(client=client, reason=reason, by=by, token=token, now=when)
    again = refusal_record(client=client, reason=reason, by=by, token=token, now=when + dt.timedelta(seconds=5))
    assert again == refusal and again.already_recorded
    return refusal


def build_march(cast: dict[str, User]) -> March:
    """Every record of the known month (and its neighbours). Needs the facility defaults and the cast."""
    reception, health, duty = cast["reception"], cast["health"], cast["duty"]
    heroin = Substance.objects.get(name="Heroin")
    amphetamine = Substance.objects.get(name="Amfetamin")
    cocaine = Substance.objects.get(name="Kokain")
    injection = Route.objects.get(name="Injeksjon")
    smoking = Route.objects.get(name="Røyking")
    booths = list(Booth.objects.order_by("position"))

    clients = {
        "A": _client("A", 1990, "M", at(3, 1, 0, 5), reception),
        "B": _client("B", 2008, "K", at(3, 10, 11), reception),
        "C": _client("C", 1960, "M", at(2, 28, 23, 30), reception),
        "D": _client("D", 1975, "A", at(6, 1, 12, year=2025), reception),
        "E": _client("E", 1999, "K", at(3, 1, 0, 0), reception),
        "F": _client("F", 1980, "M", at(4, 1, 0, 30), reception),
        "G": _client("G", 2000, "K", at(3, 31, 23, 30), reception),
    }
    A, B, C, D, E, F = (clients[key] for key in "ABCDEF")

    # How each visit ended: checked out (blank), or closed with a reason. A visit's closing counts in the
    # month of its check-in: D1 (closed in April) is March's, F0 (closed on 1 March) February's.
    closing, transferred, unnoticed, overnight, other = (
        Visit.EndReason.LEFT_AT_CLOSING,
        Visit.EndReason.TRANSFERRED,
        Visit.EndReason.LEFT_UNNOTICED,
        Visit.EndReason.OVERNIGHT,
        Visit.EndReason.OTHER,
    )
    visits = {
        "A1": _visit(A, at(3, 1, 0, 10), reception, ended_at=at(3, 1, 1, 0), end_reason=closing),
        # A went to hospital after the overdose at 12:25.
        "A2": _visit(A, at(3, 10, 12), reception, ended_at=at(3, 10, 13), end_reason=transferred),
        # On the night summer time begins: 03:30 local is 01:30 UTC.
        "A3": _visit(A, at(3, 29, 3, 30), reception, ended_at=at(3, 29, 4), end_reason=overnight),
        "B1": _visit(B, at(3, 10, 13), reception, ended_at=at(3, 10, 14)),
        # C's observation was never ended: C left without checking out.
        "C1": _visit(C, at(3, 15, 9), reception, ended_at=at(3, 15, 10), end_reason=unnoticed),
        "D1": _visit(D, at(3, 31, 23, 30), reception, ended_at=at(4, 1, 0, 30), end_reason=closing),
        "E1": _visit(E, at(3, 20, 10), reception, ended_at=at(3, 20, 11), end_reason=other),
        # Outside March: 22:30 UTC on 28 February, and 22:30 UTC on 31 March.
        "F0": _visit(F, at(2, 28, 23, 30), reception, ended_at=at(3, 1, 0, 0), end_reason=overnight),
        "F1": _visit(F, at(4, 1, 0, 30), reception, ended_at=at(4, 1, 1, 30), end_reason=closing),
    }

    # Refusals: intoxicated 1, substance 2 (amphetamine), hours 1 in March; one in April.
    RefusalFactory(client=A, at=at(3, 10, 12, 30), by=reception, reason=Refusal.Reason.TOO_INTOXICATED)
    for hour in (14, 15):
        RefusalFactory(
            client=F,
            at=at(3, 12, hour),
            by=reception,
            reason=Refusal.Reason.SUBSTANCE_NOT_ALLOWED,
            substance=amphetamine,
        )
    RefusalFactory(client=B, at=at(3, 31, 23, 50), by=reception, reason=Refusal.Reason.OUTSIDE_HOURS)
    RefusalFactory(
        client=C, at=at(4, 1, 0, 10), by=reception, reason=Refusal.Reason.SUBSTANCE_NOT_ALLOWED, substance=cocaine
    )

    # Booth sessions: six start in March (heroin 5, amphetamine 1; injection 5, smoking 1).
    v = visits
    _booth_session(
        v["A2"], booths[0], at(3, 10, 12, 10), at(3, 10, 12, 30), substance=heroin, route=injection, by=health
    )
    _booth_session(
        v["A2"], booths[0], at(3, 10, 12, 40), at(3, 10, 12, 50), substance=heroin, route=injection, by=health
    )
    _booth_session(
        v["B1"], booths[1], at(3, 10, 13, 5), at(3, 10, 13, 35), substance=heroin, route=injection, by=health
    )
    _booth_session(
        v["C1"], booths[2], at(3, 15, 9, 30), at(3, 15, 9, 45), substance=amphetamine, route=smoking, by=health
    )
    _booth_session(v["E1"], booths[3], at(3, 20, 10, 20), None, substance=heroin, route=injection, by=health)
    _booth_session(v["D1"], booths[4], at(3, 31, 23, 40), at(4, 1, 0, 5), substance=heroin, route=injection, by=health)
    _booth_session(v["F1"], booths[5], at(4, 1, 0, 40), at(4, 1, 1), substance=heroin, route=injection, by=health)

    # Observations: two closed in March (15 and 20 minutes), one still open, one started in April.
    _observation(v["A2"], at(3, 10, 12, 31), at(3, 10, 12, 46), health)
    _observation(v["B1"], at(3, 10, 13, 36), at(3, 10, 13, 56), health)
    _observation(v["C1"], at(3, 15, 9, 46), None, health)
    _observation(v["D1"], at(4, 1, 0, 6), at(4, 1, 0, 21), health)

    # Emergencies: 5 in March (opioid 3, stimulant 1, seizure 1), one of them for a person with no code;
    # naloxone in three, 4 doses, 4.4 mg. A fifth dose, withdrawn as entered by mistake, counts nowhere.
    e1 = _emergency(A, Emergency.Kind.OPIOID_OVERDOSE, at(3, 10, 12, 25), health, outcome="hospital", ambulance=True)
    _naloxone(e1, 1, "1.80", health)
    _naloxone(e1, 4, "0.40", health)
    mistaken = _naloxone(e1, 5, "2.00", health)
    mistaken.withdrawn_at, mistaken.withdrawn_by = e1.started_at + minutes(20), health
    mistaken.withdrawn_reason = "Entered twice"
    mistaken.save()
    unknown = _emergency(None, Emergency.Kind.OPIOID_OVERDOSE, at(3, 20, 10, 5), health, outcome="recovered")
    unknown.place, unknown.person_age_band, unknown.person_gender = "outside", "30_39", "M"
    unknown.save()
    _naloxone(unknown, 2, "1.80", health)
    e1.interventions.create(kind=Intervention.Kind.OXYGEN, at=e1.started_at + minutes(2), by=health)
    _emergency(B, Emergency.Kind.OPIOID_OVERDOSE, at(3, 10, 13, 20), health, outcome="recovered")
    _emergency(C, Emergency.Kind.SEIZURE, at(3, 15, 9, 40), health, outcome="refused_transport", ambulance=True)
    e4 = _emergency(D, Emergency.Kind.STIMULANT_OVERDOSE, at(3, 31, 23, 55), health)
    _naloxone(e4, 2, "0.40", health)
    e5 = _emergency(F, Emergency.Kind.OPIOID_OVERDOSE, at(4, 1, 0, 45), health, outcome="recovered", ambulance=True)
    _naloxone(e5, 1, "1.80", health)
    _emergency(C, Emergency.Kind.OTHER, at(2, 28, 23, 30), health, outcome="recovered")

    # Health services: wound care 2, offer of testing 1, vein advice 1 in March; one in April.
    for client, kind, when, extra in [
        (A, HealthService.Kind.WOUND_CARE, at(3, 10, 12, 55), {}),
        (C, HealthService.Kind.WOUND_CARE, at(3, 15, 9, 50), {}),
        (B, HealthService.Kind.TEST_OFFER, at(3, 10, 14), {"condition": "hcv", "accepted": True}),
        (D, HealthService.Kind.VEIN_ADVICE, at(3, 31, 23, 59), {}),
        (F, HealthService.Kind.WOUND_CARE, at(4, 1, 0, 1), {}),
    ]:
        HealthService.objects.create(client=client, kind=kind, at=when, by=health, **extra)

    # Counseling: three sessions with two clients in March, one in April.
    counselor = cast["counselor"]
    _session(A, at(3, 10, 14), counselor)
    _session(A, at(3, 20, 11), counselor)
    _session(B, at(3, 10, 15), counselor)
    _session(B, at(4, 1, 10), counselor)

    # Referrals made in March: LAR 2 (one accepted and attended, in April), NAV 1 (declined).
    lar = ReferralService.objects.get(name__startswith="LAR")
    nav = ReferralService.objects.get(name="NAV")
    _referral(A, lar, [("proposed", at(3, 10, 14, 30)), ("sent", at(3, 11, 9)), ("accepted", at(3, 20, 9)),
                       ("attended", at(4, 5, 9))], counselor)  # fmt: skip
    _referral(B, lar, [("proposed", at(3, 12, 9)), ("sent", at(3, 12, 10))], counselor)
    _referral(C, nav, [("proposed", at(3, 15, 10)), ("sent", at(3, 16, 9)), ("declined_by_service", at(3, 25, 9))],
              counselor)  # fmt: skip
    # Made in February, accepted in March: not March's.
    _referral(A, nav, [("proposed", at(2, 20, 9)), ("sent", at(2, 21, 9)), ("accepted", at(3, 5, 9))], counselor)

    # Intake interviews: E at midnight on 1 March (accepted), A (accepted), B refused then accepted, G refused
    # on 31 March at 23:40; C's on 28 February and F's at 00:25 on 1 April (22:25 UTC on 31 March) are not
    # March's. March: 5 interviews, accepted 3, refused 2.
    _intake(E, at(3, 1, 0, 0), counselor, accepted=True)
    _intake(A, at(3, 1, 0, 8), counselor, accepted=True)
    _intake(B, at(3, 10, 11, 10), counselor, accepted=False)
    _intake(B, at(3, 10, 11, 40), counselor, accepted=True)
    _intake(clients["G"], at(3, 31, 23, 40), counselor, accepted=False)
    _intake(C, at(2, 28, 23, 45), counselor, accepted=True)
    _intake(F, at(4, 1, 0, 25), counselor, accepted=True)

    # Hand-outs: syringes 12 + 3 = 15, needles 4 in March; 10 syringes in April.
    syringe = EquipmentItem.objects.get(name="Sprøyte 1 ml")
    needle = EquipmentItem.objects.get(name="Kanyle")
    for item, quantity, visit, when in [
        (syringe, 12, v["A2"], at(3, 10, 12, 5)),
        (syringe, 3, v["D1"], at(3, 31, 23, 45)),
        (needle, 4, v["B1"], at(3, 10, 13, 2)),
        (syringe, 10, v["F1"], at(4, 1, 0, 35)),
    ]:
        HandOut.objects.create(item=item, quantity=quantity, visit=visit, at=when, by=health)
    # Walk-in contacts, recorded as reception records them (a known client's gender copied):
    #   2 March 10:00   anonymous, man           advice only
    #   2 March 10:30   anonymous, woman         5 syringes
    #   12 March 14:30  anonymous, other         2 needles and advice
    #   15 March 12:00  A (man)                  10 syringes
    #   20 March 12:00  A (man)                  advice only
    #   31 March 23:50  B (woman; 21:50 UTC)     1 smoking foil and advice
    # March: 6 contacts; men 3 (anonymous, A twice), women 2, other 1; anonymous 3, with a code 3 by
    # 2 clients (A, B); advice only 2, equipment only 2, both 2. Syringes 5 + 10 = 15, needles 2, foil 1
    # more handed out. Not March's: 28 February at 23:59 (22:59 UTC), 1 April at 00:15 (22:15 UTC).
    foil = EquipmentItem.objects.get(name="Folie til røyking")
    for client, gender, items, advice, when in [
        (None, "M", {}, True, at(3, 2, 10)),
        (None, "K", {syringe: 5}, False, at(3, 2, 10, 30)),
        (None, "A", {needle: 2}, True, at(3, 12, 14, 30)),
        (A, None, {syringe: 10}, False, at(3, 15, 12)),
        (A, None, {}, True, at(3, 20, 12)),
        (B, None, {foil: 1}, True, at(3, 31, 23, 50)),
        (None, "M", {}, True, at(2, 28, 23, 59)),
        (C, None, {syringe: 20}, False, at(4, 1, 0, 15)),
    ]:
        contact_record(by=reception, client=client, gender=gender, items=items, advice=advice, now=when)

    # Filters are low: 20 left, warning below 50.
    filters = EquipmentItem.objects.get(name="Filter")
    filters.low_stock_threshold = 50
    filters.save()
    StockBalance.objects.create(item=filters, level=20)

    # Bans: started in March 3; in force at midnight after 31 March 3.
    BanFactory(client=F, starts_at=at(3, 12, 15, 10), ends_at=at(4, 12, 15, 10), created_by=duty)
    BanFactory(client=B, starts_at=at(3, 31, 23, 55), ends_at=None, created_by=duty)
    BanFactory(client=C, starts_at=at(2, 1, 12), ends_at=at(3, 15, 12), created_by=duty)
    BanFactory(client=D, starts_at=at(1, 1, 12), ends_at=None, created_by=duty)
    BanFactory(
        client=E, starts_at=at(3, 2, 12), ends_at=at(4, 2, 12), created_by=duty, lifted_at=at(3, 5, 12), lifted_by=duty
    )

    # Refusals by one click on a blocked check-in, each clicked twice: D is banned (since January), E heavily
    # intoxicated half an hour before E1. One refusal each: banned 1, intoxicated 1 more.
    _one_click_refusal(D, at(3, 25, 12), reception)
    _one_click_refusal(E, at(3, 20, 9, 30), reception, intoxication=Intoxication.HEAVY)

    # Incidents: 3 in March (threats at the entrance, violence in a room with police, neighbours), 1 in April.
    injection_room = Room.objects.get(kind=Room.Kind.INJECTION)
    _incident(Incident.Kind.THREATS, at(3, 12, 15, 5), Incident.Area.ENTRANCE, duty)
    _incident(Incident.Kind.VIOLENCE, at(3, 20, 10, 30), Incident.Area.ROOM, duty, room=injection_room, police=True)
    _incident(Incident.Kind.NEIGHBOURS, at(3, 31, 23, 59), Incident.Area.OUTSIDE, duty)
    _incident(Incident.Kind.DEALING, at(4, 1, 0, 30), Incident.Area.ENTRANCE, duty)

    # Staffing: one receptionist at all opening hours; only 10 March 08:00-16:00 has one.
    StaffingMinimum.objects.create(role=Role.RECEPTION, count=1)
    shift = Shift.objects.create(starts_at=at(3, 10, 8), ends_at=at(3, 10, 16), created_at=at(3, 1, 9), created_by=duty)
    ShiftAssignment.objects.create(shift=shift, user=duty, role=Role.DUTY, is_duty_officer=True)
    ShiftAssignment.objects.create(shift=shift, user=reception, role=Role.RECEPTION)

    # 36.5 million for 2026: 100,000 kroner a day.
    AnnualBudget.objects.create(year=2026, amount_nok=36_500_000)

    return March(users=cast, clients=clients, visits=visits)


# What every figure of March 2026 must be.
EXPECTED = {
    "visits": 7,
    "unique_clients": 5,
    "new_registrations": 4,
    "gender": {"M": 2, "K": 2, "A": 1},
    "age": {"under_20": 1, "20_29": 1, "30_39": 1, "40_49": 0, "50_59": 1, "60_plus": 1},
    # 4 recorded on the form, 2 by one click (each clicked twice, counted once).
    "refusals": {"intoxicated": 2, "substance": 2, "hours": 1, "banned": 1, "not_eligible": 0, "other": 0},
    "refusals_by_substance": {"Amfetamin": 2},
    "consumption_by_substance": {"Heroin": 5, "Amfetamin": 1},
    "consumption_by_route": {"Injeksjon": 5, "Røyking": 1},
    # The unknown person's overdose counts in every emergency figure; the withdrawn dose in none.
    "emergencies": 5,
    "overdoses": 4,
    "other_emergencies": 1,
    "emergency_kinds": {"opioid_overdose": 3, "stimulant_overdose": 1, "seizure": 1, "other": 0},
    "naloxone_events": 3,
    "overdoses_with_naloxone": 3,
    "naloxone_doses": 4,
    # 1.80 + 0.40 (A) + 0.40 (D) + 1.80 (the unknown person); not the withdrawn 2.00.
    "naloxone_mg": Decimal("4.40"),
    "ambulance_calls": 2,
    "outcomes": {"recovered": 2, "hospital": 1, "refused_transport": 1, "died": 0, "": 1},
    "health_services": {"wound": 2, "test_offer": 1, "vein_advice": 1},
    "counseling_sessions": 3,
    "counseling_clients": 2,
    "referrals": {"LAR": (2, 1, 1), "NAV": (1, 0, 0)},
    # During visits 12 + 3 syringes and 4 needles; at contacts 5 + 10 syringes, 2 needles, 1 foil.
    "handed_out": {"Sprøyte 1 ml": 30, "Kanyle": 6, "Folie til røyking": 1},
    # Booth: 600, 900, 1200, 1500, 1800 s. Observation: 900, 1200 s. Waiting: 300, 600, 600, 1200, 1800 s.
    "booth_time": (5, 1200.0, 1680.0),
    "observation_time": (2, 1050.0, 1170.0),
    "booth_wait": (5, 600.0, 1560.0),
    "bans_started": 3,
    "bans_active": 3,
    "incidents": 3,
    "incidents_community": 2,
    "incidents_police": 1,
    "incident_kinds": {"threats": 1, "violence": 1, "neighbours": 1},
    # Walk-in contacts: see the table above build_march's contacts.
    "contacts": 6,
    "contacts_by_gender": {"M": 3, "K": 2, "A": 1},
    "contacts_anonymous": 3,
    "contacts_known": 3,
    "contacts_clients": 2,
    "contacts_advice_only": 2,
    "contacts_equipment_only": 2,
    "contacts_both": 2,
    # E, A, B (refused, then accepted), G (refused).
    "intakes": {"accepted": 3, "refused": 2},
    # A1 and D1 at closing, A2 transferred, C1 unnoticed, A3 overnight, E1 other; B1 checked out.
    "closed_out": {"closing": 2, "transferred": 1, "unnoticed": 1, "overnight": 1, "other": 1},
    # 31 days of 08:00-21:30; 10 March 08:00-16:00 staffed.
    "open_seconds": 31 * 13.5 * 3600,
    "understaffed_seconds": (31 * 13.5 - 8) * 3600,
    # January to March 2026: 90 days, 9,000,000 kroner; 8 visits (F's in February too), 6 clients.
    "cost": {
        "days": 90,
        "budget_so_far": 9_000_000,
        "visits": 8,
        "clients": 6,
        "per_visit": 1_125_000,
        "per_client": 1_500_000,
    },  # fmt: skip
}

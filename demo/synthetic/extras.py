"""Everything around the visits: overdoses and their treatment, health help, counseling and referrals,
security incidents and bans, arrivals turned away, and walk-in contacts.

Rates are per booth session or per visit. Bergen recorded 47 overdoses in its first year, none fatal
(NRK, 2017), against roughly 2,700 uses that year: about 1.7 % of booth sessions.
"""

from __future__ import annotations

import datetime as dt

from counseling.models import Referral
from visits.models import Client, Incident, Refusal

from .context import LOCAL, Context, local_date
from .population import GENDER_WEIGHTS, GENDERS, Person

OVERDOSE_RATE = 0.017
INCIDENT_RATE = 0.003
DAY = 86400
S = Referral.Status


def hhmm(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, LOCAL).strftime("%H:%M")


# Emergencies ------------------------------------------------------------------------------------------

_OPIOID_SIGNS = ("unresponsive", "slow_breathing", "not_breathing", "cyanosis", "pinpoint_pupils")
_KINDS = ("opioid_overdose", "stimulant_overdose", "seizure", "other")


def emergency(ctx: Context, person: Person, visit_id: int, booth_id: int, onset: int) -> tuple[int, bool]:
    """An emergency in a booth from ``onset``; returns when it ended and whether the client went to hospital."""
    rng, t = ctx.rng, ctx.t
    kind = rng.choices(_KINDS, weights=(90, 2, 4, 4))[0]
    emergency_id = t.emergency.new_id()
    nurse, duty = ctx.by("health", onset), ctx.by("duty", onset)
    at = onset
    if kind == "opioid_overdose":
        signs = sorted(rng.sample(_OPIOID_SIGNS, rng.randint(2, 4)))
        if rng.random() < 0.8:
            _intervention(ctx, emergency_id, "oxygen", at + 40, nurse)
        if rng.random() < 0.65:
            doses = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            route, dose = ("im", "0.40") if rng.random() < 0.7 else ("in", "1.40")
            for number in range(doses):
                at = onset + 60 + number * rng.randint(120, 240)
                _intervention(ctx, emergency_id, "naloxone", at, nurse, route=route, dose=dose)
        if rng.random() < 0.35:
            _intervention(ctx, emergency_id, "bvm", onset + 90, nurse)
    else:
        signs = ["seizing"] if kind == "seizure" else ["agitation"] if kind == "stimulant_overdose" else []
    if rng.random() < 0.6:
        _intervention(ctx, emergency_id, "recovery_position", at + 120, nurse)
    called = arrived = None
    outcome = "recovered"
    if rng.random() < 0.25:
        called = onset + rng.randint(120, 360)
        arrived = called + rng.randint(420, 1080)
        outcome = rng.choices(("hospital", "refused_transport", "recovered"), weights=(35, 15, 50))[0]
    end = (arrived + rng.randint(300, 900)) if arrived else onset + rng.randint(480, 2400)
    end = max(end, at + 180)
    ctx.add(
        t.emergency,
        (emergency_id, person.id, visit_id, kind, "booth", booth_id, signs, onset, nurse, called, arrived, outcome,
         end, nurse, end - onset, ""),
    )  # fmt: skip
    for user in {nurse, duty}:
        ctx.add(t.emergency_staff, (t.emergency_staff.new_id(), emergency_id, user))
    return end, outcome == "hospital"


def _intervention(ctx, emergency_id, kind, at, by, *, route="", dose=None) -> None:
    ctx.add(ctx.t.intervention, (ctx.t.intervention.new_id(), emergency_id, kind, at, by, route, dose, ""))


# Health help ------------------------------------------------------------------------------------------

_SERVICES = ("wound", "abscess", "vein_advice", "hygiene_advice", "test_offer", "vaccination_offer", "doctor_referral")
_SITES = ("venstre arm", "høyre arm", "lyske", "legg", "hånd", "fot")


def health_service(ctx: Context, person: Person, visit_id: int | None, at: int) -> int:
    """Health help at ``at``; returns when it was done."""
    rng, t = ctx.rng, ctx.t
    kind = rng.choices(_SERVICES, weights=(30, 8, 20, 15, 10, 7, 5))[0]
    site = severity = condition = ""
    accepted = None
    if kind in ("wound", "abscess"):
        site, severity = rng.choice(_SITES), rng.choices(("mild", "moderate", "severe"), weights=(60, 32, 8))[0]
    if kind in ("test_offer", "vaccination_offer"):
        condition = rng.choice(("hcv", "hiv", "hbv") if kind == "test_offer" else ("hbv",))
        accepted = rng.random() < 0.55
    ctx.add(
        t.health_service,
        (t.health_service.new_id(), person.id, visit_id, kind, at, ctx.by("health", at), site, severity, condition,
         accepted),
    )  # fmt: skip
    return at + rng.randint(300, 1200)


# Counseling and referrals -----------------------------------------------------------------------------

_NEXT_STEPS = ("", "", "Følge opp neste uke", "Ringe NAV sammen", "Ny samtale om bolig")
_SERVICE_WEIGHTS = (25, 12, 18, 15, 10, 8, 6, 4, 2)


def counseling(ctx: Context, person: Person, visit_id: int | None, at: int) -> int:
    """A counseling session from ``at``, perhaps with a referral; returns when it ended."""
    rng, t = ctx.rng, ctx.t
    end = at + rng.randint(600, 2700)
    counselor = ctx.by("counselor", at)
    session_id = t.counseling.new_id()
    ctx.add(
        t.counseling,
        (session_id, person.id, visit_id, counselor, at, end, end - at, rng.choice(_NEXT_STEPS),
         end + rng.randint(60, 900)),
    )  # fmt: skip
    if ctx.facility.topics:
        for topic in rng.sample(ctx.facility.topics, min(len(ctx.facility.topics), rng.choice((1, 1, 2)))):
            ctx.add(t.counseling_topics, (t.counseling_topics.new_id(), session_id, topic))
    if rng.random() < 0.35 and ctx.facility.services:
        referral(ctx, person, visit_id, end - 60, counselor)
    return end


def _referral_steps(rng) -> list[tuple[str, int]]:
    """The statuses a referral goes through after being proposed, with days after the proposal."""
    pick = rng.random()
    if pick < 0.10:
        return [(S.DECLINED_BY_CLIENT, rng.randint(0, 3))]
    if pick < 0.15:
        return [(S.CANCELLED, rng.randint(1, 20))]
    sent = rng.randint(0, 2)
    steps: list[tuple[str, int]] = [(S.SENT, sent)]
    pick = rng.random()
    if pick < 0.15:
        steps.append((S.DECLINED_BY_SERVICE, sent + rng.randint(3, 20)))
    elif pick < 0.25:
        steps.append((S.DID_NOT_ATTEND, sent + rng.randint(5, 30)))
    elif pick < 0.40:
        steps.append((S.ATTENDED, sent + rng.randint(3, 25)))
    else:
        accepted = sent + rng.randint(2, 15)
        steps.append((S.ACCEPTED, accepted))
        final = rng.choices((S.ATTENDED, S.DID_NOT_ATTEND, S.DECLINED_BY_CLIENT), weights=(75, 20, 5))[0]
        steps.append((final, accepted + rng.randint(3, 30)))
    return steps


def referral(ctx: Context, person: Person, visit_id: int | None, at: int, by: int) -> None:
    """A referral and its dated status changes, as far as they happened before the history ends.

    At most one open referral per client and service, as the database requires: a referral that
    would be a second open one is not made.
    """
    rng, t = ctx.rng, ctx.t
    service = rng.choices(ctx.facility.services, weights=_SERVICE_WEIGHTS[: len(ctx.facility.services)] or None)[0]
    changes: list[tuple[str, str, int]] = [("", S.PROPOSED, at)]
    for status, days in _referral_steps(rng):
        moment = at + days * DAY + rng.randint(0, 6 * 3600)
        if moment > ctx.end:
            break
        changes.append((changes[-1][1], status, max(moment, changes[-1][2] + 60)))
    status, since = changes[-1][1], changes[-1][2]
    follow_up = None
    if status in Referral.OPEN_STATUSES:
        if (person.id, service) in ctx.open_referrals:
            return
        ctx.open_referrals.add((person.id, service))
        follow_up = local_date(since) + dt.timedelta(days=Referral.DEFAULT_FOLLOW_UP_DAYS)
    referral_id = t.referral.new_id()
    ctx.add(t.referral, (referral_id, person.id, service, visit_id, at, by, status, since, follow_up))
    for from_status, to_status, moment in changes:
        ctx.add(t.referral_change, (t.referral_change.new_id(), referral_id, from_status, to_status, moment, by))


# Incidents and bans -----------------------------------------------------------------------------------

_INCIDENTS = {
    "violence": ("Slo etter en annen bruker i venterommet.", "Skilt partene, ringte politiet."),
    "threats": ("Truet ansatt ved innsjekk.", "Samtale, bortvist for dagen."),
    "dealing": ("Salg av stoff i venterommet.", "Bortvist, utestengelse vurdert."),
    "damage": ("Knuste speil i bås.", "Rapport skrevet, utestengt."),
    "other": ("Urolig og ruset, ville ikke forlate lokalet.", "Fulgt ut av to ansatte."),
}
_BAN_DAYS = (1, 3, 7, 14, 30, 90)


def incident_with_ban(ctx: Context, person: Person, at: int) -> None:
    """A security incident with this client at the end of a visit, and mostly a ban after it."""
    rng, t = ctx.rng, ctx.t
    kind = rng.choices(tuple(_INCIDENTS), weights=(15, 35, 20, 10, 20))[0]
    incident_id = _incident(ctx, kind, at, "room", ctx.facility.rooms.get("waiting"), police=kind == "violence")
    ctx.add(t.incident_clients, (t.incident_clients.new_id(), incident_id, person.id))
    if rng.random() >= 0.6:
        return
    duty = ctx.by("duty", at)
    days = rng.choices(_BAN_DAYS, weights=(10, 20, 30, 20, 15, 5))[0]
    ends = None if rng.random() < 0.03 else at + days * DAY
    lifted = lifted_by = None
    lift_reason = ""
    if rng.random() < 0.08 or ends is None:
        moment = at + int(((ends or at + 120 * DAY) - at) * rng.uniform(0.3, 0.8))
        if moment <= ctx.end:
            lifted, lifted_by, lift_reason = moment, ctx.by("duty", moment), "Samtale gjennomført, avtale om oppførsel."
    ctx.add(
        t.ban,
        (t.ban.new_id(), person.id, _INCIDENTS[kind][0], at, ends, at + 300, duty, lifted, lifted_by, lift_reason,
         incident_id),
    )  # fmt: skip
    person.banned_until = lifted or ends or (1 << 40)


def _incident(ctx: Context, kind: str, at: int, area: str, room: int | None, *, police: bool) -> int:
    rng, t = ctx.rng, ctx.t
    incident_id = t.incident.new_id()
    description, action = _INCIDENTS.get(kind, ("Klage fra nabo på støy ved inngangen.", "Snakket med naboen."))
    duty = ctx.by("duty", at)
    ctx.add(
        t.incident,
        (incident_id, kind, at, area, room if area == "room" else None, "", description, action, police,
         at + rng.randint(300, 3600), duty),
    )  # fmt: skip
    ctx.add(t.incident_staff, (t.incident_staff.new_id(), incident_id, duty))
    ctx.day_incidents.append(incident_id)
    return incident_id


def community_incident(ctx: Context, at: int) -> None:
    kind = ctx.rng.choice((Incident.Kind.OUTSIDE, Incident.Kind.NEIGHBOURS))
    _incident(ctx, kind, at, ctx.rng.choice(("entrance", "outside")), None, police=False)


# Arrivals turned away, walk-in contacts ---------------------------------------------------------------

_REFUSALS = (
    Refusal.Reason.SUBSTANCE_NOT_ALLOWED,
    Refusal.Reason.TOO_INTOXICATED,
    Refusal.Reason.OUTSIDE_HOURS,
    Refusal.Reason.OTHER,
)


def refusal(ctx: Context, person: Person, at: int, reason: str | None = None) -> None:
    rng, t = ctx.rng, ctx.t
    reason = reason or rng.choices(_REFUSALS, weights=(45, 30, 10, 15))[0]
    substance = None
    if reason == Refusal.Reason.SUBSTANCE_NOT_ALLOWED and ctx.facility.refused_substances:
        substance = (
            ctx.facility.refused_substances[0] if rng.random() < 0.7 else rng.choice(ctx.facility.refused_substances)
        )
    note = "Ville ikke vente" if reason == Refusal.Reason.OTHER else ""
    ctx.add(t.refusal, (t.refusal.new_id(), person.id, at, ctx.by("reception", at), reason, substance, note))


_CONTACT_ITEMS = (5, 10, 20)


def contact(ctx: Context, person: Person | None, at: int) -> None:
    """A walk-in contact for equipment or advice, with a client's code or anonymous."""
    rng, t = ctx.rng, ctx.t
    contact_id = t.contact.new_id()
    by = ctx.by("reception", at)
    items = rng.sample(ctx.facility.items, min(len(ctx.facility.items), rng.randint(1, 4)))
    equipment = bool(items) and rng.random() < 0.85
    advice = not equipment or rng.random() < 0.4
    gender = person.gender if person else rng.choices(GENDERS, weights=GENDER_WEIGHTS)[0]
    ctx.add(t.contact, (contact_id, person.id if person else None, gender, equipment, advice, "", at, by))
    if equipment:
        for item in items:
            quantity = rng.choice(_CONTACT_ITEMS)
            ctx.add(t.hand_out, (t.hand_out.new_id(), item.pk, quantity, None, contact_id, at, by))
            ctx.stock_used[item.pk] = ctx.stock_used.get(item.pk, 0) + quantity


def client_row(
    ctx: Context,
    person: Person,
    birth_year: int,
    registered: int,
    status: str,
    by: int,
    deregistered: int | None = None,
) -> None:
    row = (person.id, person.code, birth_year, person.gender, status, registered, by, deregistered)
    ctx.add(ctx.t.client, row)


def intake(ctx: Context, person: Person, at: int, *, accepted: bool) -> None:
    t = ctx.t
    if accepted:
        row = (t.intake.new_id(), person.id, at, ctx.by("counselor", at), True, True, True, True, True, True,
               "accepted", "")  # fmt: skip
    else:
        row = (t.intake.new_id(), person.id, at, ctx.by("counselor", at), True, False, False, True, True, True,
               "refused", "Ikke langvarig heroinavhengighet.")  # fmt: skip
    ctx.add(t.intake, row)


ACTIVE, PENDING, DEREGISTERED = Client.Status.ACTIVE, Client.Status.PENDING, Client.Status.DEREGISTERED

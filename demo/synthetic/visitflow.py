"""One visit from check-in to check-out, written as the services would have written it.

Check-in, the queue, a booth (the earliest free one: a booth's sessions never overlap), the default
kit, checks, an overdose now and then, observation against the route's minimum time, release and
check-out; every step a ``VisitEvent`` in time order. Every timer is closed and its duration stored.
"""

from __future__ import annotations

import heapq
import math

from visits.models import BoothSession, ObservationCheck, Visit, VisitEvent

from . import extras
from .context import Context
from .population import Person

MAX_WAIT = 45 * 60  # longer than this in the queue and the client gives up
LAST_BOOTH_BEFORE_CLOSING = 20 * 60
CLEANING = (60, 180)  # seconds between two clients in a booth
DOSES = ("0,1 g", "0,15 g", "0,2 g", "0,25 g", "0,3 g", "1 kvarter", "1 halv")
EARLY_RELEASE = "Gikk før minstetiden, mot råd"
Kind = VisitEvent.Kind
Loc = Visit.Location
STATE_LABELS = dict(ObservationCheck.State.choices)


class Booths:
    """The day's booths as a heap of (free from, index): the next client takes the earliest free one."""

    def __init__(self, count: int, opens: int):
        self.heap = [(opens, index) for index in range(count)]

    def earliest(self) -> tuple[int, int]:
        return self.heap[0]

    def take_until(self, until: int, cleaning: int) -> None:
        _free, index = self.heap[0]
        heapq.heapreplace(self.heap, (until + cleaning, index))


def _check(ctx: Context, visit_id: int, events: list, at: int, state: str, *, session=None, observation=None) -> None:
    by = ctx.by("health", at)
    flagged = state in ObservationCheck.FLAGGED_STATES
    label = str(STATE_LABELS[state])
    ctx.add(ctx.t.check, (ctx.t.check.new_id(), visit_id, session, observation, at, by, state, "", flagged))
    events.append((Kind.OBSERVATION_CHECK, at, by, "", label))


def _routine_state(ctx: Context) -> str:
    return "drowsy" if ctx.rng.random() < 0.15 else "alert"


def make_visit(ctx: Context, person: Person, arrival: int, booths: Booths, closes: int) -> int:
    """Write one visit of ``person`` arriving at ``arrival``; return when it ended."""
    rng, t, facility = ctx.rng, ctx.t, ctx.facility
    visit_id = t.visit.new_id()
    reception = ctx.by("reception", arrival)
    events: list[tuple] = [(Kind.CHECKED_IN, arrival, reception, Loc.QUEUE, "")]
    substance = facility.substances[0] if len(facility.substances) == 1 else rng.choice(facility.substances)
    now = arrival

    if rng.random() < 0.03:  # a talk in the interview room before the booth
        now += rng.randint(60, 300)
        events.append((Kind.MOVED, now, reception, Loc.INTERVIEW, ""))
        now = extras.counseling(ctx, person, visit_id, now)
        events.append((Kind.MOVED, now, ctx.by("counselor", now), Loc.QUEUE, ""))

    ready = now + rng.randint(30, 240)
    free_at, booth_index = booths.earliest()
    start = max(ready, free_at)
    if start - ready > MAX_WAIT or start > closes - LAST_BOOTH_BEFORE_CLOSING:
        end = ready + rng.randint(300, MAX_WAIT)
        events.append((Kind.CHECKED_OUT, end, reception, Loc.GONE, ""))
        return _write_visit(ctx, visit_id, person, arrival, end, reception, substance.pk, events)

    # The booth session, with the kit handed out as it starts.
    route = facility.routes[0] if rng.random() < 0.9 or len(facility.routes) == 1 else rng.choice(facility.routes)
    limit = route.booth_time_limit_minutes * 60
    duration = int(rng.lognormvariate(math.log(limit * 0.55), 0.35))
    duration = min(max(duration, 240), limit + 900)
    session_id = t.session.new_id()
    booth_id, booth_label = facility.booths[booth_index]
    nurse = ctx.by("health", start)
    local = extras.hhmm(start)
    events.append(
        (Kind.BOOTH_STARTED, start, nurse, Loc.BOOTH, f"{booth_label} · {substance.label} · {route.label} · {local}")
    )
    if facility.kit:
        for item_id, quantity in facility.kit:
            ctx.add(t.hand_out, (t.hand_out.new_id(), item_id, quantity, visit_id, None, start, nurse))
            ctx.stock_used[item_id] = ctx.stock_used.get(item_id, 0) + quantity
        events.append((Kind.HANDED_OUT, start, nurse, "", facility.kit_note))
    if rng.random() < 0.5:
        _check(
            ctx,
            visit_id,
            events,
            start + rng.randint(120, max(121, duration - 60)),
            _routine_state(ctx),
            session=session_id,
        )

    session_end = start + duration
    observe = rng.random() < 0.92
    hospital = False
    had_emergency = rng.random() < extras.OVERDOSE_RATE
    if had_emergency:
        onset = start + rng.randint(120, max(121, min(duration, 900)))
        _check(ctx, visit_id, events, onset - 45, rng.choice(("hard_to_rouse", "unresponsive")), session=session_id)
        emergency_end, hospital = extras.emergency(ctx, person, visit_id, booth_id, onset)
        session_end = max(session_end, emergency_end)
        observe = not hospital
    outcome = BoothSession.Outcome.OBSERVATION if observe else BoothSession.Outcome.LEFT
    ctx.add(
        t.session,
        (session_id, visit_id, booth_id, route.pk, substance.pk, start, nurse, route.booth_time_limit_minutes,
         route.check_interval_minutes, session_end, nurse, outcome, session_end - start),
    )  # fmt: skip
    booths.take_until(session_end, rng.randint(*CLEANING))
    events.append((Kind.BOOTH_ENDED, session_end, nurse, "", f"{booth_label} · {BoothSession.Outcome(outcome).label}"))

    if not observe:
        note = "Sendt til sykehus" if hospital else ""
        events.append((Kind.CHECKED_OUT, session_end, nurse, Loc.GONE, note))
        return _write_visit(
            ctx, visit_id, person, arrival, session_end, nurse, substance.pk, events, note=note, first_booth=start
        )

    # Observation against the route's minimum time.
    observation_id = t.observation.new_id()
    minimum = route.min_observation_minutes * 60
    events.append((Kind.OBSERVATION_STARTED, session_end, nurse, Loc.OBSERVATION, ""))
    if rng.random() < 0.04 and minimum > 180:
        stay, reason = rng.randint(120, minimum - 60), EARLY_RELEASE
    else:
        stay, reason = minimum + min(int(rng.expovariate(1 / 300)), 1500), ""
    checks = rng.choices((0, 1, 2, 3), weights=(15, 55, 25, 5))[0] + (2 if had_emergency else 0)
    for _ in range(checks):
        at = session_end + rng.randint(60, max(61, stay - 30))
        _check(ctx, visit_id, events, at, _routine_state(ctx), observation=observation_id)
    released = session_end + stay
    released_to = rng.choices((Loc.GONE, Loc.HEALTH, Loc.INTERVIEW), weights=(92, 5, 3))[0]
    releaser = ctx.by("health", released)
    ctx.add(
        t.observation,
        (observation_id, visit_id, session_id, session_end, nurse, route.min_observation_minutes,
         route.check_interval_minutes, released, releaser, released_to, reason, stay),
    )  # fmt: skip
    events.append((Kind.RELEASED, released, releaser, released_to, reason))
    end, ended_by = released, releaser
    if released_to == Loc.HEALTH:
        events.append((Kind.MOVED, released, releaser, Loc.HEALTH, ""))
        end = extras.health_service(ctx, person, visit_id, released + rng.randint(60, 300)) + rng.randint(60, 600)
        events.append((Kind.CHECKED_OUT, end, releaser, Loc.GONE, ""))
    elif released_to == Loc.INTERVIEW:
        events.append((Kind.MOVED, released, releaser, Loc.INTERVIEW, ""))
        end = extras.counseling(ctx, person, visit_id, released + rng.randint(60, 300)) + rng.randint(30, 300)
        ended_by = ctx.by("counselor", end)
        events.append((Kind.CHECKED_OUT, end, ended_by, Loc.GONE, ""))
    else:
        events.append((Kind.CHECKED_OUT, released, releaser, Loc.GONE, reason))
    return _write_visit(
        ctx, visit_id, person, arrival, end, ended_by, substance.pk, events, note=reason, first_booth=start
    )


def _write_visit(
    ctx, visit_id, person, arrival, end: int, ended_by, substance_id, events, *, note="", first_booth=None
) -> int:
    rng, t = ctx.rng, ctx.t
    last_use = arrival - rng.randint(3600, 14 * 3600) if rng.random() < 0.7 else None
    intoxication = "some" if rng.random() < 0.15 else "none"
    ctx.add(
        t.visit,
        (visit_id, person.id, arrival, events[0][2], Loc.GONE, end, end, ended_by, end - arrival, substance_id,
         rng.choice(DOSES), last_use, intoxication, note, first_booth),
    )  # fmt: skip
    if rng.random() < 0.08 and ctx.facility.refused_substances:
        other = rng.choice(ctx.facility.refused_substances)
        ctx.add(t.other_substances, (t.other_substances.new_id(), visit_id, other))
    events.sort(key=lambda event: event[1])  # stable: steps at the same second keep their order
    for kind, at, by, location, event_note in events:
        ctx.add(t.event, (t.event.new_id(), visit_id, kind, at, by, location, event_note))
    if rng.random() < extras.INCIDENT_RATE:
        extras.incident_with_ban(ctx, person, end)
    person.busy_until = end
    ctx.visits_written += 1
    return end

"""The generator's main loop: day by day, register clients, roster staff, make the visits and what goes
with them, then the deliveries that keep the stock up; write in large batches and report progress."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from demo.defaults import facility_load_defaults
from visits.models import Booth, Client, EquipmentItem, Room, StockBalance, StockMovement

from . import extras
from .calendar import Day, allocate, arrival_times, open_days
from .context import Context, Facility
from .population import Person, Population, synthetic_staff
from .staffing import Staffing, Stock
from .visitflow import Booths, make_visit
from .writer import Writer, to_seconds

POOL_BASE, POOL_PER_DAILY_VISIT = 10, 3  # regular clients around on a day
SESSION_MINUTES = 26  # a booth's turn: the session and the cleaning after it
BOOTH_LOAD = 0.7  # the share of opening hours booths are busy on a peak day, at most
PICK_TRIES = 8
PROGRESS_SECONDS = 30.0  # the longest silence while generating


@dataclass
class Summary:
    visits: int
    clients: int
    days: int
    booths: int
    first_day: dt.date | None
    last_day: dt.date | None
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)


def _ensure_booths(days: list[Day], progress: Callable[[str], None]) -> None:
    """Enough booths for the busiest days' volume; a facility this busy has more than Bergen's six."""
    recent = days[-365:]
    plateau = sum(day.visits for day in recent) / len(recent)
    admit_minutes = sum(day.last_admission - day.opens for day in recent) / len(recent) / 60
    needed = math.ceil(plateau * 1.3 * SESSION_MINUTES / (admit_minutes * BOOTH_LOAD))
    room = Room.objects.filter(kind=Room.Kind.INJECTION).first()
    if room is None:
        return
    have = list(room.booths.order_by("position", "pk"))
    if sum(1 for booth in have if booth.active) >= needed:
        return
    labels = {booth.label for booth in have}
    position = max((booth.position for booth in have), default=0)
    added = 0
    number = len(have)
    while sum(1 for booth in have if booth.active) + added < needed:
        number += 1
        if str(number) in labels:
            continue
        position += 1
        Booth.objects.create(room=room, label=str(number), position=position)
        added += 1
    room.capacity = max(room.capacity, needed)
    room.save(update_fields=["capacity"])
    progress(f"  {added} booths added ({needed} in the injection room) to carry {plateau:.0f} visits a day")


def _register(ctx: Context, population: Population, day: Day, count: int, today: dt.date) -> None:
    """New clients registered today, each with an intake interview; a few are refused at intake."""
    rng = ctx.rng
    for _ in range(count):
        at = rng.randint(day.opens, max(day.opens + 1, day.last_admission - 2400))
        gender = rng.choices(("M", "K", "A"), weights=(74, 25, 1))[0]
        birth_year = population.birth_year(day.date.year)
        person = Person(
            id=ctx.t.client.new_id(),
            code=population.new_code(birth_year, gender),
            gender=gender,
            weight=population.weight(),
            leaves_on=day.date + dt.timedelta(days=population.lifetime_days()),
        )
        accepted = rng.random() < 0.97
        deregistered = None
        if not accepted:
            status = extras.PENDING
        elif (today - person.leaves_on).days > 365:
            status = extras.DEREGISTERED  # a year without a visit (Oslo practice)
            # By the nightly retention run, at 03:00 a year after the last day they came.
            gone = dt.datetime.combine(
                person.leaves_on + dt.timedelta(days=366), dt.time(3), tzinfo=timezone.get_default_timezone()
            )
            deregistered = to_seconds(gone)
        else:
            status = extras.ACTIVE
        extras.client_row(ctx, person, birth_year, at, status, ctx.by("reception", at), deregistered)
        interview = at + rng.randint(300, 1200)
        extras.intake(ctx, person, interview, accepted=accepted)
        person.busy_until = interview + 1200
        if accepted:
            population.join(person)


def _pick_free(ctx: Context, population: Population, at: int) -> Person | None:
    for _ in range(PICK_TRIES):
        person = population.pick()
        if person is None:
            return None
        if person.busy_until + 600 > at:
            continue  # inside already, or only just left
        if person.banned_until > at:
            if ctx.rng.random() < 0.3:
                extras.refusal(ctx, person, at, extras.Refusal.Reason.BANNED)
            continue
        return person
    return None


def _visits(ctx: Context, population: Population, day: Day, booths: Booths, count: int) -> int:
    """Up to ``count`` visits on ``day``; returns how many were made."""
    made = 0
    for arrival in arrival_times(ctx.rng, day, count):
        person = _pick_free(ctx, population, arrival)
        if person is not None:
            make_visit(ctx, person, arrival, booths, day.closes)
            made += 1
    return made


def _around(ctx: Context, population: Population, day: Day, volume: int) -> None:
    """What happens on a day besides the visits: refusals, walk-ins, health help, talks, trouble outside."""
    rng = ctx.rng
    span = (day.opens, day.last_admission)
    for _ in range(int(volume * 0.04 + rng.random())):
        person = population.pick()
        if person is not None:
            extras.refusal(ctx, person, rng.randint(*span))
    for _ in range(int(volume * 0.12 + rng.random())):
        person = population.pick() if rng.random() < 0.6 else None
        extras.contact(ctx, person, rng.randint(*span))
    for _ in range(int(volume * 0.02 + rng.random())):
        person = population.pick()
        if person is not None:
            extras.health_service(ctx, person, None, rng.randint(*span))
    for _ in range(int(volume * 0.01 + rng.random())):
        person = population.pick()
        if person is not None:
            extras.counseling(ctx, person, None, rng.randint(*span))
    if rng.random() < 0.08:
        extras.community_incident(ctx, rng.randint(*span))


def generate_history(
    *,
    visits: int,
    years: float,
    seed: int = 1,
    end: dt.date | None = None,
    progress: Callable[[str], None] = print,
) -> Summary:
    """Write ``visits`` visits over the ``years`` before ``end`` (today), with everything around them."""
    started = time.monotonic()
    rng = random.Random(seed)
    with transaction.atomic():
        facility_load_defaults()
    today = end or timezone.localdate()
    days = allocate(rng, open_days(today - dt.timedelta(days=round(365.25 * years)), today), visits)
    if not days:
        raise ValueError("The facility has no opening hours in the period; load the defaults first.")
    _ensure_booths(days, progress)
    facility = Facility.load()
    if not (facility.booths and facility.routes and facility.substances):
        raise ValueError("The generator needs a booth, an allowed route and an allowed substance.")
    staff = {role: [user.pk for user in users] for role, users in synthetic_staff().items()}
    midnight = dt.datetime.combine(today, dt.time.min, tzinfo=timezone.get_default_timezone())
    writer = Writer()
    ctx = Context(rng, writer, facility, staff, end=to_seconds(midnight) - 1)
    population = Population(rng, set(Client.objects.values_list("code", flat=True)))
    staffing = Staffing(ctx)
    stock = Stock(
        ctx,
        dict(StockBalance.objects.values_list("item_id", "level")),
        dict(EquipmentItem.objects.values_list("pk", "low_stock_threshold")),
    )
    progress(f"  {visits:,} visits over {len(days):,} open days, {days[0].date} to {days[-1].date}")

    writer.begin()
    try:
        deficit, smoothed, step, reported = 0, float(days[0].visits), max(1, len(days) // 20), 0.0
        for number, day in enumerate(days, start=1):
            ctx.day_incidents = []
            staffing.day(day)
            population.leave(day.date)
            smoothed += 0.05 * (day.visits - smoothed)
            wanted = POOL_BASE + round(POOL_PER_DAILY_VISIT * smoothed)
            _register(ctx, population, day, max(0, wanted - len(population.active)), today)
            population.prepare_day()
            booths = Booths(len(facility.booths), day.opens)
            deficit += day.visits
            # The last day makes up for days when too few regulars were free, so the count is exact.
            for _round in range(20 if number == len(days) else 1):
                deficit -= _visits(ctx, population, day, booths, deficit)
                if deficit <= 0:
                    break
            _around(ctx, population, day, day.visits)
            staffing.handovers()
            stock.day(day)
            writer.maybe_flush()
            elapsed = time.monotonic() - started
            # Every twentieth of the days, and at least every half minute on a large history.
            if number % step == 0 or number == len(days) or elapsed - reported >= PROGRESS_SECONDS:
                reported = elapsed
                rate = ctx.visits_written / elapsed if elapsed > 0 else 0.0
                left = (visits - ctx.visits_written) / rate if rate > 0 else 0.0
                progress(
                    f"  {day.date}  {ctx.visits_written:>10,} of {visits:,} visits  {100 * number // len(days):3d} %"
                    f"  {elapsed:6.0f} s  {rate:7,.0f} visits/s  about {left:5.0f} s to go"
                )
        writer.finish()
    finally:
        writer.end()
    with transaction.atomic():
        # The history counts each item it hands out every month: the last count is when it was counted.
        last_counts = dict(
            StockMovement.objects.filter(kind=StockMovement.Kind.COUNT)
            .values("item_id")
            .annotate(last=Max("at"))
            .order_by()
            .values_list("item_id", "last")
        )
        for item_id, level in stock.levels.items():
            counted_at = last_counts.get(item_id)
            StockBalance.objects.update_or_create(
                item_id=item_id,
                defaults={"level": level, "counted_at": counted_at, "count_needed": counted_at is None or level < 0},
            )
    progress("  refreshing the planner's statistics ...")
    writer.analyze()
    return Summary(
        visits=ctx.visits_written,
        clients=len(population.everyone),
        days=len(days),
        booths=len(facility.booths),
        first_day=days[0].date,
        last_day=days[-1].date,
        seconds=time.monotonic() - started,
        rows={table.model._meta.label: table.written for table in writer.tables.values()},
    )

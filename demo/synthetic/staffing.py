"""The roster and the handover log: two shifts a day, a duty officer on each, a handover at the end of
each shift that the next shift's duty officer acknowledges; and the equipment deliveries and counts
that keep the stock ledger level above zero."""

from __future__ import annotations

from duty.models import ShiftAssignment

from .calendar import Day
from .context import Context, Roster

ROLES = ShiftAssignment._meta.get_field("role")
# Who works a shift, by role: the duty officer, reception, health workers, a counselor on the early one.
EARLY = {"duty": 1, "reception": 1, "health": 2, "counselor": 1}
LATE = {"duty": 1, "reception": 1, "health": 2}


class Staffing:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.shifts: list[tuple[int, int, int]] = []  # the day's shifts: id, end, duty officer
        self.last_handover: tuple[int, int] | None = None  # handover id, written at
        self.last_officer = 0

    def day(self, day: Day) -> None:
        ctx, t = self.ctx, self.ctx.t
        roster = Roster(change=day.shift_change)
        self.shifts = []
        planner = ctx.staff["coordinator"][0]
        for shift_roster, wanted, starts, ends in (
            (roster.early, EARLY, day.opens - 900, day.shift_change + 900),
            (roster.late, LATE, day.shift_change - 900, day.closes + 1800),
        ):
            shift_id = t.shift.new_id()
            ctx.add(t.shift, (shift_id, starts, ends, "", starts - 14 * 86400, planner))
            for role, count in wanted.items():
                people = ctx.rng.sample(ctx.staff[role], min(count, len(ctx.staff[role])))
                shift_roster[role] = people
                for number, user in enumerate(people):
                    duty = role == "duty" and number == 0
                    ctx.add(t.assignment, (t.assignment.new_id(), shift_id, user, role, duty))
            officer = shift_roster["duty"][0]
            if self.last_handover is not None:
                handover_id, written = self.last_handover
                at = max(starts, written) + ctx.rng.randint(300, 1200)
                if at <= ctx.end and self.last_officer != officer:
                    ctx.add(t.acknowledgement, (t.acknowledgement.new_id(), handover_id, officer, at))
                self.last_handover = None
            self.shifts.append((shift_id, ends, officer))
        ctx.roster = roster

    def handovers(self) -> None:
        """At the end of the day: each shift's duty officer hands over; the day's incidents go with the last."""
        ctx, t = self.ctx, self.ctx.t
        for number, (shift_id, ends, officer) in enumerate(self.shifts):
            written = ends - 900
            if written > ctx.end:
                continue
            handover_id = t.handover.new_id()
            note = "Se hendelser." if ctx.day_incidents else "Rolig vakt."
            ctx.add(t.handover, (handover_id, shift_id, written, officer, [], note))
            if number == len(self.shifts) - 1:
                for incident_id in ctx.day_incidents:
                    ctx.add(t.handover_incidents, (t.handover_incidents.new_id(), handover_id, incident_id))
            if number == 0 and len(self.shifts) > 1:
                # the late shift's duty officer reads the early shift's handover when it is written
                at = written + ctx.rng.randint(300, 900)
                if at <= ctx.end and self.shifts[1][2] != officer:
                    ctx.add(t.acknowledgement, (t.acknowledgement.new_id(), handover_id, self.shifts[1][2], at))
            else:
                self.last_handover, self.last_officer = (handover_id, written), officer


class Stock:
    """Deliveries before the day's hand-outs whenever the level would run low; a count each month."""

    def __init__(self, ctx: Context, levels: dict[int, int], thresholds: dict[int, int] | None = None):
        self.ctx = ctx
        self.levels = levels  # item id -> level before the history, as the stock balance says
        # item id -> its low-stock warning level: a delivery comes before the level falls below it
        self.thresholds = thresholds or {}
        self.last_count_month: tuple[int, int] | None = None

    def day(self, day: Day) -> None:
        ctx = self.ctx
        used, ctx.stock_used = ctx.stock_used, {}
        coordinator = ctx.staff["coordinator"][0]
        delivered_at = day.opens - 1800
        for item_id, quantity in sorted(used.items()):
            level = self.levels.get(item_id, 0)
            warning = self.thresholds.get(item_id, 0)
            if level - quantity < max(quantity * 3, warning):
                lot = max(500, quantity * 10, warning * 2)
                lot = -(-lot // 100) * 100
                ctx.add(
                    ctx.t.stock, (ctx.t.stock.new_id(), item_id, "delivery", lot, None, "", delivered_at, coordinator)
                )
                level += lot
            self.levels[item_id] = level - quantity
        month = (day.date.year, day.date.month)
        if month != self.last_count_month:
            self.last_count_month = month
            self._count(day.closes + 600, coordinator)

    def _count(self, at: int, by: int) -> None:
        """The monthly count finds a few items missing, never more than there are."""
        ctx = self.ctx
        for item_id, level in sorted(self.levels.items()):
            missing = min(level, ctx.rng.choice((0, 0, 0, 1, 2, 5)))
            if level <= 0:
                continue
            counted = level - missing
            ctx.add(
                ctx.t.stock, (ctx.t.stock.new_id(), item_id, "count", -missing, counted, "Månedlig telling", at, by)
            )
            self.levels[item_id] = counted

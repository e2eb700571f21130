"""Reads of the equipment stock."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Q, Sum

from visits.models import EquipmentItem, HandOut, StockMovement


@dataclass(frozen=True)
class StockLine:
    item: EquipmentItem
    level: int
    threshold: int
    # The stored flag (``StockBalance.count_needed``); an item without a balance row was never counted.
    count_needed: bool = True
    counted_at: dt.datetime | None = None

    @property
    def never_counted(self) -> bool:
        return self.counted_at is None

    @property
    def low(self) -> bool:
        """Below the warning level; an item never counted has no level to trust, so it is not called low."""
        return not self.never_counted and self.threshold > 0 and self.level < self.threshold

    @property
    def needs_count(self) -> bool:
        """Never counted, or more handed out than the records say came in since: count the drawer."""
        return self.count_needed or self.level < 0


def stock_lines(*, enabled_only: bool = True) -> list[StockLine]:
    items = EquipmentItem.objects.select_related("balance").order_by("position", "pk")
    if enabled_only:
        items = items.filter(enabled=True)
    lines = []
    for item in items:
        balance = getattr(item, "balance", None)
        lines.append(
            StockLine(
                item=item,
                level=balance.level if balance else 0,
                threshold=item.low_stock_threshold,
                count_needed=balance.count_needed if balance else True,
                counted_at=balance.counted_at if balance else None,
            )
        )
    return lines


def stock_alerts() -> list[StockLine]:
    """Items below their threshold or flagged for a count, for the floor board and the dashboard."""
    return [line for line in stock_lines() if line.low or line.needs_count]


def ledger_level(item: EquipmentItem) -> int:
    """The level summed from the whole ledger; equal to the running level at all times."""
    moved = StockMovement.objects.filter(item=item).aggregate(total=Sum("quantity"))["total"] or 0
    out = HandOut.objects.filter(Q(item=item)).aggregate(total=Sum("quantity"))["total"] or 0
    return moved - out


@dataclass(frozen=True)
class StocktakeLine:
    """One item of a recorded stocktake: what the ledger said, what was counted, the difference."""

    item: EquipmentItem
    ledger: int
    counted: int

    @property
    def difference(self) -> int:
        return self.counted - self.ledger


@dataclass(frozen=True)
class Stocktake:
    token: uuid.UUID
    at: dt.datetime
    by: str
    reason: str
    lines: list[StocktakeLine]

    @property
    def differing(self) -> list[StocktakeLine]:
        return [line for line in self.lines if line.difference]


def stocktake(token: uuid.UUID) -> Stocktake | None:
    """A recorded stocktake's counts against the ledger as it stood; None for a token nobody submitted."""
    movements = list(
        StockMovement.objects.filter(stocktake=token, kind=StockMovement.Kind.COUNT)
        .select_related("item", "by")
        .order_by("item__position", "item_id")
    )
    if not movements:
        return None
    first = movements[0]
    return Stocktake(
        token=token,
        at=first.at,
        by=first.by.display_name,
        reason=first.reason,
        lines=[
            StocktakeLine(item=m.item, ledger=(m.counted or 0) - m.quantity, counted=m.counted or 0) for m in movements
        ],
    )

"""Reads of the equipment stock."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum

from visits.models import EquipmentItem, HandOut, StockMovement


@dataclass(frozen=True)
class StockLine:
    item: EquipmentItem
    level: int
    threshold: int

    @property
    def low(self) -> bool:
        return self.threshold > 0 and self.level < self.threshold

    @property
    def needs_count(self) -> bool:
        """More was handed out than the records say came in: count the drawer."""
        return self.level < 0


def stock_lines(*, enabled_only: bool = True) -> list[StockLine]:
    items = EquipmentItem.objects.select_related("balance").order_by("position", "pk")
    if enabled_only:
        items = items.filter(enabled=True)
    lines = []
    for item in items:
        balance = getattr(item, "balance", None)
        lines.append(StockLine(item=item, level=balance.level if balance else 0, threshold=item.low_stock_threshold))
    return lines


def stock_alerts() -> list[StockLine]:
    """Items below their threshold or flagged for a count, for the floor board and the dashboard."""
    return [line for line in stock_lines() if line.low or line.needs_count]


def ledger_level(item: EquipmentItem) -> int:
    """The level summed from the whole ledger; equal to the running level at all times."""
    moved = StockMovement.objects.filter(item=item).aggregate(total=Sum("quantity"))["total"] or 0
    out = HandOut.objects.filter(Q(item=item)).aggregate(total=Sum("quantity"))["total"] or 0
    return moved - out

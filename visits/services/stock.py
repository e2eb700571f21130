"""Writes to the equipment stock ledger. The running level moves in the same transaction as each entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import EquipmentItem, HandOut, StockBalance, StockMovement

MAX_DELIVERY = 100_000


def _move_level(item_id: int, delta: int) -> None:
    """Add ``delta`` to the item's level atomically; concurrent callers each count exactly once."""
    if StockBalance.objects.filter(item_id=item_id).update(level=F("level") + delta):
        return
    try:
        with transaction.atomic():
            StockBalance.objects.create(item_id=item_id, level=delta)
    except IntegrityError:  # another transaction created the row first
        StockBalance.objects.filter(item_id=item_id).update(level=F("level") + delta)


def stock_book_hand_outs(hand_outs: Iterable[HandOut]) -> None:
    """Take hand-outs off the stock. Never refuses: a level below zero flags the item for a count.

    A kit is several items: their levels move in one UPDATE, after locking the rows in a fixed order
    (so that concurrent bookings cannot deadlock), instead of one UPDATE per item.
    """
    totals: dict[int, int] = {}
    for hand_out in hand_outs:
        totals[hand_out.item_id] = totals.get(hand_out.item_id, 0) + hand_out.quantity
    if not totals:
        return
    items = sorted(totals)
    if connection.vendor == "postgresql":
        locked = _take_locked_in_order(items, [-totals[item_id] for item_id in items])
    else:  # one writer at a time: nothing to deadlock on
        locked = list(StockBalance.objects.filter(item_id__in=items).values_list("item_id", flat=True))
        if locked:
            change = Case(
                *(When(item_id=item_id, then=Value(-totals[item_id])) for item_id in locked),
                output_field=IntegerField(),
            )
            StockBalance.objects.filter(item_id__in=locked).update(level=F("level") + change)
    for item_id in items:
        if item_id not in locked:  # the item's first entry: the balance row is made here
            _move_level(item_id, -totals[item_id])


def _take_locked_in_order(items: list[int], deltas: list[int]) -> list[int]:
    """Move the levels of ``items`` by ``deltas`` in one statement that locks the rows in item order.

    The sub-select locks (its sort runs before its locks), the update then moves the rows it holds.
    Returns the items that had a balance row.
    """
    table = connection.ops.quote_name(StockBalance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} AS b SET level = b.level + d.delta
                FROM (SELECT s.item_id, v.delta FROM {table} AS s
                      JOIN unnest(%s::bigint[], %s::integer[]) AS v(item_id, delta) ON v.item_id = s.item_id
                      ORDER BY s.item_id FOR UPDATE OF s) AS d
                WHERE b.item_id = d.item_id
                RETURNING b.item_id""",
            [items, deltas],
        )
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def stock_deliver(
    *, item: EquipmentItem, quantity: int, by: User, note: str = "", now: dt.datetime | None = None
) -> StockMovement:
    if quantity is None or quantity <= 0 or quantity > MAX_DELIVERY:
        raise ValidationError(
            _("A delivery is between 1 and %(max)d items.") % {"max": MAX_DELIVERY}, code="bad_quantity"
        )
    movement = StockMovement.objects.create(
        item=item,
        kind=StockMovement.Kind.DELIVERY,
        quantity=quantity,
        reason=note.strip(),
        at=now or timezone.now(),
        by=by,
    )
    _move_level(item.pk, quantity)
    return movement


@transaction.atomic
def stock_count(
    *, item: EquipmentItem, counted: int, reason: str, by: User, now: dt.datetime | None = None
) -> StockMovement:
    """Record a count of what is really there; the ledger gets the difference, with the reason."""
    if counted is None or counted < 0 or counted > MAX_DELIVERY:
        raise ValidationError(_("A count is a number from 0 to %(max)d.") % {"max": MAX_DELIVERY}, code="bad_count")
    if not reason.strip():
        raise ValidationError(_("Give a reason for the count (for example: weekly count)."), code="no_reason")
    _move_level(item.pk, 0)  # make sure the balance row exists before locking it
    balance = StockBalance.objects.select_for_update().get(item=item)
    delta = counted - balance.level
    movement = StockMovement.objects.create(
        item=item,
        kind=StockMovement.Kind.COUNT,
        quantity=delta,
        counted=counted,
        reason=reason.strip(),
        at=now or timezone.now(),
        by=by,
    )
    balance.level = counted
    balance.save(update_fields=["level"])
    return movement

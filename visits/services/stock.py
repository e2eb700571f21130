"""Writes to the equipment stock ledger. The running level moves in the same transaction as each entry."""

from __future__ import annotations

import datetime as dt
import uuid
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
    """Add ``delta`` to the item's level atomically; concurrent callers each count exactly once.

    A level that goes below zero flags the item for a count; nothing here clears the flag (only a count
    does), and an item's first row is flagged: nobody has counted it yet.
    """
    # Whether the new level is below zero is decided on the row's level as the update finds it.
    flag = Case(When(level__lt=-delta, then=Value(True)), default=F("count_needed"))
    if StockBalance.objects.filter(item_id=item_id).update(level=F("level") + delta, count_needed=flag):
        return
    try:
        with transaction.atomic():
            StockBalance.objects.create(item_id=item_id, level=delta, count_needed=True)
    except IntegrityError:  # another transaction created the row first
        StockBalance.objects.filter(item_id=item_id).update(level=F("level") + delta, count_needed=flag)


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
            below_zero = Case(
                *(When(item_id=item_id, level__lt=totals[item_id], then=Value(True)) for item_id in locked),
                default=F("count_needed"),
            )
            StockBalance.objects.filter(item_id__in=locked).update(level=F("level") + change, count_needed=below_zero)
    for item_id in items:
        if item_id not in locked:  # the item's first entry: the balance row is made here
            _move_level(item_id, -totals[item_id])


def _take_locked_in_order(items: list[int], deltas: list[int]) -> list[int]:
    """Move the levels of ``items`` by ``deltas`` in one statement that locks the rows in item order,
    flagging for a count each that goes below zero.

    The sub-select locks (its sort runs before its locks), the update then moves the rows it holds.
    Returns the items that had a balance row.
    """
    table = connection.ops.quote_name(StockBalance._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} AS b
                SET level = b.level + d.delta, count_needed = b.count_needed OR b.level + d.delta < 0
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
    """Book a delivery in. It raises the level but never clears "count needed": nobody counted the drawer."""
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


def _validate_count(counted: int | None) -> None:
    if counted is None or counted < 0 or counted > MAX_DELIVERY:
        raise ValidationError(_("A count is a number from 0 to %(max)d.") % {"max": MAX_DELIVERY}, code="bad_count")


def _validate_reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(_("Give a reason for the count (for example: weekly count)."), code="no_reason")
    return reason.strip()


def _count_locked(
    *,
    item: EquipmentItem,
    balance: StockBalance,
    counted: int,
    reason: str,
    by: User,
    at: dt.datetime,
    stocktake: uuid.UUID | None = None,
) -> StockMovement:
    """Set a locked balance to what was counted, with the ledger entry for the difference; clears the flag."""
    movement = StockMovement.objects.create(
        item=item,
        kind=StockMovement.Kind.COUNT,
        quantity=counted - balance.level,
        counted=counted,
        reason=reason,
        at=at,
        by=by,
        stocktake=stocktake,
    )
    balance.level, balance.count_needed, balance.counted_at = counted, False, at
    balance.save(update_fields=["level", "count_needed", "counted_at"])
    return movement


@transaction.atomic
def stock_count(
    *, item: EquipmentItem, counted: int, reason: str, by: User, now: dt.datetime | None = None
) -> StockMovement:
    """Record a count of what is really there; the ledger gets the difference, with the reason.

    The only write that clears "count needed".
    """
    _validate_count(counted)
    reason = _validate_reason(reason)
    _move_level(item.pk, 0)  # make sure the balance row exists before locking it
    balance = StockBalance.objects.select_for_update().get(item=item)
    return _count_locked(item=item, balance=balance, counted=counted, reason=reason, by=by, at=now or timezone.now())


@transaction.atomic
def stock_take(
    *,
    counts: dict[EquipmentItem, int],
    reason: str,
    token: uuid.UUID,
    by: User,
    now: dt.datetime | None = None,
) -> list[StockMovement]:
    """Record a stocktake: a count of each item counted, one reason for all, all or nothing.

    ``token`` comes with the form: a second submit of the same form (a double click, a reload) finds the
    stocktake recorded and returns its counts, recording nothing again. The balance rows are locked in
    item order first, so two submits of one form wait for each other and the second sees the first's
    counts; the unique constraint on (stocktake, item) is the last word.
    """
    recorded = list(
        StockMovement.objects.filter(stocktake=token).select_related("item").order_by("item__position", "item_id")
    )
    if recorded:
        return recorded
    if not counts:
        raise ValidationError(_("Enter the count of at least one item."), code="nothing_counted")
    for counted in counts.values():
        _validate_count(counted)
    reason = _validate_reason(reason)
    items = sorted(counts, key=lambda item: item.pk)
    for item in items:
        _move_level(item.pk, 0)  # make sure each balance row exists before locking it
    balances = {
        balance.item_id: balance
        for balance in StockBalance.objects.select_for_update().filter(item__in=items).order_by("item_id")
    }
    recorded = list(
        StockMovement.objects.filter(stocktake=token).select_related("item").order_by("item__position", "item_id")
    )
    if recorded:  # the same form, submitted meanwhile: it is recorded
        return recorded
    at = now or timezone.now()
    movements = [
        _count_locked(
            item=item, balance=balances[item.pk], counted=counts[item], reason=reason, by=by, at=at, stocktake=token
        )
        for item in items
    ]
    return sorted(movements, key=lambda movement: (movement.item.position, movement.item_id))

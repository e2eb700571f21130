"""Walk-in contacts and hand-outs of equipment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import Client, Contact, EquipmentItem, HandOut, Visit, VisitEvent
from visits.services.history import history_bulk_create
from visits.services.stock import stock_book_hand_outs

MAX_QUANTITY = 500


def _clean_items(items: Mapping[EquipmentItem, int]) -> dict[EquipmentItem, int]:
    cleaned = {}
    for item, quantity in items.items():
        if quantity is None or quantity == 0:
            continue
        if quantity < 0 or quantity > MAX_QUANTITY:
            raise ValidationError(
                _("The quantity of %(item)s must be between 0 and %(max)d.")
                % {"item": item.label, "max": MAX_QUANTITY},
                code="bad_quantity",
            )
        cleaned[item] = quantity
    return cleaned


@transaction.atomic(savepoint=False)  # inside a booth assignment, a failure fails the whole of it
def hand_out_record(
    *,
    items: Mapping[EquipmentItem, int],
    by: User,
    visit: Visit | None = None,
    contact: Contact | None = None,
    now: dt.datetime | None = None,
    write_event: bool = True,
) -> list[HandOut]:
    """Record equipment handed out during a visit or at a contact. Never refused for lack of stock.

    ``write_event=False`` leaves the visit's event to the caller (``hand_out_event``), which writes it
    with its own.
    """
    now = now or timezone.now()
    cleaned = _clean_items(items)
    hand_outs = history_bulk_create(
        [
            HandOut(item=item, quantity=quantity, visit=visit, contact=contact, at=now, by=by)
            for item, quantity in cleaned.items()
        ],
        HandOut,
        by=by,
    )
    stock_book_hand_outs(hand_outs)
    if visit is not None and hand_outs and write_event:
        hand_out_event(visit, hand_outs, by=by, at=now).save()
    return hand_outs


def hand_out_event(visit: Visit, hand_outs: list[HandOut], *, by: User, at: dt.datetime) -> VisitEvent:
    """The visit's event for equipment handed out (not yet saved)."""
    note = ", ".join(f"{h.quantity} × {h.item.label}" for h in hand_outs)
    return VisitEvent(visit=visit, kind=VisitEvent.Kind.HANDED_OUT, at=at, by=by, note=note[:500])


@transaction.atomic
def contact_record(
    *,
    by: User,
    client: Client | None = None,
    gender: str | None = None,
    items: Mapping[EquipmentItem, int] | None = None,
    advice: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> Contact:
    """A walk-in contact: equipment and/or advice, for a client by code or anonymously by gender."""
    now = now or timezone.now()
    cleaned = _clean_items(items or {})
    if not cleaned and not advice:
        raise ValidationError(_("Record at least one item handed out, or that advice was given."), code="empty")
    if client is not None:
        gender = client.gender
    if gender not in Client.Gender.values:
        raise ValidationError(_("Choose the gender for an anonymous contact."), code="no_gender")
    contact = Contact.objects.create(
        client=client, gender=gender, equipment=bool(cleaned), advice=advice, note=note.strip(), at=now, by=by
    )
    hand_out_record(items=cleaned, by=by, contact=contact, now=now)
    return contact

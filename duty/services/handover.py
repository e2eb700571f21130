"""Writes of the handover log: a duty officer writes one, the next one acknowledges it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Handover, HandoverAcknowledgement
from duty.selectors.handover import handover_period_start, incidents_since, open_visits_snapshot
from duty.selectors.roster import duty_shift_of
from staff.models import User
from visits.models import Client


def clients_by_code(codes: Sequence[str]) -> list[Client]:
    """The clients with these codes, in the order given; a ValidationError names any code not registered."""
    wanted = list(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))
    found = {client.code: client for client in Client.objects.filter(code__in=wanted)}
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise ValidationError(
            _("No client is registered with the code %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_code"
        )
    return [found[code] for code in wanted]


@transaction.atomic
def handover_write(
    *,
    by: User,
    client_codes: Sequence[str] = (),
    concern_notes: str = "",
    incidents_note: str = "",
    open_matters: str = "",
    stock_problems: str = "",
    other_notes: str = "",
    now: dt.datetime | None = None,
) -> Handover:
    """Write the handover for the shift ``by`` is (or just was) duty officer of.

    The incidents recorded since the shift began and the visits open at this moment are attached
    by themselves, so the officer writes only what the system cannot know.
    """
    now = now or timezone.now()
    clients = clients_by_code(client_codes)
    shift = duty_shift_of(by, now)
    handover = Handover.objects.create(
        shift=shift,
        written_at=now,
        written_by=by,
        concern_notes=concern_notes.strip(),
        incidents_note=incidents_note.strip(),
        open_matters=open_matters.strip(),
        open_visits=open_visits_snapshot(),
        stock_problems=stock_problems.strip(),
        other_notes=other_notes.strip(),
    )
    handover.clients_of_concern.set(clients)
    handover.incidents.set(incidents_since(handover_period_start(shift, now), now))
    return handover


def has_acknowledged(handover: Handover, user: User) -> bool:
    return HandoverAcknowledgement.objects.filter(handover=handover, user=user).exists()


def _already_acknowledged(handover: Handover, by: User) -> ValidationError:
    ack = HandoverAcknowledgement.objects.filter(handover=handover, user=by).first()
    when = timezone.localtime(ack.acknowledged_at).strftime("%d.%m.%Y %H:%M") if ack else ""
    return ValidationError(
        _("You have already acknowledged this handover (%(when)s).") % {"when": when}, code="already_acknowledged"
    )


@transaction.atomic
def handover_acknowledge(*, handover: Handover, by: User, now: dt.datetime | None = None) -> HandoverAcknowledgement:
    """Record that ``by`` has read the handover. Once per reader; a second time is refused with a message."""
    now = now or timezone.now()
    if handover.written_by_id == by.pk:
        raise ValidationError(_("You wrote this handover yourself."), code="own_handover")
    if has_acknowledged(handover, by):
        raise _already_acknowledged(handover, by)
    try:
        # Two clicks at once both pass the check above; the unique constraint lets one through.
        with transaction.atomic():
            return HandoverAcknowledgement.objects.create(handover=handover, user=by, acknowledged_at=now)
    except IntegrityError:
        raise _already_acknowledged(handover, by) from None

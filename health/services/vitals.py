"""Vital signs in an emergency: timed sets of breathing, oxygen saturation, pulse and AVPU; withdrawn, not deleted."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from health.models import Emergency, VitalSigns
from health.services.common import check_time, history_by, locked_emergency, time_or_now
from staff.models import User

# The largest value each measure may take: beyond it, a typing slip rather than a reading.
LIMITS = {"breathing_rate": 80, "oxygen_saturation": 100, "pulse": 300}
NOTE_MAX = 500
REASON_MAX = 500


def _measure(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > LIMITS[name]:
        label = cast(Field, VitalSigns._meta.get_field(name)).verbose_name
        message = _("%(what)s must be a whole number from 0 to %(max)d.")
        raise ValidationError(message % {"what": str(label).capitalize(), "max": LIMITS[name]}, code="out_of_range")
    return value


@transaction.atomic
def vital_signs_record(
    *,
    emergency: Emergency,
    by: User,
    at: dt.datetime | None = None,
    breathing_rate: int | None = None,
    oxygen_saturation: int | None = None,
    pulse: int | None = None,
    consciousness: str = "",
    note: str = "",
    now: dt.datetime | None = None,
) -> VitalSigns:
    """Record a set of vital signs measured ``at`` (now when not given, inside the emergency); one value at least."""
    now = now or timezone.now()
    emergency = locked_emergency(emergency)
    at = time_or_now(emergency, at, now)
    check_time(emergency, at, now, _("The vital signs"))
    breathing_rate = _measure("breathing_rate", breathing_rate)
    oxygen_saturation = _measure("oxygen_saturation", oxygen_saturation)
    pulse = _measure("pulse", pulse)
    consciousness = consciousness or ""
    if consciousness and consciousness not in VitalSigns.Consciousness.values:
        raise ValidationError(_("Choose the level of consciousness (AVPU)."), code="bad_consciousness")
    if breathing_rate is None and oxygen_saturation is None and pulse is None and not consciousness:
        raise ValidationError(
            _("Give at least one value: breathing rate, oxygen saturation, pulse or consciousness."), code="empty"
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX}, code="note_too_long"
        )
    vitals = VitalSigns(
        emergency=emergency,
        at=at,
        by=by,
        breathing_rate=breathing_rate,
        oxygen_saturation=oxygen_saturation,
        pulse=pulse,
        consciousness=consciousness,
        note=note,
        recorded_at=now,
    )
    history_by(vitals, by)
    vitals.save()
    emergency.staff_involved.add(by)
    return vitals


@transaction.atomic
def vital_signs_withdraw(
    *, vital_signs: VitalSigns, by: User, reason: str, now: dt.datetime | None = None
) -> VitalSigns:
    """Withdraw a set entered by mistake: it stays on the record, struck through, out of the chart and the sheet."""
    now = now or timezone.now()
    locked_emergency(vital_signs.emergency)
    vital_signs = (
        VitalSigns.objects.select_for_update(of=("self",)).select_related("withdrawn_by").get(pk=vital_signs.pk)
    )
    if vital_signs.withdrawn_at is not None:
        raise ValidationError(
            _("These vital signs were already withdrawn by %(by)s at %(time)s.")
            % {
                "by": vital_signs.withdrawn_by.display_name if vital_signs.withdrawn_by else "—",
                "time": timezone.localtime(vital_signs.withdrawn_at).strftime("%H:%M:%S"),
            },
            code="already_withdrawn",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing it."), code="no_reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX}, code="reason_too_long"
        )
    vital_signs.withdrawn_at = now
    vital_signs.withdrawn_by = by
    vital_signs.withdrawn_reason = reason
    history_by(vital_signs, by, reason)
    vital_signs.save()
    return vital_signs

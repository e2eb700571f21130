"""What the health services share: the locked emergency, who made a change, times inside the emergency."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from health.models import Emergency
from staff.models import User


def to_second(value: dt.datetime) -> dt.datetime:
    """Emergency times are compared to the second: forms give seconds, the server's clock microseconds."""
    return value.replace(microsecond=0)


def history_by(instance: Model, by: User, reason: str = "") -> None:
    instance._history_user = by  # type: ignore[attr-defined]  # who made this change, for the record's history
    if reason:
        # django-simple-history's reason column holds 100 characters; the full reason of a withdrawal
        # stays on the row itself.
        instance._change_reason = reason if len(reason) <= 100 else reason[:99] + "…"  # type: ignore[attr-defined]


def locked_emergency(emergency: Emergency) -> Emergency:
    """The emergency's row, locked: the writes of one emergency wait for each other."""
    return Emergency.objects.select_for_update().get(pk=emergency.pk)


def check_time(emergency: Emergency, at: dt.datetime, now: dt.datetime, what: str) -> None:
    """``at`` is not in the future, nor before the emergency started, nor after it ended (to the second)."""
    second = to_second(at)
    if second > now:
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": what}, code="future")
    if second < to_second(emergency.started_at):
        raise ValidationError(
            _("%(what)s cannot be before the emergency started.") % {"what": what}, code="before_start"
        )
    if emergency.ended_at is not None and second > to_second(emergency.ended_at):
        raise ValidationError(_("%(what)s cannot be after the emergency ended.") % {"what": what}, code="after_end")


def time_or_now(emergency: Emergency, at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    """The time given, or now while the emergency is open; a closed one needs the time it was done."""
    if at is not None:
        return at
    if emergency.ended_at is not None:
        raise ValidationError(
            _("The emergency is closed: give the time, between its start and its end."), code="time_required"
        )
    return now

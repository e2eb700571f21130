"""Interventions in an emergency: recorded as they happen or afterwards, corrected or withdrawn with a reason.

Nothing is deleted: a correction keeps the earlier values in the intervention's history
(django-simple-history, with who and why), a withdrawn intervention stays on the record, struck
through, and no longer counts. Every write locks the emergency's row first, so two presses at once
are settled one after the other by the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.durations import duration_seconds
from core.versioning import display_value, version_bump, version_check
from health.models import Emergency, Intervention
from health.services.common import check_time, history_by, locked_emergency, time_or_now, to_second
from staff.models import User

# A second press of the same intervention this soon after the first is asked about: a double tap,
# or two staff recording the same dose, is more likely than a second dose within seconds.
REPEAT_WINDOW = dt.timedelta(seconds=10)
REASON_MAX = 100  # a correction's reason lives in the history's reason column only
WITHDRAW_REASON_MAX = 500
NOTE_MAX = 500

# What the correction form edits, compared when a stale form is refused; a withdrawal shows too.
CORRECTION_FIELDS = ("at", "route", "dose_mg", "note", "withdrawn_at", "withdrawn_reason")


def _dose_text(row: Any) -> str:  # an intervention or a row of its history
    return Intervention(dose_mg=row.dose_mg).dose_display() or "—"


def _time_text(row: Any) -> str:
    return display_value(row, "at")


def _dose_and_route(kind: str, route: str, dose_mg: Decimal | None) -> tuple[str, Decimal | None]:
    if kind != Intervention.Kind.NALOXONE:
        return "", None
    if route not in Intervention.Route.values:
        raise ValidationError(_("Give the naloxone route: intranasal or intramuscular."), code="bad_route")
    if dose_mg is None or not dose_mg.is_finite() or dose_mg <= 0 or dose_mg > 20:
        raise ValidationError(_("Give the naloxone dose in mg (more than 0, at most 20)."), code="bad_dose")
    if dose_mg != dose_mg.quantize(Decimal("0.01")):
        raise ValidationError(_("Give the naloxone dose with at most two decimals."), code="bad_dose")
    return route, dose_mg


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX}, code="note_too_long"
        )
    return note


def _repeat_question(last: Intervention, now: dt.datetime) -> ValidationError:
    assert last.recorded_at is not None  # found by when it was recorded
    seconds = duration_seconds(last.recorded_at, now)
    who = last.by.display_name
    if last.kind == Intervention.Kind.NALOXONE:
        message = ngettext(
            "Naloxone was recorded %(seconds)d second ago by %(by)s. Record a second dose?",
            "Naloxone was recorded %(seconds)d seconds ago by %(by)s. Record a second dose?",
            seconds,
        ) % {"seconds": seconds, "by": who}
    else:
        message = ngettext(
            "%(what)s was recorded %(seconds)d second ago by %(by)s. Record it again?",
            "%(what)s was recorded %(seconds)d seconds ago by %(by)s. Record it again?",
            seconds,
        ) % {"what": last.get_kind_display(), "seconds": seconds, "by": who}
    return ValidationError(message, code="repeat")


def _locked_for_intervention(emergency: Emergency | int, by: User) -> Emergency:
    """The emergency's row, locked, read once, with whether ``by`` is already among the staff involved.

    The annotation is read in the statement that may wait for the lock, so it can miss what the
    transaction it waited for wrote: only who is involved is read this way, where a miss costs no more
    than an ``add`` that finds ``by`` already there. What must see the other press (the repeat window)
    is read after the lock.
    """
    pk = emergency.pk if isinstance(emergency, Emergency) else emergency
    involved = Emergency.staff_involved.through.objects.filter(emergency=OuterRef("pk"), user=by)
    return Emergency.objects.select_for_update().annotate(by_involved=Exists(involved)).get(pk=pk)


@transaction.atomic
def emergency_intervention_add(
    *,
    emergency: Emergency | int,
    kind: str,
    by: User,
    route: str = "",
    dose_mg: Decimal | None = None,
    at: dt.datetime | None = None,
    note: str = "",
    confirm: bool = False,
    now: dt.datetime | None = None,
) -> Intervention:
    """Record one intervention, done ``at`` (now when not given), entered now.

    While the emergency is open the time may be left out (the server stamps it) or set earlier; after
    the close it must be given, inside the emergency. A second press of the same kind within
    ``REPEAT_WINDOW`` of the last one's entry raises ``ValidationError`` code ``"repeat"`` with the
    question to ask, unless ``confirm``.

    ``emergency`` may be given by its key: the row is read once, under its lock (``DoesNotExist`` when
    there is none).
    """
    # Two presses at once: the second waits here for the first to commit, and is stamped after it, so
    # it sees the first dose as within the repeat window.
    emergency = _locked_for_intervention(emergency, by)
    now = now or timezone.now()
    if kind not in Intervention.Kind.values:
        raise ValidationError(_("Choose an intervention."), code="bad_kind")
    at = time_or_now(emergency, at, now)
    check_time(emergency, at, now, _("The intervention"))
    route, dose_mg = _dose_and_route(kind, route, dose_mg)
    note = _note(note)
    if not confirm:
        last = (
            emergency.interventions.filter(
                kind=kind, withdrawn_at__isnull=True, recorded_at__gt=now - REPEAT_WINDOW, recorded_at__lte=now
            )
            .select_related("by")
            .order_by("-recorded_at", "-pk")
            .first()
        )
        if last is not None:
            raise _repeat_question(last, now)
    intervention = Intervention(
        emergency=emergency, kind=kind, at=at, by=by, route=route, dose_mg=dose_mg, note=note, recorded_at=now
    )
    history_by(intervention, by)
    intervention.save()
    if not emergency.by_involved:  # type: ignore[attr-defined]  # annotated in the locked read
        # Only a new member of the team: ``add`` of one already there would still send m2m_changed, and
        # the record's history would gain a version and its team's rows for no change.
        emergency.staff_involved.add(by)
    return intervention


def _locked_intervention(intervention: Intervention) -> tuple[Emergency, Intervention]:
    # The emergency first, as every write of the emergency does, then the intervention: one order, no deadlock.
    emergency = locked_emergency(intervention.emergency)
    return emergency, Intervention.objects.select_for_update(of=("self",)).select_related("withdrawn_by").get(
        pk=intervention.pk
    )


def _check_version(intervention: Intervention, seen: int | None) -> None:
    version_check(
        intervention,
        seen=seen,
        fields=CORRECTION_FIELDS,
        display={"dose_mg": _dose_text, "at": _time_text},
    )


@transaction.atomic
def intervention_correct(
    *,
    intervention: Intervention,
    by: User,
    at: dt.datetime,
    reason: str,
    route: str = "",
    dose_mg: Decimal | None = None,
    note: str = "",
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Intervention:
    """Correct an intervention's time, route, dose or note, with the reason; the earlier values stay in its history.

    ``seen_version`` is the version the correction form was opened with: when anyone corrected or
    withdrew the intervention since, ``StaleEdit`` says what changed and nothing is saved.
    """
    now = now or timezone.now()
    emergency, intervention = _locked_intervention(intervention)
    _check_version(intervention, seen_version)
    if intervention.is_withdrawn:
        raise ValidationError(_("This intervention was withdrawn; it cannot be corrected."), code="withdrawn")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the correction."), code="no_reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX}, code="reason_too_long"
        )
    if at is None:
        raise ValidationError(_("Give the time it was done."), code="time_required")
    if to_second(at) == to_second(intervention.at):
        at = intervention.at  # the form shows seconds: an unchanged time keeps what the clock stamped
    check_time(emergency, at, now, _("The intervention"))
    route, dose_mg = _dose_and_route(intervention.kind, route, dose_mg)
    note = _note(note)
    if (intervention.at, intervention.route, intervention.dose_mg, intervention.note) == (at, route, dose_mg, note):
        raise ValidationError(_("Nothing was changed: the intervention is as it was."), code="unchanged")
    intervention.at = at
    intervention.route = route
    intervention.dose_mg = dose_mg
    intervention.note = note
    version_bump(intervention)
    history_by(intervention, by, reason)
    intervention.save()
    return intervention


@transaction.atomic
def intervention_withdraw(
    *,
    intervention: Intervention,
    by: User,
    reason: str,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Intervention:
    """Withdraw an intervention entered by mistake: it stays on the record, struck through, and no longer counts."""
    now = now or timezone.now()
    _emergency, intervention = _locked_intervention(intervention)
    if intervention.is_withdrawn:
        raise ValidationError(
            _("This intervention was already withdrawn by %(by)s at %(time)s.")
            % {
                "by": intervention.withdrawn_by.display_name if intervention.withdrawn_by else "—",
                "time": timezone.localtime(intervention.withdrawn_at).strftime("%H:%M:%S"),
            },
            code="already_withdrawn",
        )
    _check_version(intervention, seen_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for withdrawing it."), code="no_reason")
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ValidationError(
            _("The reason is too long (at most %(max)d characters).") % {"max": WITHDRAW_REASON_MAX},
            code="reason_too_long",
        )
    intervention.withdrawn_at = now
    intervention.withdrawn_by = by
    intervention.withdrawn_reason = reason
    version_bump(intervention)
    history_by(intervention, by, reason)
    intervention.save()
    return intervention

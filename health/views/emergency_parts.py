"""The emergency page's parts beside the record: the intervention buttons with a time, each intervention's
correction and withdrawal, the totals, the vital signs with their chart.

``page_parts`` builds their context; a view that refuses a form passes that form (bound, with its errors)
so the page shows it where it was, and the rest fresh.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from core.forms import DATETIME_SECONDS
from core.versioning import StaleEdit
from health.forms import (
    InterventionCorrectForm,
    InterventionForm,
    VitalSignsForm,
    WithdrawForm,
)
from health.models import Emergency, Intervention, VitalSigns
from health.selectors import (
    InterventionRow,
    emergency_totals,
    emergency_vitals,
    intervention_rows,
    vitals_chart,
)

DEFAULT_NALOXONE = {"route": Intervention.Route.INTRANASAL, "dose_mg": "1.8"}


def correct_prefix(pk: int) -> str:
    return f"correct-{pk}"


def withdraw_prefix(pk: int) -> str:
    return f"withdraw-{pk}"


def vitals_withdraw_prefix(pk: int) -> str:
    return f"vitals-withdraw-{pk}"


def _plain(value) -> str | None:
    """A dose as a number input takes it: a point, no trailing zeros."""
    return format(value, "f").rstrip("0").rstrip(".") if value is not None else None


def correction_initial(intervention: Intervention) -> dict:
    return {
        "at": timezone.localtime(intervention.at).strftime(DATETIME_SECONDS),
        "route": intervention.route,
        "dose_mg": _plain(intervention.dose_mg),
        "note": intervention.note,
        "seen_version": intervention.version,
    }


def fresh_correction_form(intervention: Intervention) -> InterventionCorrectForm:
    return InterventionCorrectForm(
        initial=correction_initial(intervention), kind=intervention.kind, prefix=correct_prefix(intervention.pk)
    )


def fresh_withdraw_form(intervention: Intervention) -> WithdrawForm:
    return WithdrawForm(initial={"seen_version": intervention.version}, prefix=withdraw_prefix(intervention.pk))


@dataclass
class InterventionPart:
    """One intervention on the page: its row, and its forms when the user may change it."""

    row: InterventionRow
    correct_form: InterventionCorrectForm | None = None
    withdraw_form: WithdrawForm | None = None
    open: bool = False  # the correction area starts unfolded: its form was refused
    stale: StaleEdit | None = None
    submitted: list | None = None

    @property
    def intervention(self) -> Intervention:
        return self.row.intervention


@dataclass
class VitalsPart:
    vitals: VitalSigns
    withdraw_form: WithdrawForm | None = None
    open: bool = False


def page_parts(
    request,
    emergency: Emergency,
    *,
    can_change: bool,
    intervention_form: InterventionForm | None = None,
    repeat_question: str = "",
    repeat_fields: list[tuple[str, str]] | None = None,
    refused_intervention: int | None = None,
    correct_form: InterventionCorrectForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    stale: StaleEdit | None = None,
    submitted: list | None = None,
    vitals_form: VitalSignsForm | None = None,
    refused_vitals: int | None = None,
    vitals_withdraw_form: WithdrawForm | None = None,
) -> dict:
    closed = emergency.ended_at is not None
    if intervention_form is not None:
        intervention_form.show_closed(closed)
    parts = []
    for row in intervention_rows(emergency):
        intervention = row.intervention
        part = InterventionPart(row=row)
        if can_change and not intervention.is_withdrawn:
            refused = refused_intervention == intervention.pk
            part.correct_form = (correct_form if refused and correct_form else None) or fresh_correction_form(
                intervention
            )
            part.withdraw_form = (withdraw_form if refused and withdraw_form else None) or fresh_withdraw_form(
                intervention
            )
            if refused:
                part.open, part.stale, part.submitted = True, stale, submitted
        parts.append(part)
    vitals = emergency_vitals(emergency)
    vitals_parts = []
    for entry in vitals:
        vitals_part = VitalsPart(vitals=entry)
        if can_change and entry.withdrawn_at is None:
            refused = refused_vitals == entry.pk and vitals_withdraw_form is not None
            fresh = WithdrawForm(prefix=vitals_withdraw_prefix(entry.pk))
            vitals_part.withdraw_form = vitals_withdraw_form if refused else fresh
            vitals_part.open = refused
        vitals_parts.append(vitals_part)
    return {
        "intervention_form": intervention_form or InterventionForm(initial=DEFAULT_NALOXONE, closed=closed),
        "intervention_kinds": [k for k in Intervention.Kind if k != Intervention.Kind.NALOXONE],
        "repeat_question": repeat_question,
        "repeat_fields": repeat_fields or [],
        "intervention_parts": parts,
        "totals": emergency_totals(emergency),
        "vitals_parts": vitals_parts,
        "vitals_chart": vitals_chart(vitals),
        "vitals_form": vitals_form or VitalSignsForm(closed=closed),
    }

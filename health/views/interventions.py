"""Interventions and vital signs on the emergency page: recorded with a time, corrected or withdrawn with a reason.

Each view parses one form, calls one service and goes back to the page; a refusal renders the page with
the form where it was and its message (400), a repeat press with the question to confirm it (409), a
correction opened before someone else's with what changed (409).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import DATETIME_SECONDS
from core.versioning import StaleEdit, submitted_values
from health import services
from health.forms import InterventionCorrectForm, InterventionForm, VitalSignsForm, WithdrawForm
from health.models import Emergency, Intervention, VitalSigns
from health.selectors import emergency_with_interventions
from health.views.emergencies import _render_detail
from health.views.emergency_parts import (
    correct_prefix,
    fresh_correction_form,
    vitals_withdraw_prefix,
    withdraw_prefix,
)
from staff.permissions import permission_required
from staff.requests import StaffRequest


def _not_found(request: StaffRequest) -> HttpResponse:
    return render(request, "404.html", status=404)


def _page(request: StaffRequest, emergency_pk: int, *, status: int, **parts) -> HttpResponse:
    try:
        emergency = emergency_with_interventions(emergency_pk)
    except Emergency.DoesNotExist:
        return _not_found(request)
    return _render_detail(request, emergency, parts=parts, status=status)


def _code(exc: ValidationError) -> str | None:
    return getattr(exc, "code", None)


def _time(value) -> str:
    return timezone.localtime(value).strftime("%H:%M:%S")


def _repeat_fields(data: dict) -> list[tuple[str, str]]:
    """The pressed button's values, posted again with ``confirm`` when the question is answered yes."""
    at = data.get("at")
    return [
        ("kind", data["kind"]),
        ("at", timezone.localtime(at).strftime(DATETIME_SECONDS) if at else ""),
        ("route", data.get("route") or ""),
        ("dose_mg", format(data["dose_mg"], "f") if data.get("dose_mg") is not None else ""),
        ("note", data.get("note") or ""),
        ("confirm", "1"),
    ]


@require_POST
@permission_required("health.change_emergency")
def emergency_intervention(request: StaffRequest, pk: int) -> HttpResponse:
    """One press of an intervention button, now or at an earlier time, during the emergency or after it.

    The emergency is read once, locked, by the service: a missing one is found there.
    """
    form = InterventionForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, intervention_form=form, status=400)
    data = form.cleaned_data
    try:
        intervention = services.emergency_intervention_add(
            emergency=pk,
            kind=data["kind"],
            by=request.user,
            route=data["route"],
            dose_mg=data["dose_mg"],
            at=data["at"],
            note=data["note"],
            confirm=data["confirm"],
        )
    except Emergency.DoesNotExist:
        return _not_found(request)
    except ValidationError as exc:
        if _code(exc) == "repeat":
            return _page(
                request,
                pk,
                intervention_form=form,
                repeat_question=exc.messages[0],
                repeat_fields=_repeat_fields(data),
                status=409,
            )
        form.add_error(None, exc)
        return _page(request, pk, intervention_form=form, status=400)
    recorded = _("%(what)s recorded at %(time)s.") % {"what": intervention, "time": _time(intervention.at)}
    messages.success(request, recorded)
    return redirect("health:emergency-detail", pk=pk)


@require_POST
@permission_required("health.change_emergency")
def intervention_correct(request: StaffRequest, pk: int) -> HttpResponse:
    intervention = Intervention.objects.filter(pk=pk).first()
    if intervention is None:
        return _not_found(request)
    emergency_pk = intervention.emergency_id
    form = InterventionCorrectForm(request.POST, kind=intervention.kind, prefix=correct_prefix(pk))
    if not form.is_valid():
        return _page(request, emergency_pk, refused_intervention=pk, correct_form=form, status=400)
    data = form.cleaned_data
    try:
        services.intervention_correct(
            intervention=intervention,
            by=request.user,
            at=data["at"],
            route=data.get("route", ""),
            dose_mg=data.get("dose_mg"),
            note=data["note"],
            reason=data["reason"],
            seen_version=data["seen_version"],
        )
    except StaleEdit as exc:
        # Nothing was saved: the form shows the intervention as it is now, with what changed and what
        # this member of staff entered, so the correction can be made again if it still applies.
        intervention.refresh_from_db()
        return _page(
            request,
            emergency_pk,
            refused_intervention=pk,
            correct_form=fresh_correction_form(intervention),
            stale=exc,
            submitted=submitted_values(form),
            status=409,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, emergency_pk, refused_intervention=pk, correct_form=form, status=400)
    messages.success(request, _("The correction is saved. The earlier values are kept and shown with it."))
    return redirect("health:emergency-detail", pk=emergency_pk)


@require_POST
@permission_required("health.change_emergency")
def intervention_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    intervention = Intervention.objects.filter(pk=pk).first()
    if intervention is None:
        return _not_found(request)
    emergency_pk = intervention.emergency_id
    form = WithdrawForm(request.POST, prefix=withdraw_prefix(pk))
    if not form.is_valid():
        return _page(request, emergency_pk, refused_intervention=pk, withdraw_form=form, status=400)
    try:
        services.intervention_withdraw(
            intervention=intervention,
            by=request.user,
            reason=form.cleaned_data["reason"],
            seen_version=form.cleaned_data["seen_version"],
        )
    except StaleEdit as exc:
        return _page(
            request,
            emergency_pk,
            refused_intervention=pk,
            stale=exc,
            submitted=submitted_values(form),
            status=409,
        )
    except ValidationError as exc:
        if _code(exc) == "already_withdrawn":
            messages.warning(request, exc.messages[0])
            return redirect("health:emergency-detail", pk=emergency_pk)
        form.add_error(None, exc)
        return _page(request, emergency_pk, refused_intervention=pk, withdraw_form=form, status=400)
    messages.success(
        request, _("The intervention is withdrawn: it stays on the record, struck through, and no longer counts.")
    )
    return redirect("health:emergency-detail", pk=emergency_pk)


@require_POST
@permission_required("health.change_emergency")
def emergency_vitals(request: StaffRequest, pk: int) -> HttpResponse:
    emergency = Emergency.objects.filter(pk=pk).first()
    if emergency is None:
        return _not_found(request)
    form = VitalSignsForm(request.POST, closed=emergency.ended_at is not None)
    if not form.is_valid():
        return _page(request, pk, vitals_form=form, status=400)
    try:
        vitals = services.vital_signs_record(emergency=emergency, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _page(request, pk, vitals_form=form, status=400)
    messages.success(request, _("Vital signs recorded at %(time)s.") % {"time": _time(vitals.at)})
    return redirect("health:emergency-detail", pk=pk)


@require_POST
@permission_required("health.change_emergency")
def vital_signs_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    vitals = VitalSigns.objects.filter(pk=pk).first()
    if vitals is None:
        return _not_found(request)
    emergency_pk = vitals.emergency_id
    form = WithdrawForm(request.POST, prefix=vitals_withdraw_prefix(pk))
    if not form.is_valid():
        return _page(request, emergency_pk, refused_vitals=pk, vitals_withdraw_form=form, status=400)
    try:
        services.vital_signs_withdraw(vital_signs=vitals, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        if _code(exc) == "already_withdrawn":
            messages.warning(request, exc.messages[0])
            return redirect("health:emergency-detail", pk=emergency_pk)
        form.add_error(None, exc)
        return _page(request, emergency_pk, refused_vitals=pk, vitals_withdraw_form=form, status=400)
    messages.success(request, _("The vital signs are withdrawn: they stay on the record, struck through."))
    return redirect("health:emergency-detail", pk=emergency_pk)

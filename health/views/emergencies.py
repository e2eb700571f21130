"""Emergencies: one click to open, big buttons while it happens, the full record afterwards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record
from bergen_injection.http import safe_next_url
from core.versioning import StaleEdit, submitted_values
from health import services
from health.forms import (
    DATETIME_SECONDS,
    CloseEmergencyForm,
    EmergencyRecordForm,
    OpenEmergencyForm,
)
from health.models import Emergency
from health.selectors import emergency_history, emergency_with_interventions
from health.views.emergency_parts import page_parts
from staff.permissions import permission_required
from visits.models import Client


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = safe_next_url(request, request.POST.get("next", ""))
    return HttpResponseRedirect(target) if target else redirect(fallback)


@require_POST
@permission_required("health.add_emergency")
def emergency_open(request: HttpRequest) -> HttpResponse:
    """Open an emergency for a client, from a booth card, an observation card, the board or the health room."""
    client = None
    if request.POST.get("client_id", "").isdigit():
        client = Client.objects.filter(pk=int(request.POST["client_id"])).first()
    else:
        form = OpenEmergencyForm(request.POST)
        if form.is_valid():
            client = form.cleaned_data["client"]
        else:
            for error in form.errors.get("client", []):
                messages.error(request, error)
            return _back(request, "health:room")
    if client is None:
        messages.error(request, _("That client does not exist."))
        return _back(request, "health:room")
    emergency, created = services.emergency_open(client=client, by=request.user)
    if created:
        messages.error(request, _("Emergency opened for %(code)s.") % {"code": client.code})
    else:
        messages.warning(request, _("An emergency is already open for %(code)s.") % {"code": client.code})
    if request.user.has_perm("health.view_emergency"):
        return redirect("health:emergency-detail", pk=emergency.pk)
    return _back(request, "visits:floor")


@require_GET
@permission_required("health.view_emergency")
def emergency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        emergency = emergency_with_interventions(pk)
    except Emergency.DoesNotExist:
        return render(request, "404.html", status=404)
    access_log_record(request=request, client=emergency.client, kind=AccessLogEntry.Kind.EMERGENCY)
    return _render_detail(request, emergency)


def _record_initial(emergency: Emergency) -> dict:
    local = timezone.localtime

    def fmt(value):
        return local(value).strftime(DATETIME_SECONDS) if value else None

    return {
        "kind": emergency.kind,
        "place": emergency.place,
        "signs": emergency.signs,
        "started_at": fmt(emergency.started_at),
        "ended_at": fmt(emergency.ended_at),
        "ambulance_called_at": fmt(emergency.ambulance_called_at),
        "ambulance_arrived_at": fmt(emergency.ambulance_arrived_at),
        "police_called_at": fmt(emergency.police_called_at),
        "staff_involved": list(emergency.staff_involved.all()),
        "notes": emergency.notes,
        "seen_version": emergency.version,
    }


def _render_detail(
    request, emergency, *, record_form=None, close_form=None, stale=None, submitted=None, parts=None, status=200
):
    """The emergency page; ``parts`` are the forms of the interventions, vital signs (see emergency_parts)."""
    can_change = request.user.has_perm("health.change_emergency")
    return render(
        request,
        "health/emergency.html",
        {
            "active_station": "health",
            "emergency": emergency,
            "now": timezone.now(),
            "can_change": can_change,
            "close_form": close_form or CloseEmergencyForm(),
            "record_form": record_form
            or EmergencyRecordForm(initial=_record_initial(emergency), closed=emergency.ended_at is not None),
            "history": emergency_history(emergency),
            "stale": stale,
            "submitted": submitted,
            **page_parts(request, emergency, can_change=can_change, **(parts or {})),
        },
        status=status,
    )


def _get(pk: int) -> Emergency:
    return get_object_or_404(Emergency, pk=pk)


def _refused(request, emergency, exc: ValidationError) -> HttpResponse:
    for message in exc.messages:
        messages.error(request, message)
    return redirect("health:emergency-detail", pk=emergency.pk)


@require_POST
@permission_required("health.change_emergency")
def emergency_mark(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    emergency = _get(pk)
    try:
        services.emergency_mark(emergency=emergency, what=what, by=request.user)
    except ValidationError as exc:
        return _refused(request, emergency, exc)
    return redirect("health:emergency-detail", pk=pk)


@require_POST
@permission_required("health.change_emergency")
def emergency_close(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = _get(pk)
    form = CloseEmergencyForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, emergency_with_interventions(pk), close_form=form, status=400)
    try:
        services.emergency_close(emergency=emergency, outcome=form.cleaned_data["outcome"], by=request.user)
    except ValidationError as exc:
        return _refused(request, emergency, exc)
    messages.success(request, _("The emergency is closed. Complete the record below if anything is missing."))
    return redirect("health:emergency-detail", pk=pk)


@require_http_methods(["POST"])
@permission_required("health.change_emergency")
def emergency_record(request: HttpRequest, pk: int) -> HttpResponse:
    emergency = emergency_with_interventions(pk) if Emergency.objects.filter(pk=pk).exists() else None
    if emergency is None:
        return render(request, "404.html", status=404)
    form = EmergencyRecordForm(request.POST, closed=emergency.ended_at is not None)
    if form.is_valid():
        try:
            services.emergency_update(emergency=emergency, by=request.user, **form.cleaned_data)
        except StaleEdit as exc:
            # Nothing was saved: the form shows the record as it is now, and the difference beside
            # what this member of staff entered, so their change can be entered again.
            emergency = emergency_with_interventions(pk)
            fresh = EmergencyRecordForm(initial=_record_initial(emergency), closed=emergency.ended_at is not None)
            return _render_detail(
                request, emergency, record_form=fresh, stale=exc, submitted=submitted_values(form), status=409
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The record is saved. The earlier version is kept in its history."))
            return redirect("health:emergency-detail", pk=pk)
    return _render_detail(request, emergency, record_form=form, status=400)

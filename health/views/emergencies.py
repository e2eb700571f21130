"""Emergencies: one click to open, big buttons while it happens, the full record afterwards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record
from core.forms import DATETIME_SECONDS
from core.http import safe_next_url
from core.versioning import StaleEdit, submitted_values
from health import services
from health.forms import (
    CloseEmergencyForm,
    EmergencyRecordForm,
    LinkClientForm,
    OpenEmergencyForm,
    UnknownPersonEmergencyForm,
)
from health.models import Emergency
from health.selectors import emergency_history, emergency_with_interventions
from health.views.emergency_parts import page_parts
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.board_actions import answer
from visits.models import Client


def _back(request: StaffRequest, fallback: str) -> HttpResponse:
    target = safe_next_url(request, request.POST.get("next", ""))
    return HttpResponseRedirect(target) if target else redirect(fallback)


def _opened(request: StaffRequest, emergency: Emergency, created: bool) -> HttpResponse:
    """Where a press of the emergency button leads: to the record for those who keep it, else back.

    From a board (htmx) the whole page goes to the record; someone who may not see the record gets
    the message above the board, which then refreshes with the emergency in red.
    """
    if created:
        message = _("Emergency opened for %(code)s.") % {"code": emergency.who}
    else:
        message = _("An emergency is already open for %(code)s.") % {"code": emergency.who}
    if request.user.has_perm("health.view_emergency"):
        if request.htmx:
            response = HttpResponse()
            response["HX-Redirect"] = reverse("health:emergency-detail", args=[emergency.pk])
            return response
        (messages.error if created else messages.warning)(request, message)
        return redirect("health:emergency-detail", pk=emergency.pk)
    if request.htmx:
        return answer(request, error=message)
    (messages.error if created else messages.warning)(request, message)
    return _back(request, "visits:floor")


@require_POST
@permission_required("health.add_emergency")
def emergency_open(request: StaffRequest) -> HttpResponse:
    """Open an emergency for a client, from any board, the client card, reception or the health room."""
    client: Client | int | None = None
    if "client_id" in request.POST:
        raw = request.POST["client_id"].strip()
        if raw.isdigit() and len(raw) < 10:
            client = int(raw)  # read once, locked, by the service
    else:
        form = OpenEmergencyForm(request.POST)
        if form.is_valid():
            client = form.cleaned_data["client"]
        else:
            for error in form.errors.get("client", []):
                messages.error(request, str(error))
            return _back(request, "health:room")
    if client is not None:
        try:
            emergency, created = services.emergency_open(client=client, by=request.user)
        except Client.DoesNotExist:
            pass
        else:
            return _opened(request, emergency, created)
    if request.htmx:
        return answer(request, error=_("That client does not exist."))
    messages.error(request, _("That client does not exist."))
    return _back(request, "health:room")


@require_http_methods(["GET", "POST"])
@permission_required("health.add_emergency")
def emergency_open_unknown(request: StaffRequest) -> HttpResponse:
    """An emergency for a person who is not registered or not known: where, roughly who, no name."""
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.method == "POST":
        form = UnknownPersonEmergencyForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                emergency, created = services.emergency_open_unknown(
                    by=request.user,
                    place=data["place"],
                    age_band=data["age_band"],
                    gender=data["gender"],
                    description=data["description"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return _opened(request, emergency, created)
    else:
        form = UnknownPersonEmergencyForm(initial={"place": request.GET.get("place") or Emergency.Place.OUTSIDE})
    return render(
        request,
        "health/emergency_unknown.html",
        {"active_station": "health", "form": form, "next": next_url},
        status=400 if form.is_bound else 200,
    )


@require_POST
@permission_required("health.change_emergency")
def emergency_link(request: StaffRequest, pk: int) -> HttpResponse:
    """Link an emergency opened for an unknown person to the client code found for them."""
    emergency = _get(pk)
    form = LinkClientForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("health:emergency-detail", pk=pk)
    try:
        emergency = services.emergency_link_client(
            emergency=emergency,
            client=form.cleaned_data["client"],
            by=request.user,
            seen_version=form.cleaned_data["seen_version"],
        )
    except ValidationError as exc:
        return _refused(request, emergency, exc)
    messages.success(
        request,
        _("The emergency is linked to %(code)s. The history keeps that it was opened for an unknown person.")
        % {"code": form.cleaned_data["client"].code},
    )
    return redirect("health:emergency-detail", pk=pk)


@require_GET
@permission_required("health.view_emergency")
def emergency_detail(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        emergency = emergency_with_interventions(pk)
    except Emergency.DoesNotExist:
        return render(request, "404.html", status=404)
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
) -> HttpResponse:
    """The emergency page; ``parts`` are the forms of the interventions, vital signs (see emergency_parts).

    Every drawing of it shows the record, a refused form's too: each one writes the access entry.
    """
    if emergency.client_id is not None:  # an unknown person's record belongs to no client's record
        access_log_record(request=request, client=emergency.client, kind=AccessLogEntry.Kind.EMERGENCY)
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
            "link_form": LinkClientForm(initial={"seen_version": emergency.version}),
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
def emergency_mark(request: StaffRequest, pk: int, what: str) -> HttpResponse:
    emergency = _get(pk)
    try:
        services.emergency_mark(emergency=emergency, what=what, by=request.user)
    except ValidationError as exc:
        return _refused(request, emergency, exc)
    return redirect("health:emergency-detail", pk=pk)


@require_POST
@permission_required("health.change_emergency")
def emergency_close(request: StaffRequest, pk: int) -> HttpResponse:
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
def emergency_record(request: StaffRequest, pk: int) -> HttpResponse:
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

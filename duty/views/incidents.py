"""Security incidents: recorded by the duty officer, listed for the reports, the way to a ban."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from core.days import local_midnight
from core.versioning import StaleEdit, submitted_values
from duty.forms import IncidentCorrectionForm, IncidentFilterForm, IncidentForm
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.models import Incident
from visits.selectors.incidents import incident_corrections, incident_counts, incident_detail_queryset, incident_list
from visits.services.incidents import incident_correct, incident_record

LIST_SIZE = 100


def _month_start(day: dt.date) -> dt.datetime:
    return local_midnight(day.replace(day=1))


def _incident_values(data: dict) -> dict:
    """What the incident form holds, as the services take it."""
    area, room = data["place"]
    return {
        "kind": data["kind"],
        "occurred_at": data["occurred_at"],
        "area": area,
        "room": room,
        "clients": data["client_codes"],
        "staff": list(data["staff"]),
        "other_party": data["other_party"],
        "description": data["description"],
        "action_taken": data["action_taken"],
        "police_called": data["police_called"],
    }


def _log_views(request: StaffRequest, incidents: list[Incident]) -> None:
    """What happened and what was done, about the clients involved: a view of each one's record."""
    clients = [client for incident in incidents for client in incident.clients.all()]
    access_log_record_many(request=request, clients=clients, kind=AccessLogEntry.Kind.INCIDENT)


@permission_required("visits.view_incident")
def incident_list_view(request: StaffRequest) -> HttpResponse:
    form = IncidentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    incidents = list(incident_list(**filters)[:LIST_SIZE])
    _log_views(request, incidents)
    now = timezone.now()
    month_start = _month_start(timezone.localdate(now))
    counts = incident_counts(month_start, now + dt.timedelta(seconds=1))
    return render(
        request,
        "staff/incident_list.html",
        {
            "active_station": "incidents",
            "form": form,
            "incidents": incidents,
            "list_size": LIST_SIZE,
            "month_start": month_start,
            "counts": counts,
            "counts_by_kind": [
                (label, counts.by_kind[value]) for value, label in Incident.Kind.choices if counts.by_kind[value]
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_incident")
def incident_create(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                incident = incident_record(**_incident_values(form.cleaned_data), by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The incident is recorded."))
                return redirect("staff:incident-detail", pk=incident.pk)
    else:
        now = timezone.localtime()
        form = IncidentForm(initial={"date": now.date(), "time": now.time().replace(second=0, microsecond=0)})
    return render(request, "staff/incident_form.html", {"active_station": "incidents", "form": form})


@permission_required("visits.view_incident")
def incident_detail(request: StaffRequest, pk: int) -> HttpResponse:
    incident = get_object_or_404(incident_detail_queryset(), pk=pk)
    banned = {ban.client_id for ban in incident.bans.all()}
    _log_views(request, [incident])
    return render(
        request,
        "staff/incident_detail.html",
        {
            "active_station": "incidents",
            "incident": incident,
            "clients": [(client, client.pk in banned) for client in incident.clients.all()],
            "can_ban": request.user.has_perm("visits.add_ban"),
            "can_correct": request.user.has_perm("visits.change_incident"),
            "corrections": incident_corrections(incident),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("visits.change_incident")
def incident_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """Correct a recorded incident: a wrong time, a client left out, a description to complete."""
    incident = get_object_or_404(incident_detail_queryset(), pk=pk)
    form = IncidentCorrectionForm(request.POST or None, incident=incident)
    _log_views(request, [incident])
    context = {"active_station": "incidents", "form": form, "incident": incident}
    status = 200
    if request.method == "POST" and form.is_valid():
        values = _incident_values(form.cleaned_data)
        try:
            incident_correct(
                incident=incident,
                **values,
                reason=form.cleaned_data["reason"],
                seen_version=form.cleaned_data["seen_version"],
                by=request.user,
            )
        except StaleEdit as exc:
            # Nothing was saved: the form shows the incident as it is now, with what changed and what
            # this person entered beside it, so the correction can be made again on top of the other.
            incident = get_object_or_404(incident_detail_queryset(), pk=pk)
            context |= {
                "form": IncidentCorrectionForm(incident=incident),
                "incident": incident,
                "stale": exc,
                "submitted": submitted_values(form),
            }
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The correction is saved."))
            return redirect("staff:incident-detail", pk=incident.pk)
    return render(request, "staff/incident_form.html", context, status=status)

"""The paramedic sheet: one printed A4 page handed over with the person, from the emergency page in one click."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import AccessLogEntry
from audit.services import access_log_record
from health.models import Emergency
from health.selectors import paramedic_sheet
from staff.permissions import permission_required
from staff.requests import StaffRequest


@require_GET
@permission_required("health.view_emergency")
def emergency_sheet(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        sheet = paramedic_sheet(pk)
    except Emergency.DoesNotExist:
        return render(request, "404.html", status=404)
    emergency = sheet["emergency"]
    if emergency.client_id:
        # A printout leaves the building with the person: who made it is in the access log.
        access_log_record(request=request, client=emergency.client, kind=AccessLogEntry.Kind.PARAMEDIC_SHEET)
    return render(request, "health/paramedic_sheet.html", {**sheet, "now": timezone.now()})

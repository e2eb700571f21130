"""The client timeline: one page per client, a month at a time."""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from audit.models import AccessLogEntry
from audit.services import access_log_record_views
from core.dates import in_range, month_from_query
from staff.permissions import permission_required
from staff.requests import StaffRequest
from stations.selectors.timeline import client_timeline
from visits.models import Client


def _number(raw: str) -> int:
    """A page of the month, counting from its latest items; anything else as the first."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 6 else 1


def _year(raw: str) -> int | None:
    """A year of the index (``?year=2024``) within the dates the facility keeps; anything else as none."""
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        return None
    year = int(raw)
    return year if dt.MINYEAR <= year and in_range(dt.date(year, 1, 1)) else None


@require_GET
@permission_required("visits.view_client")
def client_timeline_view(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client.objects.select_related("registered_by"), pk=pk)
    page = client_timeline(
        client,
        request.user,
        # A month that is no good leaves a message on the page, which shows the latest month instead.
        month=month_from_query(request, request.GET.get("month", "")),
        # A year of the index: its latest month with anything.
        year=_year(request.GET.get("year", "")),
        number=_number(request.GET.get("page", "")),
    )
    # Opening a client's timeline, each month of it, is an access to their record (and to their counseling
    # notes, for those who are shown them): one entry per kind, in one insert.
    kinds = [AccessLogEntry.Kind.TIMELINE]
    if request.user.has_perm("counseling.view_counseling_notes"):
        kinds.append(AccessLogEntry.Kind.COUNSELING)
    access_log_record_views(request=request, client=client, kinds=kinds)
    return render(request, "counseling/timeline.html", {"page": page, "client": client})

"""The client timeline: one page per client, a month at a time."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from counseling.selectors.timeline import client_timeline
from staff.permissions import permission_required
from visits.models import Client


def _month(raw: str) -> dt.date | None:
    """``2025-03`` as the first of that month; anything else as no month (the latest is shown)."""
    try:
        year, month = (int(part) for part in raw.split("-"))
        return dt.date(year, month, 1) if 1900 <= year <= 2200 else None
    except ValueError:
        return None


@require_GET
@permission_required("visits.view_client")
def client_timeline_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Opening a client's timeline is an access to their record; the access log hooks in here.
    client = get_object_or_404(Client.objects.select_related("registered_by"), pk=pk)
    page = client_timeline(client, request.user, month=_month(request.GET.get("month", "")))
    return render(request, "counseling/timeline.html", {"page": page, "client": client})

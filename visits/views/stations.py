"""Station pages that show the facility as configured: rooms, hours and the lists each station uses."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from staff.permissions import station_required
from visits.models import EquipmentItem, Room
from visits.selectors.facility import today_hours


def _overview(request: HttpRequest, *, station: str, room_kinds: list[str], **extra) -> HttpResponse:
    now = timezone.now()
    context = {
        "active_station": station,
        "now": now,
        "hours": today_hours(now),
        "rooms": Room.objects.filter(kind__in=room_kinds),
        **extra,
    }
    return render(request, f"visits/{station}.html", context)


@station_required("health")
def health(request: HttpRequest) -> HttpResponse:
    return _overview(
        request,
        station="health",
        room_kinds=[Room.Kind.HEALTH],
        equipment=EquipmentItem.objects.filter(enabled=True),
    )

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from counseling.models import ReferralService
from staff.permissions import station_required
from visits.models import Room
from visits.selectors.facility import today_hours


@station_required("interview")
def interview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "counseling/interview.html",
        {
            "active_station": "interview",
            "hours": today_hours(timezone.now()),
            "rooms": Room.objects.filter(kind=Room.Kind.INTERVIEW),
            "services": ReferralService.objects.filter(enabled=True),
        },
    )

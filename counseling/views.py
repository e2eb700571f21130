"""The interview room: intake interviews for new clients."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from counseling.forms import IntakeForm
from counseling.selectors import clients_awaiting_intake, intakes_today, visits_in_interview_room
from counseling.services import intake_record
from staff.permissions import permission_required, station_required
from visits.models import Client


@require_GET
@station_required("interview")
def interview(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "counseling/interview.html",
        {
            "active_station": "interview",
            "awaiting": clients_awaiting_intake(),
            "in_room": visits_in_interview_room(),
            "intakes_today": intakes_today(now),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("counseling.add_intake")
def intake_create(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            try:
                intake = intake_record(client=client, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if intake.outcome == intake.Outcome.ACCEPTED:
                    messages.success(
                        request, _("%(code)s is accepted and can now be checked in.") % {"code": client.code}
                    )
                else:
                    messages.info(request, _("%(code)s was refused at intake.") % {"code": client.code})
                return redirect("counseling:interview")
    else:
        form = IntakeForm()
    return render(
        request, "counseling/intake_form.html", {"active_station": "interview", "form": form, "client": client}
    )

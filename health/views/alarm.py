"""The alarm banner's poll (staff and wall displays) and "I am on it"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import safe_next_url
from health import services
from health.alarm import banner_context
from health.models import Emergency
from health.selectors import open_emergencies
from staff.displays import display_required
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.board_poll import shown_version
from visits.selectors.floor import floor_version


def _poll(request: StaffRequest) -> HttpResponse:
    """The whole way of a poll (most are answered "no change" by ``visits.board_poll``)."""
    version = floor_version()
    if shown_version(request) == version:
        return HttpResponse(status=204)
    return render(
        request, "health/partials/_alarm.html", banner_context(request, version=version, emergencies=open_emergencies())
    )


@require_GET
def alarm(request: StaffRequest) -> HttpResponse:
    """Every signed-in page's banner: every member of staff is told, whatever their role."""
    return _poll(request)


@require_GET
@display_required
def display_alarm(request: StaffRequest) -> HttpResponse:
    return _poll(request)


@require_POST
@permission_required("health.add_emergency")
def emergency_answer(request: StaffRequest, pk: int) -> HttpResponse:
    """ "I am on it": recorded once per person; the banner is drawn again with who answered (htmx)."""
    emergency = Emergency.objects.filter(pk=pk).first()
    if emergency is None:
        return render(request, "404.html", status=404)
    error = ""
    try:
        services.emergency_answer(emergency=emergency, by=request.user)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if request.htmx:
        return render(
            request,
            "health/partials/_alarm.html",
            banner_context(request, version=floor_version(), emergencies=open_emergencies()),
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("You are on it: the others see your name."))
    target = safe_next_url(request, request.POST.get("next", ""))
    return HttpResponseRedirect(target) if target else redirect("staff:landing")

"""The handover log: write at the end of a shift, read and acknowledge at the start of the next."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from core.http import safe_next_url
from duty.forms import HandoverForm, HandoverSearchForm
from duty.models import Handover
from duty.selectors.handover import (
    handover_detail_queryset,
    handover_log,
    handover_period_start,
    handovers_unread,
    incidents_since,
    open_visits_snapshot,
)
from duty.selectors.roster import duty_shift_of
from duty.services.handover import handover_acknowledge as acknowledge
from duty.services.handover import handover_write
from staff.permissions import permission_required
from staff.requests import StaffRequest

LOG_PAGE_SIZE = 50


def _log_views(request: StaffRequest, handovers: list[Handover]) -> None:
    """A handover's notes are about its clients of concern: reading them is a view of each one's record."""
    clients = [client for handover in handovers for client in handover.clients_of_concern.all()]
    access_log_record_many(request=request, clients=clients, kind=AccessLogEntry.Kind.HANDOVER)


@permission_required("duty.view_handover")
def handover_list(request: StaffRequest) -> HttpResponse:
    """The log, newest first, searchable by date and by a client's code."""
    form = HandoverSearchForm(request.GET or None)
    date, code = None, ""
    if form.is_valid():
        date, code = form.cleaned_data["date"], form.cleaned_data["code"]
    handovers = list(handover_log(date=date, client_code=code)[:LOG_PAGE_SIZE])
    _log_views(request, handovers)
    return render(
        request,
        "staff/handover_list.html",
        {
            "active_station": "handover",
            "form": form,
            "handovers": handovers,
            "searched": bool(date or code),
            "page_size": LOG_PAGE_SIZE,
        },
    )


@permission_required("duty.acknowledge_handover")
def handover_unread(request: StaffRequest) -> HttpResponse:
    """The handovers the logged-in duty officer has yet to read, oldest first, to acknowledge one by one."""
    unread = (
        handovers_unread(request.user, timezone.now())
        .select_related("written_by", "shift")
        .prefetch_related("clients_of_concern", "incidents", "acknowledgements__user")
    )
    handovers = list(unread)
    _log_views(request, handovers)
    return render(request, "staff/handover_unread.html", {"active_station": "handover", "handovers": handovers})


@require_http_methods(["GET", "POST"])
@permission_required("duty.add_handover")
def handover_create(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = HandoverForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                handover = handover_write(
                    by=request.user,
                    client_codes=[client.code for client in data["client_codes"]],
                    concern_notes=data["concern_notes"],
                    incidents_note=data["incidents_note"],
                    open_matters=data["open_matters"],
                    stock_problems=data["stock_problems"],
                    other_notes=data["other_notes"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The handover is written. The next duty officer will see it."))
                return redirect("staff:handover-detail", pk=handover.pk)
    else:
        form = HandoverForm()
    now = timezone.now()
    shift = duty_shift_of(request.user, now)
    return render(
        request,
        "staff/handover_form.html",
        {
            "active_station": "handover",
            "form": form,
            "shift": shift,
            "incidents": incidents_since(handover_period_start(shift, now), now),
            "open_visits": open_visits_snapshot(),
        },
    )


@permission_required("duty.view_handover")
def handover_detail(request: StaffRequest, pk: int) -> HttpResponse:
    handover = get_object_or_404(handover_detail_queryset(), pk=pk)
    acknowledged_by_me = any(ack.user_id == request.user.pk for ack in handover.acknowledgements.all())
    _log_views(request, [handover])
    return render(
        request,
        "staff/handover_detail.html",
        {
            "active_station": "handover",
            "handover": handover,
            "can_acknowledge": request.user.has_perm("duty.acknowledge_handover")
            and handover.written_by_id != request.user.pk
            and not acknowledged_by_me,
        },
    )


@require_POST
@permission_required("duty.acknowledge_handover")
def handover_acknowledge(request: StaffRequest, pk: int) -> HttpResponse:
    handover = get_object_or_404(handover_detail_queryset(), pk=pk)
    try:
        acknowledge(handover=handover, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Handover from %(name)s acknowledged.") % {"name": handover.written_by.display_name},
        )
    target = safe_next_url(request, request.POST.get("next"))
    return HttpResponseRedirect(target) if target else redirect("staff:handover-detail", pk=handover.pk)

"""The interview room: intake interviews, counseling sessions, referrals to follow up, take-up."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.models import AccessLogEntry
from audit.services import access_log_record_lists
from core.dates import Window
from core.days import day_start
from counseling.forms import CounselingSessionForm, IntakeForm
from counseling.selectors import (
    clients_awaiting_intake,
    intakes_today,
    referrals_follow_up_due,
    referrals_take_up,
    sessions_since,
    visits_in_interview_room,
)
from counseling.services import counseling_session_record, intake_record
from staff.fieldclasses import FieldClass, may_read
from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from visits.models import Client

SESSIONS_SHOWN_DAYS = 7


@require_GET
@station_required("interview")
def interview(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate(now)
    context = {
        "active_station": "interview",
        "now": now,
        "today": today,
        "awaiting": clients_awaiting_intake(),
        "in_room": visits_in_interview_room(),
        "intakes_today": intakes_today(now),
    }
    # What each list shows of whom: one entry per client and kind, all written in one insert at the end.
    shown: list[tuple[AccessLogEntry.Kind, list[Client]]] = []
    if request.user.has_perm("counseling.view_referral"):
        month = Window.month_of(today)
        take_up = referrals_take_up(month.start, month.end)
        follow_ups = referrals_follow_up_due(today)
        # Each row names a client and the service they were referred to (LAR, detox ...): a view of
        # their referrals.
        shown.append((AccessLogEntry.Kind.REFERRAL, [r.client for r in (*follow_ups.overdue, *follow_ups.due_today)]))
        context |= {
            "follow_ups": follow_ups,
            "take_up": take_up,
            "take_up_month": month.month,
            "take_up_total": {
                key: sum(getattr(row, key) for row in take_up) for key in ("made", "accepted", "attended")
            },
        }
    if request.user.has_perm("counseling.view_counselingsession"):
        sessions = sessions_since(day_start(now) - dt.timedelta(days=SESSIONS_SHOWN_DAYS - 1))
        # The week's sessions show each client's times and topics, and to those who read counseling text
        # the agreed next steps and notes: one entry per listed client of what was shown.
        reads_notes = may_read(request.user, FieldClass.COUNSELING)
        kind = AccessLogEntry.Kind.COUNSELING if reads_notes else AccessLogEntry.Kind.SESSIONS
        shown.append((kind, [s.client for s in sessions]))
        context["sessions"] = sessions
    access_log_record_lists(request=request, shown=shown)
    return render(request, "counseling/interview.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("counseling.add_intake")
def intake_create(request: StaffRequest, pk: int) -> HttpResponse:
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


def client_from_query(request: StaffRequest) -> Client | None:
    """The client named by ?client=<id>, to start a form with their code filled in."""
    pk = request.GET.get("client", "")
    return Client.objects.filter(pk=pk).first() if pk.isdigit() else None


def _session_initial(request: StaffRequest) -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    now -= dt.timedelta(minutes=now.minute % 5)
    started = now - dt.timedelta(minutes=30)
    initial = {"date": started.date(), "starts": started.time(), "ends": now.time()}
    client = client_from_query(request)
    if client is not None:
        initial["client"] = client.code
    return initial


@require_http_methods(["GET", "POST"])
@permission_required("counseling.add_counselingsession")
def session_create(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = CounselingSessionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = counseling_session_record(
                    client=data["client"],
                    by=request.user,
                    started_at=data["started_at"],
                    ended_at=data["ended_at"],
                    topics=data["topics"],
                    notes=data["notes"],
                    next_steps=data["next_steps"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("The counseling session with %(code)s is saved.") % {"code": session.client.code}
                )
                return redirect("counseling:interview")
    else:
        form = CounselingSessionForm(initial=_session_initial(request))
    return render(
        request,
        "counseling/session_form.html",
        {"active_station": "interview", "form": form},
        status=400 if form.errors else 200,
    )

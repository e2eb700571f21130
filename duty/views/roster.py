"""The roster: the week view coordinators plan in and duty officers read, and each person's own shifts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.dates import day_from_query
from core.versioning import StaleEdit, submitted_values
from duty.forms import ShiftForm
from duty.models import Shift
from duty.selectors.roster import roster_week, shifts_of, week_start
from duty.services import roster as roster_services
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.selectors.facility import opening_hours_on


def _week_param(request: StaffRequest, value: str | None, default: dt.date) -> dt.date:
    day = day_from_query(request, value)
    return week_start(day) if day else default


def _week_url(monday: dt.date) -> str:
    return f"{reverse('staff:roster')}?week={monday.isoformat()}"


@permission_required("duty.view_roster", "duty.plan_roster")
def roster(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    this_week = week_start(timezone.localdate(now))
    monday = _week_param(request, request.GET.get("week"), this_week)
    days = roster_week(monday, now)
    return render(
        request,
        "staff/roster.html",
        {
            "active_station": "roster",
            "monday": monday,
            "sunday": monday + dt.timedelta(days=6),
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "this_week": this_week,
            "days": days,
            "today": timezone.localdate(now),
            "week_is_empty": not any(day.shifts for day in days),
            "can_plan": request.user.has_perm("duty.plan_roster"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("duty.plan_roster")
def shift_create(request: StaffRequest) -> HttpResponse:
    day = day_from_query(request, request.GET.get("date")) or timezone.localdate()
    monday = week_start(day)
    if request.method == "POST":
        form = ShiftForm(request.POST, repeat_week=monday)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shifts = roster_services.shifts_plan(
                    days=[data["date"], *data.get("repeat", [])],
                    starts=data["starts"],
                    ends=data["ends"],
                    duty_officer=data["duty_officer"],
                    members=data["members"],
                    note=data["note"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(count)d shift planned.", "%(count)d shifts planned.", len(shifts))
                    % {"count": len(shifts)},
                )
                return redirect(_week_url(week_start(data["date"])))
    else:
        hours = opening_hours_on(day)
        initial: dict[str, Any] = {"date": day}
        if hours is not None:
            initial |= {
                "starts": timezone.localtime(hours.opens).time(),
                "ends": timezone.localtime(hours.closes).time(),
            }
        form = ShiftForm(initial=initial, repeat_week=monday)
    return render(
        request,
        "staff/shift_form.html",
        {"active_station": "roster", "form": form, "shift": None, "back": _week_url(monday)},
    )


@require_http_methods(["GET", "POST"])
@permission_required("duty.plan_roster")
def shift_update(request: StaffRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift.objects.prefetch_related("assignments__user"), pk=pk)
    back = _week_url(week_start(shift.date))
    context = {"active_station": "roster", "shift": shift, "back": back}
    status = 200
    if request.method == "POST":
        form = ShiftForm(request.POST, versioned=True)
        if form.is_valid():
            data = form.cleaned_data
            try:
                roster_services.shift_update(
                    shift=shift,
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    duty_officer=data["duty_officer"],
                    members=data["members"],
                    note=data["note"],
                    seen_version=data["seen_version"],
                    by=request.user,
                )
            except StaleEdit as exc:
                # Nothing was saved: the form shows the shift as it is now, with what changed and what
                # this planner entered beside it, so the change can be made again on top of the other.
                shift = get_object_or_404(Shift.objects.prefetch_related("assignments__user"), pk=pk)
                context |= {"shift": shift, "stale": exc, "submitted": submitted_values(form)}
                form = ShiftForm(initial=ShiftForm.initial_for(shift), versioned=True)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The shift is saved."))
                return redirect(_week_url(week_start(data["date"])))
    else:
        form = ShiftForm(initial=ShiftForm.initial_for(shift), versioned=True)
    return render(request, "staff/shift_form.html", {**context, "form": form}, status=status)


@require_POST
@permission_required("duty.plan_roster")
def shift_delete(request: StaffRequest, pk: int) -> HttpResponse:
    shift = get_object_or_404(Shift, pk=pk)
    roster_services.shift_delete(shift=shift, by=request.user)
    messages.success(request, _("The shift is removed from the roster."))
    return redirect(_week_url(week_start(shift.date)))


@require_POST
@permission_required("duty.plan_roster")
def roster_copy(request: StaffRequest) -> HttpResponse:
    """Fill an empty week with the week before's shifts, as a start to edit from."""
    asked = request.POST.get("week")
    day = day_from_query(request, asked)
    if asked and day is None:
        # The message says what was wrong with the week; copying into another week instead would surprise.
        return redirect("staff:roster")
    monday = week_start(day or timezone.localdate())
    try:
        made = roster_services.roster_copy_week(
            source_monday=monday - dt.timedelta(days=7), target_monday=monday, by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d shift copied from the week before.", "%(count)d shifts copied from the week before.", made
            )
            % {"count": made},
        )
    return redirect(_week_url(monday))


def my_shifts(request: StaffRequest) -> HttpResponse:
    """Every logged-in staff member's own shifts: the last two weeks and the next six."""
    now = timezone.now()
    assignments = shifts_of(request.user, since=now - dt.timedelta(days=14), until=now + dt.timedelta(days=42))
    rows: list[dict[str, Any]] = [
        {
            "assignment": assignment,
            "shift": assignment.shift,
            "officer": next((a.user for a in assignment.shift.assignments.all() if a.is_duty_officer), None),
            "colleagues": [
                a.user.display_name
                for a in assignment.shift.assignments.all()
                if a.user_id != request.user.pk and not a.is_duty_officer
            ],
            "now": assignment.shift.is_on(now),
        }
        for assignment in assignments
    ]
    return render(
        request,
        "staff/my_shifts.html",
        {
            "active_station": "my-shifts",
            "upcoming": [row for row in rows if row["shift"].ends_at > now],
            "past": [row for row in reversed(rows) if row["shift"].ends_at <= now],
        },
    )

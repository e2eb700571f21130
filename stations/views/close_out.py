"""The duty officer's close-out: everyone still inside, each closed with a reason, or all at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from staff.permissions import permission_required
from staff.requests import StaffRequest
from stations.room_forms import CloseOutForm, error_text
from stations.selectors.close_out import close_out_list
from visits.board_actions import message_of
from visits.models import Visit
from visits.services.rooms import CLOSE_OUT_REASONS, visit_close_out, visits_close_out_all

PERMISSION = "visits.close_visit_after_hours"


class SeeOther(HttpResponseRedirect):
    status_code = 303


def _back() -> HttpResponse:
    return SeeOther(reverse("visits:close-out"))


@require_GET
@permission_required(PERMISSION)
def close_out(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "visits/close_out.html",
        {
            "active_station": "close-out",
            "close_out": close_out_list(now=timezone.now()),
            "reasons": [(reason.value, reason.label) for reason in CLOSE_OUT_REASONS],
            "other": Visit.EndReason.OTHER.value,
        },
    )


@require_POST
@permission_required(PERMISSION)
def visit_close_out_view(request: StaffRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("client"), pk=pk)
    form = CloseOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _back()
    try:
        visit_close_out(
            visit=visit, by=request.user, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        if error.code == "visit_ended":  # someone else was quicker: nothing is wrong
            messages.info(request, message_of(error))
        else:
            messages.error(request, message_of(error))
        return _back()
    messages.success(
        request,
        _("The visit of %(code)s is closed: %(reason)s.")
        % {"code": visit.client.code, "reason": Visit.EndReason(form.cleaned_data["reason"]).label},
    )
    return _back()


@require_POST
@permission_required(PERMISSION)
def close_out_all_view(request: StaffRequest) -> HttpResponse:
    form = CloseOutForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _back()
    try:
        closed = visits_close_out_all(
            by=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            visit_ids=form.cleaned_data["visits"] or None,
        )
    except ValidationError as error:
        messages.error(request, message_of(error))
        return _back()
    if closed:
        messages.success(
            request,
            ngettext("%(count)d visit is closed.", "%(count)d visits are closed.", closed) % {"count": closed},
        )
    else:
        messages.info(request, _("Nobody was left to close: the visits were closed a moment ago."))
    return _back()

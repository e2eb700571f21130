"""The live floor board, and moving a client between rooms and checking out."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from stations.room_forms import CheckOutForm, MoveForm, error_text
from stations.views.boards import poll_board, render_page
from visits.board_actions import answer, message_of
from visits.models import Visit
from visits.services.rooms import visit_check_out, visit_move


@require_GET
@station_required("floor")
def floor(request: StaffRequest) -> HttpResponse:
    return render_page(request, "floor")


@require_GET
@station_required("floor")
def floor_board(request: StaffRequest) -> HttpResponse:
    return poll_board(request, "floor")


@require_POST
@permission_required("visits.change_visit")
def visit_move_view(request: StaffRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("client"), pk=pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return answer(request, error=error_text(form))
    try:
        visit_move(visit=visit, to=form.cleaned_data["to"], by=request.user)
    except ValidationError as error:
        return answer(request, error=message_of(error))
    place = Visit.Location(form.cleaned_data["to"]).label
    return answer(request, notice=_("%(code)s: %(place)s.") % {"code": visit.client.code, "place": place})


@require_POST
@permission_required("visits.check_out_visit")
def visit_check_out_view(request: StaffRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("client"), pk=pk)
    form = CheckOutForm(request.POST)
    if not form.is_valid():
        return answer(request, error=error_text(form))
    try:
        visit_check_out(visit=visit, note=form.cleaned_data["note"], by=request.user)
    except ValidationError as error:
        return answer(request, error=message_of(error))
    return answer(request, notice=_("%(code)s is checked out.") % {"code": visit.client.code})

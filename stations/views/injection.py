"""The injection room: the queue, the booths, assigning a booth, ending a session, equipment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from stations.assign_question import assign_question
from stations.room_forms import BoothAssignForm, BoothEndForm, HandOutForm, default_kit, error_text
from stations.views.boards import poll_board, render_page
from visits.board_actions import answer, ask, message_of
from visits.models import BoothSession, Visit
from visits.selectors.settings import enabled_equipment
from visits.services.rooms import BoothPastClosing, booth_assign, booth_end, visit_hand_out


@require_GET
@station_required("injection")
def injection(request: StaffRequest) -> HttpResponse:
    return render_page(request, "injection")


@require_GET
@station_required("injection")
def injection_board(request: StaffRequest) -> HttpResponse:
    return poll_board(request, "injection")


@require_POST
@permission_required("visits.add_boothsession")
def booth_assign_view(request: StaffRequest, pk: int) -> HttpResponse:
    form = BoothAssignForm(request.POST)
    if not form.is_valid():
        return answer(request, error=error_text(form))
    now = timezone.now()
    items = default_kit(list(enabled_equipment())) if form.cleaned_data["kit"] else None
    try:
        session = booth_assign(
            visit=Visit(pk=pk),  # read (and locked) by the service
            booth=form.cleaned_data["booth"],
            route=form.cleaned_data["route"],
            substance=form.cleaned_data["substance"],
            started_at=form.started_at_datetime(now),
            items=items,
            by=request.user,
            now=now,
            confirmed=form.cleaned_data["confirm"],
        )
    except Visit.DoesNotExist:
        raise Http404 from None
    except BoothPastClosing as question:
        # Not assigned: asked again with "Assign anyway" (the same choices and confirm) or "Cancel".
        values = form.values()
        confirm = assign_question(pk=pk, code=question.client_code, text=question.past.booth_text, values=values)
        return ask(request, confirm=confirm, query={"assign": str(pk), **values})
    except ValidationError as error:
        return answer(request, error=message_of(error))
    code = session.visit.client.code
    notice = _("%(code)s is in %(booth)s.") % {"code": code, "booth": session.booth}
    return answer(request, notice=notice, focus=f"booth-{session.booth_id}")


@require_POST
@permission_required("visits.change_boothsession")
def booth_end_view(request: StaffRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(BoothSession.objects.select_related("visit__client", "booth"), pk=pk)
    form = BoothEndForm(request.POST)
    if not form.is_valid():
        return answer(request, error=error_text(form))
    try:
        booth_end(session=session, next_location=form.cleaned_data["next_location"], by=request.user)
    except ValidationError as error:
        return answer(request, error=message_of(error))
    if form.cleaned_data["next_location"] == Visit.Location.OBSERVATION:
        notice = _("%(code)s is in the observation room.")
    else:
        notice = _("%(code)s has left; the visit is ended.")
    # The booth, free now, is where the next client goes.
    return answer(request, notice=notice % {"code": session.visit.client.code}, focus=f"booth-{session.booth_id}")


@require_POST
@permission_required("visits.change_boothsession")
def visit_hand_out_view(request: StaffRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(Visit.objects.select_related("client"), pk=pk)
    form = HandOutForm(request.POST, items=list(enabled_equipment()))
    if not form.is_valid():
        return answer(request, error=error_text(form))
    try:
        hand_outs = visit_hand_out(visit=visit, items=form.quantities(), by=request.user)
    except ValidationError as error:
        return answer(request, error=message_of(error))
    given = ", ".join(f"{h.quantity} × {h.item.label}" for h in hand_outs)
    return answer(request, notice=_("Handed out to %(code)s: %(items)s.") % {"code": visit.client.code, "items": given})

"""The observation room: timers against the minimum time, checks, and release."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from stations.room_forms import CheckForm, ReleaseForm, error_text
from stations.views.boards import poll_board, render_page
from visits.board_actions import answer, message_of
from visits.models import Observation, Visit
from visits.services.rooms import observation_check_record, observation_release


@require_GET
@station_required("observation")
def observation(request: StaffRequest) -> HttpResponse:
    return render_page(request, "observation")


@require_GET
@station_required("observation")
def observation_board(request: StaffRequest) -> HttpResponse:
    return poll_board(request, "observation")


@require_POST
@permission_required("visits.add_observationcheck")
def observation_check_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Record a check on a client in a booth or in observation.

    The visit is read once, locked, by the service: a missing one is found there.
    """
    form = CheckForm(request.POST)
    if not form.is_valid():
        get_object_or_404(Visit, pk=pk)
        return answer(request, error=error_text(form))
    try:
        check = observation_check_record(
            visit=pk, state=form.cleaned_data["state"], note=form.cleaned_data["note"], by=request.user
        )
    except Visit.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        return answer(request, error=message_of(error))
    values = {"code": check.visit.client.code, "state": check.get_state_display()}
    if check.flagged:
        # The emergency record comes with the health room; until then the flag is what staff see.
        return answer(
            request,
            error=_("%(code)s: %(state)s. The check is flagged. Start the emergency procedure now.") % values,
        )
    return answer(request, notice=_("Check recorded for %(code)s: %(state)s.") % values)


@require_POST
@permission_required("visits.change_observation")
def observation_release_view(request: StaffRequest, pk: int) -> HttpResponse:
    observation = get_object_or_404(Observation.objects.select_related("visit__client"), pk=pk)
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        return answer(request, error=error_text(form))
    try:
        observation_release(
            observation=observation,
            by=request.user,
            reason=form.cleaned_data["reason"],
            next_location=form.cleaned_data["next_location"],
        )
    except ValidationError as error:
        return answer(request, error=message_of(error))
    code = observation.visit.client.code
    if form.cleaned_data["next_location"] == Visit.Location.GONE:
        notice = _("%(code)s is released and checked out.") % {"code": code}
        return answer(request, notice=notice, focus="observation-heading")
    place = Visit.Location(form.cleaned_data["next_location"]).label
    notice = _("%(code)s is released: %(place)s.") % {"code": code, "place": place}
    return answer(request, notice=notice, focus="observation-heading")

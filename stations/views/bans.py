"""Bans: registered by duty officers and coordinators, seen at reception at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record
from staff.permissions import permission_required
from staff.requests import StaffRequest
from stations.forms import BanForm, BanLiftForm
from visits.models import Ban, Client, Incident
from visits.services.clients import ban_create, ban_lift


def _incident_from(request: StaffRequest, client: Client) -> Incident | None:
    """The incident named by ?incident=<id> when the client was involved in it: the ban will link to it."""
    pk = request.GET.get("incident", "")
    if not pk.isdigit():
        return None
    return Incident.objects.filter(pk=pk, clients=client).first()


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_ban")
def ban_create_view(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    incident = _incident_from(request, client)
    if request.method == "POST":
        form = BanForm(request.POST)
        if form.is_valid():
            try:
                ban_create(client=client, by=request.user, incident=incident, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.warning(
                    request, _("%(code)s is banned. Check-in is refused while the ban lasts.") % {"code": client.code}
                )
                if incident is not None:
                    return redirect("staff:incident-detail", pk=incident.pk)
                return redirect("visits:client-detail", pk=client.pk)
    else:
        initial: dict[str, Any] = {"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
        if incident is not None:
            initial["reason"] = _("%(kind)s on %(when)s: %(what)s") % {
                "kind": incident.get_kind_display(),
                "when": timezone.localtime(incident.occurred_at).strftime("%d.%m.%Y %H:%M"),
                "what": incident.description,
            }
        form = BanForm(initial=initial)
    # The page lists the client's bans with their reasons (and a linked incident's description): the card's.
    access_log_record(request=request, client=client, kind=AccessLogEntry.Kind.CARD)
    return render(
        request,
        "visits/ban_form.html",
        {
            "active_station": "reception",
            "form": form,
            "client": client,
            "incident": incident,
            "history": client.bans.select_related("created_by", "lifted_by"),
            "now": timezone.now(),
        },
    )


@require_POST
@permission_required("visits.change_ban")
def ban_lift_view(request: StaffRequest, pk: int) -> HttpResponse:
    ban = get_object_or_404(Ban.objects.select_related("client"), pk=pk)
    form = BanLiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for lifting the ban early."))
        return redirect("visits:ban-create", pk=ban.client_id)
    try:
        ban_lift(ban=ban, reason=form.cleaned_data["lift_reason"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The ban on %(code)s is lifted.") % {"code": ban.client.code})
    return redirect("visits:ban-create", pk=ban.client_id)

"""Bans: registered by duty officers and coordinators, seen at reception at once."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from staff.permissions import permission_required
from visits.forms import BanForm, BanLiftForm
from visits.models import Ban, Client
from visits.services.clients import ban_create, ban_lift


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_ban")
def ban_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    if request.method == "POST":
        form = BanForm(request.POST)
        if form.is_valid():
            try:
                ban_create(client=client, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.warning(
                    request, _("%(code)s is banned. Check-in is refused while the ban lasts.") % {"code": client.code}
                )
                return redirect("visits:client-detail", pk=client.pk)
    else:
        form = BanForm(initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)})
    return render(
        request,
        "visits/ban_form.html",
        {
            "active_station": "reception",
            "form": form,
            "client": client,
            "history": client.bans.select_related("created_by", "lifted_by"),
            "now": timezone.now(),
        },
    )


@require_POST
@permission_required("visits.change_ban")
def ban_lift_view(request: HttpRequest, pk: int) -> HttpResponse:
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

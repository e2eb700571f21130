"""The health room: open emergencies, health services, a client's health history, the stock."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record
from core.days import day_start
from health import services
from health.forms import CountForm, DeliveryForm, HealthServicesForm, OpenEmergencyForm, StocktakeForm
from health.selectors import client_health_history, page_open_emergencies, services_today, visits_in_health_room
from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from visits.models import Client
from visits.selectors.stock import stock_alerts, stock_lines, stocktake
from visits.services.stock import stock_count, stock_deliver, stock_take


@require_GET
@station_required("health")
def room(request: StaffRequest) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "health/room.html",
        {
            "active_station": "health",
            "now": now,
            # The alarm banner at the top shows the same: one read for both.
            "emergencies": page_open_emergencies(),
            "in_room": visits_in_health_room(),
            "services_today": services_today(day_start(now)),
            "open_form": OpenEmergencyForm(),
            "stock_alerts": stock_alerts(),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("health.add_healthservice")
def service_create(request: StaffRequest) -> HttpResponse:
    """Every service given to a client, recorded with one submit."""
    if request.method == "POST":
        form = HealthServicesForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            client, batch = data.pop("client"), data.pop("token")
            try:
                recorded = services.health_services_record(client=client, batch=batch, by=request.user, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            except IntegrityError:  # the same form, recorded meanwhile by another submit
                return redirect("health:client-history", pk=client.pk)
            else:
                messages.success(
                    request,
                    _("%(services)s recorded for %(code)s.")
                    % {"services": ", ".join(str(s.get_kind_display()) for s in recorded), "code": client.code},
                )
                return redirect("health:client-history", pk=client.pk)
        status = 400
    else:
        client = (
            Client.objects.filter(pk=request.GET.get("client", "")).first()
            if request.GET.get("client", "").isdigit()
            else None
        )
        form = HealthServicesForm(initial={"client": client.code if client else "", "token": uuid.uuid4()})
        status = 200
    return render(request, "health/service_form.html", {"active_station": "health", "form": form}, status=status)


@require_GET
@permission_required("health.view_healthservice")
def client_history(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    access_log_record(request=request, client=client, kind=AccessLogEntry.Kind.HEALTH)
    return render(
        request,
        "health/client_history.html",
        {"active_station": "health", "client": client, **client_health_history(client)},
    )


@require_GET
@permission_required("visits.view_stockmovement")
def stock(request: StaffRequest) -> HttpResponse:
    return _render_stock(request)


def _render_stock(request, *, delivery_form=None, count_form=None, status=200) -> HttpResponse:
    return render(
        request,
        "health/stock.html",
        {
            "active_station": "health",
            "lines": stock_lines(),
            "delivery_form": delivery_form or DeliveryForm(),
            "count_form": count_form or CountForm(),
            "can_change": request.user.has_perm("visits.add_stockmovement"),
        },
        status=status,
    )


@require_POST
@permission_required("visits.add_stockmovement")
def stock_delivery(request: StaffRequest) -> HttpResponse:
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            stock_deliver(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Delivery recorded."))
            return redirect("health:stock")
    return _render_stock(request, delivery_form=form, status=400)


@require_POST
@permission_required("visits.add_stockmovement")
def stock_count_view(request: StaffRequest) -> HttpResponse:
    form = CountForm(request.POST)
    if form.is_valid():
        try:
            movement = stock_count(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Count recorded: %(item)s is now %(level)d (a difference of %(delta)+d).")
                % {"item": movement.item.label, "level": movement.counted, "delta": movement.quantity},
            )
            return redirect("health:stock")
    return _render_stock(request, count_form=form, status=400)


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_stockmovement")
def stocktake_view(request: StaffRequest) -> HttpResponse:
    """Count every item at once: the ledger's level beside an input for each, one reason for the whole."""
    lines = stock_lines()
    items = [line.item for line in lines]
    if request.method == "POST":
        form = StocktakeForm(request.POST, items=items)
        if form.is_valid():
            token = form.cleaned_data["token"]
            try:
                stock_take(counts=form.counts(), reason=form.cleaned_data["reason"], token=token, by=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            except IntegrityError:  # the same form, counted meanwhile by another submit: it is recorded
                return redirect("health:stocktake-result", stocktake_id=token)
            else:
                messages.success(request, _("Stocktake recorded."))
                return redirect("health:stocktake-result", stocktake_id=token)
        status = 400
    else:
        form = StocktakeForm(initial={"token": uuid.uuid4()}, items=items)
        status = 200
    return render(
        request,
        "health/stocktake.html",
        {
            "active_station": "health",
            "form": form,
            "rows": [(line, form[StocktakeForm.field_name(line.item)]) for line in lines],
        },
        status=status,
    )


@require_GET
@permission_required("visits.view_stockmovement")
def stocktake_result(request: StaffRequest, stocktake_id: uuid.UUID) -> HttpResponse:
    """A recorded stocktake: per item the ledger's level, what was counted, and the difference."""
    found = stocktake(stocktake_id)
    if found is None:
        raise Http404
    return render(request, "health/stocktake_result.html", {"active_station": "health", "stocktake": found})

"""The coordinator's pages: who viewed or changed one client's record, access by staff member, exports,
and who changed staff access or the facility's settings."""

from __future__ import annotations

import json

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from audit.models import AccessLogEntry
from audit.services import access_log_record
from oversight.forms import AccessReviewForm, AdminChangeFilterForm, ClientCodeForm
from oversight.selectors import access_by_staff, admin_change_rows, admin_changes, client_audit_trail, client_export
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.models import Client


@require_GET
@permission_required("audit.review_access")
def audit_index(request: StaffRequest) -> HttpResponse:
    """Find a client by code for their access report; the staff review form sits beside it."""
    form = ClientCodeForm(request.GET or None)
    if form.is_valid():
        return redirect("audit:client-report", pk=form.cleaned_data["code"].pk)
    return render(
        request,
        "audit/index.html",
        {"active_station": "audit", "form": form, "review_form": AccessReviewForm()},
        status=400 if form.is_bound else 200,
    )


@require_GET
@permission_required("audit.review_access")
def client_report(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    return render(
        request,
        "audit/client_report.html",
        {"active_station": "audit", "client": client, "rows": client_audit_trail(client), "now": timezone.now()},
    )


@require_GET
@permission_required("audit.review_access")
def access_review(request: StaffRequest) -> HttpResponse:
    form = AccessReviewForm(request.GET or None)
    page = None
    if form.is_valid():
        entries = access_by_staff(
            user=form.cleaned_data["user"], start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        page = Paginator(entries, 200).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/access_review.html",
        {"active_station": "audit", "form": form, "page": page},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


ADMIN_CHANGES_PER_PAGE = 100


@require_GET
@permission_required("audit.review_access")
def admin_changes_view(request: StaffRequest) -> HttpResponse:
    """Who changed staff members' roles and permissions or the facility's settings: before and after."""
    form = AdminChangeFilterForm(request.GET or None)
    rows, page = [], None
    if form.is_valid() or not form.is_bound:
        filters = form.cleaned_data if form.is_bound else {}
        entries = admin_changes(user=filters.get("user"), start=filters.get("start"), end=filters.get("end"))
        page = Paginator(entries, ADMIN_CHANGES_PER_PAGE).get_page(request.GET.get("page"))
        rows = admin_change_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/admin_changes.html",
        {"active_station": "audit", "form": form, "page": page, "rows": rows, "query": query.urlencode()},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
@permission_required("audit.export_client_data")
def client_export_view(request: StaffRequest, pk: int) -> HttpResponse:
    """Everything held about one client as a JSON download, for their access request."""
    client = get_object_or_404(Client, pk=pk)
    access_log_record(request=request, client=client, kind=AccessLogEntry.Kind.EXPORT)
    payload = {"client": client.code, "exported_at": timezone.now(), "records": client_export(client)}
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="client-{client.pk}.json"'
    return response

"""Referrals: made from any station, followed up from the interview room."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record, access_log_record_many
from core.http import safe_next_url
from core.versioning import StaleEdit, submitted_values
from counseling.forms import FollowUpForm, ReferralForm, ReferralStatusForm
from counseling.models import Referral
from counseling.selectors import referral_history, referral_with_history, referrals_open
from counseling.services import referral_create, referral_follow_up_set, referral_set_status
from counseling.views.interview import client_from_query
from staff.permissions import permission_required
from staff.requests import StaffRequest
from visits.models import Visit

# Open referrals on one page of the follow-up list: a busy site has hundreds open.
REFERRALS_PER_PAGE = 50


def _date(day) -> str:
    return formats.date_format(day, "j.n.Y")


@require_http_methods(["GET", "POST"])
@permission_required("counseling.add_referral")
def referral_create_view(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if form.is_valid():
            client = form.cleaned_data["client"]
            try:
                referral = referral_create(
                    client=client,
                    service=form.cleaned_data["service"],
                    by=request.user,
                    visit=Visit.objects.filter(client=client, ended_at__isnull=True).first(),
                    note=form.cleaned_data["note"],
                    follow_up_on=form.cleaned_data["follow_up_on"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(code)s is referred to %(service)s. Follow up on %(date)s.")
                    % {"code": client.code, "service": referral.service.label, "date": _date(referral.follow_up_on)},
                )
                return redirect(
                    safe_next_url(request, form.cleaned_data["next"])
                    or reverse("visits:client-detail", args=[client.pk])
                )
    else:
        client = client_from_query(request)
        form = ReferralForm(
            initial={
                "client": client.code if client else "",
                "next": safe_next_url(request, request.GET.get("next", "")),
            }
        )
    return render(request, "counseling/referral_form.html", {"form": form}, status=400 if form.errors else 200)


def _get_referral(pk: int) -> Referral:
    try:
        return referral_with_history(pk)
    except Referral.DoesNotExist as exc:
        raise Http404 from exc


def _render_detail(
    request: StaffRequest,
    referral: Referral,
    *,
    status_form=None,
    follow_up_form=None,
    stale: StaleEdit | None = None,
    submitted=None,
    status=200,
) -> HttpResponse:
    # The referral's note and its history's reasons are the client's record, a refused form's page too.
    access_log_record(request=request, client=referral.client, kind=AccessLogEntry.Kind.REFERRAL)
    if request.user.has_perm("counseling.change_referral"):
        status_form = status_form or ReferralStatusForm(referral=referral)
        if referral.is_open:
            follow_up_form = follow_up_form or FollowUpForm(
                referral=referral, initial={"follow_up_on": referral.follow_up_on}
            )
    return render(
        request,
        "counseling/referral_detail.html",
        {
            "referral": referral,
            "history": referral_history(referral),
            "today": timezone.localdate(),
            "status_form": status_form,
            "follow_up_form": follow_up_form,
            "stale": stale,
            "submitted": submitted,
        },
        status=status,
    )


def _render_stale(request: StaffRequest, pk: int, form, exc: StaleEdit) -> HttpResponse:
    """Nothing was saved: the page shows the referral as it is now, its forms at the current version,
    and what changed beside what this member of staff entered, so they can enter it again."""
    return _render_detail(request, _get_referral(pk), stale=exc, submitted=submitted_values(form), status=409)


@require_GET
@permission_required("counseling.view_referral")
def referral_detail(request: StaffRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _get_referral(pk))


@require_POST
@permission_required("counseling.change_referral")
def referral_status(request: StaffRequest, pk: int) -> HttpResponse:
    referral = _get_referral(pk)
    form = ReferralStatusForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            referral = referral_set_status(referral=referral, by=request.user, **form.cleaned_data)
        except StaleEdit as exc:
            return _render_stale(request, pk, form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The referral of %(code)s to %(service)s is now “%(status)s”.")
                % {
                    "code": referral.client.code,
                    "service": referral.service.label,
                    "status": referral.get_status_display(),
                },
            )
            return redirect("counseling:referral-detail", pk=referral.pk)
    return _render_detail(request, referral, status_form=form, status=400)


@require_POST
@permission_required("counseling.change_referral")
def referral_follow_up(request: StaffRequest, pk: int) -> HttpResponse:
    referral = _get_referral(pk)
    form = FollowUpForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            referral = referral_follow_up_set(referral=referral, by=request.user, **form.cleaned_data)
        except StaleEdit as exc:
            return _render_stale(request, pk, form, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
            # Read again: the page shows the date and history as they are now, another's move included.
            referral = _get_referral(pk)
        else:
            messages.success(request, _("Follow up on %(date)s.") % {"date": _date(referral.follow_up_on)})
            return redirect("counseling:referral-detail", pk=referral.pk)
    return _render_detail(request, referral, follow_up_form=form, status=400)


@require_GET
# The follow-up work list: for those who follow referrals up (counselors, duty officers) and the coordinator
# who reports on them. Reception and health workers make referrals and open their own, not everyone's.
@permission_required("counseling.change_referral", "reports.view_monthly_report")
def referral_list(request: StaffRequest) -> HttpResponse:
    """Every open referral by follow-up date, a page at a time: what is overdue, due today, and coming."""
    page = Paginator(referrals_open(), REFERRALS_PER_PAGE).get_page(request.GET.get("page"))
    referrals = list(page.object_list)
    # Each row names a client and the service they were referred to: one entry per client, one insert.
    access_log_record_many(request=request, clients=[r.client for r in referrals], kind=AccessLogEntry.Kind.REFERRAL)
    return render(
        request,
        "counseling/referral_list.html",
        {
            "active_station": "interview",
            "page": page,
            "referrals": referrals,
            "today": timezone.localdate(),
        },
    )

"""Reception: find or register a client, see their card, check them in or turn them away."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessLogEntry
from audit.services import access_log_record
from counseling.selectors import client_open_referrals
from staff.permissions import permission_required, station_required
from staff.requests import StaffRequest
from stations.forms import CheckInForm, ContactForm, RefusalForm, RegisterForm, SearchForm
from stations.selectors.client_card import card_clients, client_card
from visits import codes
from visits.models import Client, Refusal, Visit
from visits.selectors.capacity import occupancy
from visits.selectors.checkin import Blocker, substance_list
from visits.selectors.clients import SEARCH_LIMIT, client_near_matches_for_query, client_search
from visits.selectors.facility import coming_day_exceptions, today_hours
from visits.selectors.reception import reception_today, visits_open
from visits.services.checkin import CheckInBlocked, refusal_record, visit_check_in
from visits.services.clients import NearMatchFound, client_register
from visits.services.contacts import contact_record


def _search_context(query: str) -> dict:
    normalised = codes.normalise(query)
    # One more than is shown: whether there are others, which the list then says.
    results = client_search(query, limit=SEARCH_LIMIT + 1)
    more, results = len(results) > SEARCH_LIMIT, results[:SEARCH_LIMIT]
    exact = next((c for c in results if c.code == normalised), None)
    near = [c for c in client_near_matches_for_query(query) if c not in results] if exact is None else []
    return {
        "query": query,
        "normalised": normalised,
        "results": results,
        "more": more,
        "exact": exact,
        "near_matches": near,
        "can_register_code": codes.parse(normalised) is not None and exact is None,
        # No letter or digit once spaces and signs are dropped ("%_"): no search was made.
        "too_short": not normalised,
    }


@require_GET
@station_required("reception")
def reception(request: StaffRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    search = _search_context(query) if query else None
    if search and search["exact"] is not None and request.GET.get("go"):
        return redirect("visits:client-detail", pk=search["exact"].pk)
    now = timezone.now()
    inside = visits_open()
    today = timezone.localdate(now)
    # Closed and special days from today through the coming week: today's says why it is closed.
    exceptions = coming_day_exceptions(today)
    return render(
        request,
        "visits/reception.html",
        {
            "active_station": "reception",
            "form": form,
            "search": search,
            "inside": inside,
            "occupancy": occupancy(
                waiting=sum(visit.location == Visit.Location.QUEUE for visit in inside),
                observation=sum(visit.location == Visit.Location.OBSERVATION for visit in inside),
            ),
            "today": reception_today(now),
            "hours": today_hours(now),
            "closed_note": next((e.note for e in exceptions if e.date == today and e.hours is None), ""),
            "coming": [e for e in exceptions if e.date != today],
            "now": now,
        },
    )


@require_GET
@permission_required("visits.view_client")
def reception_search(request: StaffRequest) -> HttpResponse:
    """The live results under the search box (htmx), as reception types."""
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request, "visits/partials/_search_results.html", {"search": _search_context(query) if query else None}
    )


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_client")
def client_register_view(request: StaffRequest) -> HttpResponse:
    near_matches = []
    if request.method == "POST":
        form = RegisterForm(request.POST)
        if form.is_valid():
            try:
                client = client_register(by=request.user, **form.registration())
            except NearMatchFound as exc:
                near_matches = exc.matches
                form.add_error(None, exc)
                data = request.POST.copy()
                data["confirmed_code"] = form.code()
                form.data = data
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("%(code)s is registered. Send the client to the interview room for intake.")
                    % {"code": client.code},
                )
                return redirect("visits:client-detail", pk=client.pk)
    else:
        parsed = codes.parse(request.GET.get("code", ""))
        initial = (
            {"letters": parsed.letters, "birth_year": parsed.birth_year, "gender": parsed.gender} if parsed else {}
        )
        form = RegisterForm(initial=initial)
    return render(
        request,
        "visits/client_register.html",
        {"active_station": "reception", "form": form, "near_matches": near_matches},
    )


# What a refused check-in or refusal left for the card to show, once, after the redirect: the values
# entered, the errors, the blockers. Kept in the session under the client, so that a reload of the card
# sends nothing again and another client's card shows none of it.
def _card_key(client_pk: int) -> str:
    return f"reception.card.{client_pk}"


def _entered(form: forms.Form, data: QueryDict) -> dict[str, list[str]]:
    """The values sent for the form's own fields, bounded: the session is no place for a megabyte."""
    return {name: [value[:2000] for value in data.getlist(name)[:50]] for name in form.fields if name in data}


def _bound(saved: dict[str, list[str]] | None) -> QueryDict | None:
    if saved is None:
        return None
    data = QueryDict(mutable=True)
    for name, values in saved.items():
        data.setlist(name, values)
    return data


# Left longer than this (the browser went elsewhere), it is no longer what the card was refused with.
_KEPT_FOR_SECONDS = 600


def _back_to_card(request: StaffRequest, client_pk: int, **kept: object) -> HttpResponse:
    request.session[_card_key(client_pk)] = {**kept, "at": timezone.now().timestamp()}
    response = redirect("visits:client-detail", pk=client_pk)
    response.status_code = 303  # See Other: the card is fetched with GET, and a reload sends nothing again
    return response


def _errors(exc: ValidationError) -> list[str]:
    return [str(message) for message in exc.messages]


def _render_card(request: StaffRequest, client: Client) -> HttpResponse:
    # Every drawing of the card is a view of the record, a drawing after a refused check-in included.
    access_log_record(request=request, client=client, kind=AccessLogEntry.Kind.CARD)
    now = timezone.now()
    kept = request.session.pop(_card_key(client.pk), None) or {}
    if not 0 <= now.timestamp() - kept.get("at", 0) <= _KEPT_FOR_SECONDS:
        kept = {}
    can_override = request.user.has_perm("visits.override_admission")
    # The check-in and refusal forms list the substances three times; read them once.
    substances = substance_list()
    card = client_card(client, now)
    # A returning client usually brings what they brought last time: preselected if still allowed, so
    # one click checks them in.
    allowed = {substance.pk for substance in substances if substance.enabled}
    last = card.last_substance_id if card.last_substance_id in allowed else None
    check_in_form = CheckInForm(
        _bound(kept.get("check_in")),
        initial={"substance": last},
        can_override=can_override,
        substances=substances,
    )
    for message in kept.get("check_in_errors", []):
        check_in_form.is_valid()
        check_in_form.add_error(None, message)
    brought = (
        check_in_form.cleaned_data.get("substance") if check_in_form.is_bound and check_in_form.is_valid() else None
    )
    refusal_data = _bound(kept.get("refusal"))
    refusal_form = RefusalForm(
        refusal_data, initial={"substance": brought.pk if brought else None}, substances=substances
    )
    for message in kept.get("refusal_errors", []):
        refusal_form.is_valid()
        refusal_form.add_error(None, message)
    blockers = [Blocker(reason, message) for reason, message in kept.get("blockers", [])]
    # One click records the refusal for a rule that said no, its reason and the substance brought set;
    # each button is a form of its own, with a token of its own.
    one_click = {
        reason: {"reason": reason, "label": Refusal.Reason(reason).label, "token": uuid.uuid4()}
        for reason in (b.reason for b in blockers)
        if reason in Refusal.Reason.values
    }
    return render(
        request,
        "visits/client_card.html",
        {
            "active_station": "reception",
            "card": card,
            "now": now,
            "check_in_form": check_in_form,
            "refusal_form": refusal_form,
            "blockers": [(b, one_click.get(b.reason or "")) for b in blockers],
            "brought": brought,
            "can_override": can_override,
            "open_referrals": (
                client_open_referrals(client) if request.user.has_perm("counseling.view_referral") else []
            ),
            "today": timezone.localdate(now),
        },
    )


@require_GET
@permission_required("visits.view_client")
def client_detail(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(card_clients(timezone.now()), pk=pk)
    return _render_card(request, client)


@require_POST
@permission_required("visits.add_visit")
def client_check_in(request: StaffRequest, pk: int) -> HttpResponse:
    """The client's row is read once, locked, by the service; a missing client is found there."""
    can_override = request.user.has_perm("visits.override_admission")
    form = CheckInForm(request.POST, can_override=can_override, substances=substance_list())
    entered = _entered(form, request.POST)
    if not form.is_valid():
        return _back_to_card(request, get_object_or_404(Client, pk=pk).pk, check_in=entered)
    now = timezone.now()
    try:
        visit = visit_check_in(
            client=pk,
            by=request.user,
            substance=form.cleaned_data["substance"],
            dose=form.cleaned_data["dose"],
            last_use_at=form.last_use_at(now),
            other_substances=form.cleaned_data["other_substances"],
            other_substances_note=form.cleaned_data["other_substances_note"],
            intoxication=form.cleaned_data["intoxication"],
            override_reason=form.cleaned_data.get("override_reason", ""),
            now=now,
        )
    except Client.DoesNotExist:
        raise Http404 from None
    except CheckInBlocked as exc:
        blockers = [[b.reason, str(b.message)] for b in exc.blockers]
        return _back_to_card(request, pk, check_in=entered, blockers=blockers)
    except ValidationError as exc:
        return _back_to_card(request, pk, check_in=entered, check_in_errors=_errors(exc))
    client = visit.client  # the row read under the lock
    if visit.override_by_id:
        messages.warning(
            request, _("%(code)s is admitted against the rules and waits for a booth.") % {"code": client.code}
        )
    else:
        messages.success(request, _("%(code)s is checked in and waits for a booth.") % {"code": client.code})
    return redirect("visits:reception")


@require_POST
@permission_required("visits.add_refusal")
def client_refuse(request: StaffRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = RefusalForm(request.POST, substances=substance_list())
    entered = _entered(form, request.POST)
    if not form.is_valid():
        return _back_to_card(request, client.pk, refusal=entered)
    try:
        refusal = refusal_record(client=client, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        return _back_to_card(request, client.pk, refusal=entered, refusal_errors=_errors(exc))
    values = {"code": client.code, "reason": refusal.get_reason_display()}
    if refusal.already_recorded:
        messages.info(request, _("The refusal of %(code)s was already recorded: %(reason)s.") % values)
    else:
        messages.info(request, _("The refusal of %(code)s is recorded: %(reason)s.") % values)
    return redirect("visits:reception")


@require_http_methods(["GET", "POST"])
@permission_required("visits.add_contact")
def contact_create(request: StaffRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = contact_record(
                    by=request.user,
                    client=form.cleaned_data["code"],
                    gender=form.cleaned_data["gender"] or None,
                    items=form.item_quantities(),
                    advice=form.cleaned_data["advice"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                who = contact.client.code if contact.client else contact.get_gender_display()
                messages.success(request, _("Contact recorded (%(who)s).") % {"who": who})
                # Health workers record contacts too, and may not open reception: back to their station.
                return redirect("visits:reception" if request.user.has_perm("staff.use_reception") else "staff:landing")
    else:
        form = ContactForm(initial={"code": request.GET.get("code", "")})
    return render(request, "visits/contact_form.html", {"active_station": "reception", "form": form})

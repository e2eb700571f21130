"""Reading the logs: one client's trail of views and changes, one staff member's views, a client's data,
the administrative changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry, AdminChange
from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange, ReferralStatusChange
from health.models import Emergency, HealthService, Intervention
from staff.models import Incident
from visits.models import (
    Ban,
    BoothSession,
    Client,
    Contact,
    HandOut,
    Observation,
    ObservationCheck,
    Refusal,
    Visit,
    VisitEvent,
)

_CHANGE_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass(frozen=True)
class TrailRow:
    at: dt.datetime
    user: object  # the staff member, or None for a change made outside a request (a command)
    action: str  # "viewed" or "created" / "changed" / "deleted"
    what: str  # the page viewed, or the kind of record changed
    fields: list[str] = field(default_factory=list)  # the fields a change touched


def _client_record_querysets(client: Client) -> list[tuple[type[Model], QuerySet]]:
    """Each client-related model with the queryset of its rows that belong to ``client``."""
    visit_ids = list(Visit.objects.filter(client=client).values_list("pk", flat=True))
    contact_ids = list(Contact.objects.filter(client=client).values_list("pk", flat=True))
    emergency_ids = list(Emergency.objects.filter(client=client).values_list("pk", flat=True))
    return [
        (Client, Client.objects.filter(pk=client.pk)),
        (Ban, Ban.objects.filter(client=client)),
        (Visit, Visit.objects.filter(pk__in=visit_ids)),
        (Refusal, Refusal.objects.filter(client=client)),
        (Contact, Contact.objects.filter(pk__in=contact_ids)),
        (HandOut, HandOut.objects.filter(visit_id__in=visit_ids) | HandOut.objects.filter(contact_id__in=contact_ids)),
        (BoothSession, BoothSession.objects.filter(visit_id__in=visit_ids)),
        (Observation, Observation.objects.filter(visit_id__in=visit_ids)),
        (ObservationCheck, ObservationCheck.objects.filter(visit_id__in=visit_ids)),
        (Intake, Intake.objects.filter(client=client)),
        (CounselingSession, CounselingSession.objects.filter(client=client)),
        (Referral, Referral.objects.filter(client=client)),
        (Emergency, Emergency.objects.filter(pk__in=emergency_ids)),
        (Intervention, Intervention.objects.filter(emergency_id__in=emergency_ids)),
        (HealthService, HealthService.objects.filter(client=client)),
        (Incident, Incident.objects.filter(clients=client)),
        (ReferralFollowUpChange, ReferralFollowUpChange.objects.filter(referral__client=client)),
    ]


def _changed_fields(record, pk_name: str) -> list[str]:
    if record.history_type != "~":
        return []
    # The record before, by its place in the history (dates may tie, or a clock may have been set back).
    previous = (
        type(record)
        .objects.filter(**{pk_name: getattr(record, pk_name)}, history_id__lt=record.history_id)
        .order_by("-history_id")
        .first()
    )
    if previous is None:
        return []
    # The version is bookkeeping for concurrent edits (core.versioning), not a change anyone made.
    changes = record.diff_against(previous, excluded_fields=["version"]).changes
    return sorted(str(change.field) for change in changes)


def client_audit_trail(client: Client, *, limit: int = 2000) -> list[TrailRow]:
    """Who viewed or changed ``client``'s record and when, newest first."""
    rows: list[TrailRow] = []
    for entry in AccessLogEntry.objects.filter(client=client).select_related("user")[:limit]:
        rows.append(TrailRow(at=entry.at, user=entry.user, action=str(_("viewed")), what=entry.get_kind_display()))
    for model, queryset in _client_record_querysets(client):
        history = model.history.model.objects.filter(
            **{f"{model._meta.pk.attname}__in": queryset.values("pk")}
        ).select_related("history_user")
        for record in history.order_by("-history_date")[:limit]:
            rows.append(
                TrailRow(
                    at=record.history_date,
                    user=record.history_user,
                    action=str(_CHANGE_LABELS.get(record.history_type, record.history_type)),
                    what=str(model._meta.verbose_name),
                    fields=_changed_fields(record, model._meta.pk.attname),
                )
            )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:limit]


def access_by_staff(*, user=None, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """Access log entries, newest first, narrowed to one staff member and a period (both days included)."""
    entries = AccessLogEntry.objects.select_related("user", "client")
    if user is not None:
        entries = entries.filter(user=user)
    if start is not None:
        entries = entries.filter(at__date__gte=start)
    if end is not None:
        entries = entries.filter(at__date__lte=end)
    return entries


def client_export(client: Client) -> dict:
    """Every record the facility holds about ``client``, for an access request (GDPR art. 15)."""
    data: dict = {}
    for model, queryset in _client_record_querysets(client):
        data[model._meta.label] = list(queryset.order_by("pk").values())
    data[VisitEvent._meta.label] = list(VisitEvent.objects.filter(visit__client=client).order_by("pk").values())
    data[ReferralStatusChange._meta.label] = list(
        ReferralStatusChange.objects.filter(referral__client=client).order_by("pk").values()
    )
    data[AccessLogEntry._meta.label] = list(
        AccessLogEntry.objects.filter(client=client).order_by("pk").values("at", "user_id", "kind")
    )
    return data


def admin_changes(*, user=None, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """Administrative changes, newest first, narrowed to who made them and a period (both days included)."""
    entries = AdminChange.objects.select_related("user", "content_type")
    if user is not None:
        entries = entries.filter(user=user)
    if start is not None:
        entries = entries.filter(at__date__gte=start)
    if end is not None:
        entries = entries.filter(at__date__lte=end)
    return entries


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AdminChangeRow:
    entry: AdminChange
    what: str  # the kind of record, e.g. "booth"
    fields: list[FieldChange]


def _shown(value) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or str(_("none"))
    return str(value)


def admin_change_rows(entries) -> list[AdminChangeRow]:
    """The rows of a page of ``admin_changes``: each changed field with its label, before and after.

    No query beyond the page's own: the kind of record comes with it, the labels from the model."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        fields = []
        for name, change in sorted(entry.changes.items()):
            try:
                label = str(model._meta.get_field(name).verbose_name) if model else name
            except FieldDoesNotExist:
                label = name
            fields.append(
                FieldChange(label=label, before=_shown(change.get("before")), after=_shown(change.get("after")))
            )
        what = str(model._meta.verbose_name) if model else entry.content_type.model
        rows.append(AdminChangeRow(entry=entry, what=what, fields=fields))
    return rows

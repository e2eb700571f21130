"""Reading the logs: one client's trail of views and changes, one staff member's views, a client's data,
the administrative changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field, Model, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLogEntry, AdminChange
from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange, ReferralStatusChange
from duty.models import Handover
from health.models import Emergency, HealthService, Intervention, VitalSigns
from oversight.mentions import code_regex, names, others_redacted, rows_naming, text_columns
from staff.models import User
from staff.roles import group_label
from visits.models import (
    Ban,
    BoothSession,
    Client,
    Contact,
    HandOut,
    Incident,
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


def _changed_fields(record: Any, pk_name: str) -> list[str]:  # a history row
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
        history = model.history.model.objects.filter(  # type: ignore[attr-defined]  # simple_history's register() adds it
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


def access_by_staff(*, user: User | None = None, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """Access log entries, newest first, narrowed to one staff member and a period (both days included)."""
    return _by_whom_and_when(AccessLogEntry.objects.select_related("user", "client"), user, start, end)


def _by_whom_and_when(entries: QuerySet, user: User | None, start: dt.date | None, end: dt.date | None) -> QuerySet:
    if user is not None:
        entries = entries.filter(user=user)
    if start is not None:
        entries = entries.filter(at__date__gte=start)
    if end is not None:
        entries = entries.filter(at__date__lte=end)
    return entries


# Of an incident, what is the client's: not the others involved (clients, staff, "others involved").
_INCIDENT_FIELDS = [
    "id",
    "kind",
    "occurred_at",
    "area",
    "room_id",
    "police_called",
    "recorded_at",
    "recorded_by_id",
    "description",
    "action_taken",
]
_HISTORY_FIELDS = ["history_id", "history_date", "history_type", "history_user_id", "history_change_reason"]
_HANDOVER_TEXT = ["concern_notes", "incidents_note", "open_matters", "stock_problems", "other_notes"]


def _text_fields(model: type[Model]) -> set[str]:
    return {column.field.attname for column in text_columns() if column.model is model}


def _ids_naming(model: type[Model], codes: list[str]) -> set[int]:
    """The rows of ``model`` with a text column that names one of ``codes``."""
    pattern = code_regex(codes)
    found = set()
    for column in text_columns():
        if column.model is model:
            name = column.field.name
            found |= {pk for pk, value in rows_naming(column, codes).values_list("pk", name) if names(value, pattern)}
    return found


class _Export:
    """The export being put together: the records, and which rows are in it already."""

    def __init__(self, client: Client) -> None:
        # Every code the client has had: one corrected since is theirs too, not another person's.
        self.codes = {client.code, *Client.history.filter(id=client.pk).values_list("code", flat=True)}  # type: ignore[attr-defined]  # simple_history's register() adds it
        self.data: dict = {}
        self.exported: set[tuple[str, int]] = set()

    def add(self, model: type[Model], queryset: QuerySet, fields: list[str] | None = None) -> None:
        text = _text_fields(model)
        rows = []
        for row in queryset.order_by("pk").values(*(fields or ())):
            self.exported.add((model._meta.label, row[model._meta.pk.attname]))
            rows.append({k: others_redacted(v, self.codes) if k in text else v for k, v in row.items()})
        self.data[model._meta.label] = rows

    def add_with_history(self, model: type[Model], queryset: QuerySet, fields: list[str] | None = None) -> None:
        self.add(model, queryset, fields)
        history = getattr(model, "history", None)
        if history is not None:
            past = history.model._base_manager.filter(**{f"{model._meta.pk.attname}__in": queryset.values("pk")})
            self.add(history.model, past, fields and [*fields, *_HISTORY_FIELDS])


def _handover_part(handover: Handover, codes: set[str], of_concern: bool) -> dict:
    """What a handover says of the client with ``codes``: their line of the snapshot, the text naming them."""
    own = code_regex(codes)
    part = {
        "id": handover.pk,
        "written_at": handover.written_at,
        "written_by_id": handover.written_by_id,
        "shift_id": handover.shift_id,
        "client_of_concern": of_concern,
        "open_visits": [entry for entry in handover.open_visits if names(entry, own)],
    }
    for name in _HANDOVER_TEXT:
        value = getattr(handover, name)
        if names(value, own) or (name == "concern_notes" and of_concern and value):
            part[name] = others_redacted(value, codes)
    return part


def client_export(client: Client) -> dict:
    """Everything the facility holds about ``client``, for an access request (GDPR art. 15).

    Their own records with the change history of each; of an incident or a handover that names them,
    their part; and every other text in the database that names their code (``mentions``: which record,
    which field, the text). Nobody else's details: another client's code anywhere in it is replaced by
    ``[…]``, another client's line of a handover's snapshot is left out, and so are the others involved
    in an incident.
    """
    export = _Export(client)
    codes = sorted(export.codes)
    for model, queryset in _client_record_querysets(client):
        if model is not Incident:
            export.add_with_history(model, queryset)
    export.add_with_history(VisitEvent, VisitEvent.objects.filter(visit__client=client))
    export.add_with_history(ReferralStatusChange, ReferralStatusChange.objects.filter(referral__client=client))
    export.add_with_history(VitalSigns, VitalSigns.objects.filter(emergency__client=client))
    export.add(AccessLogEntry, AccessLogEntry.objects.filter(client=client), ["id", "at", "user_id", "kind"])

    incident_ids = set(Incident.objects.filter(clients=client).values_list("pk", flat=True))
    incident_ids |= _ids_naming(Incident, codes)
    export.add_with_history(Incident, Incident.objects.filter(pk__in=incident_ids), _INCIDENT_FIELDS)

    concern = set(Handover.objects.filter(clients_of_concern=client).values_list("pk", flat=True))
    handovers = Handover.objects.filter(pk__in=concern | _ids_naming(Handover, codes)).order_by("pk")
    export.data[Handover._meta.label] = [_handover_part(h, export.codes, h.pk in concern) for h in handovers]

    pattern = code_regex(codes)
    mentions = []
    for column in text_columns():
        label, name = column.model._meta.label, column.field.name
        if column.record_model in (Incident, Handover):
            continue
        for pk, value in rows_naming(column, codes).values_list("pk", name).order_by("pk"):
            if (label, pk) not in export.exported and names(value, pattern):
                mentions.append(
                    {"record": label, "id": pk, "field": name, "text": others_redacted(value, export.codes)}
                )
    export.data["mentions"] = mentions
    return export.data


def admin_changes(*, user: User | None = None, start: dt.date | None = None, end: dt.date | None = None) -> QuerySet:
    """Administrative changes, newest first, narrowed to who made them and a period (both days included)."""
    return _by_whom_and_when(AdminChange.objects.select_related("user", "content_type"), user, start, end)


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AdminChangeRow:
    entry: AdminChange
    what: str  # the kind of record, e.g. "booth"
    subject: str  # which record, as staff read it (a role's group by the role's name)
    fields: list[FieldChange]


def _shown(value: object) -> str:
    if value is True:
        return str(_("yes"))
    if value is False:
        return str(_("no"))
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or str(_("none"))
    return str(value)


def admin_change_rows(entries: Iterable[AdminChange]) -> list[AdminChangeRow]:
    """The rows of a page of ``admin_changes``: each changed field with its label, before and after.

    No query beyond the page's own: the kind of record comes with it, the labels from the model."""
    rows = []
    for entry in entries:
        model = entry.content_type.model_class()
        fields = []
        for name, change in sorted(entry.changes.items()):
            try:
                field = cast(Field, model._meta.get_field(name)) if model else None
            except FieldDoesNotExist:
                field = None
            label = str(field.verbose_name) if field is not None else name
            # Groups are kept under their English names (staff/roles.py): shown as the role's name.
            is_group = field is not None and (
                getattr(field, "related_model", None) is Group or (model is Group and name == "name")
            )
            before, after = change.get("before"), change.get("after")
            if is_group:
                before, after = _group_labels(before), _group_labels(after)
            fields.append(FieldChange(label=label, before=_shown(before), after=_shown(after)))
        what = str(model._meta.verbose_name) if model else entry.content_type.model
        subject = group_label(entry.object_repr) if model is Group else entry.object_repr
        rows.append(AdminChangeRow(entry=entry, what=what, subject=subject, fields=fields))
    return rows


def _group_labels(value: object) -> object:
    """A group's name, or a list of them, as staff read them; anything else as it is."""
    if isinstance(value, str):
        return group_label(value)
    if isinstance(value, list):
        return [group_label(item) if isinstance(item, str) else item for item in value]
    return value

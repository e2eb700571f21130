"""Retention: deregister clients who stopped coming, anonymise records past the retention period.

Run daily by ``manage.py retention``. Anonymising keeps every figure the reports compute: the visits,
events, timers, birth year, gender, registration date, substances, routes and outcomes all stay;
what goes is what could point to a person: the code (replaced by a token) and every free-text note,
in the records and in their change history. Who viewed the record stays in the access log, now
pointing at the token.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange, ReferralStatusChange
from health.models import Emergency, HealthService, Intervention
from staff.models import Incident
from visits.models import (
    Ban,
    Client,
    Contact,
    Observation,
    ObservationCheck,
    Refusal,
    Visit,
    VisitEvent,
)

# An anonymised code still fits the client code format (letters, four digits, M/K/A) so the database's
# check constraint holds; the year 0000 can never be a real person's code.
ANONYMOUS_CODE = re.compile(r"^A[NX][A-Z]{6}0000A$")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
REDACTED = "-"

# The free text of each client-related model, and how its rows are found from the client.
_FREE_TEXT: list[tuple[type[models.Model], str, list[str]]] = [
    (Ban, "client", ["reason", "lift_reason"]),
    (Visit, "client", ["end_note", "dose", "other_substances_note", "override_reason"]),
    (VisitEvent, "visit__client", ["note"]),
    (Refusal, "client", ["note"]),
    (Contact, "client", ["note"]),
    (Observation, "visit__client", ["early_release_reason"]),
    (ObservationCheck, "visit__client", ["note"]),
    (Intake, "client", ["refusal_reason", "notes"]),
    (CounselingSession, "client", ["notes", "next_steps"]),
    (Referral, "client", ["note"]),
    (ReferralStatusChange, "referral__client", ["reason"]),
    (ReferralFollowUpChange, "referral__client", ["reason"]),
    (Emergency, "client", ["notes"]),
    (Intervention, "emergency__client", ["note"]),
    (HealthService, "client", ["site", "treatment", "note"]),
    # An incident's text tells of everyone involved; it goes with the first of them to be anonymised
    # (by then the incident is older than the retention period). Its kind, time and place stay counted.
    (Incident, "clients", ["description", "action_taken", "other_party"]),
]


def anonymous_code(client_id: int) -> str:
    """``ANONAAAB0000A`` for client 1, and so on: unique, in the code format, pointing at nobody."""

    def letters(n: int, width: int) -> str:
        out = ""
        for _ in range(width):
            n, rest = divmod(n, 26)
            out = _LETTERS[rest] + out
        return out

    if client_id < 26**4:
        return f"ANON{letters(client_id, 4)}0000A"
    if client_id < 26**6:
        return f"AX{letters(client_id, 6)}0000A"
    raise ValueError(f"Client id {client_id} is too large for an anonymous code.")


def _months_before(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, 28)
    return moment.replace(year=year, month=month + 1, day=day)


def _last_seen() -> models.QuerySet:
    """Clients annotated with the last time they came: their last visit, or their registration."""
    return Client.objects.annotate(last_visit=Max("visits__checked_in_at"))


@dataclass(frozen=True)
class RetentionResult:
    deregistered: int
    anonymised: int
    unknown_persons: int = 0


def unknown_person_emergencies_anonymise(*, before: dt.datetime) -> int:
    """Blank the description and the notes of emergencies for unknown persons that began before ``before``.

    Nobody's code points at them, so no client's retention reaches them: they go by their own age.
    Their kind, place, times, age band, gender and outcome stay counted. Returns how many were blanked.
    """
    emergencies = Emergency.objects.filter(client__isnull=True, started_at__lt=before)
    # Each pass blanks what is left; a record blanked before is passed over, so the daily run stays cheap.
    pks = list(
        emergencies.exclude(person_description__in=["", REDACTED], notes__in=["", REDACTED]).values_list(
            "pk", flat=True
        )
    )
    if not pks:
        return 0
    past = Emergency.history.model.objects.filter(id__in=pks)
    for name in ("person_description", "notes"):
        Emergency.objects.filter(pk__in=pks).exclude(**{name: ""}).update(**{name: REDACTED})
        past.exclude(**{name: ""}).update(**{name: REDACTED})
    past.exclude(history_change_reason__isnull=True).exclude(history_change_reason="").update(
        history_change_reason=REDACTED
    )
    Intervention.objects.filter(emergency_id__in=pks).exclude(note="").update(note=REDACTED)
    Intervention.history.model.objects.filter(emergency_id__in=pks).exclude(note="").update(note=REDACTED)
    return len(pks)


def clients_to_deregister(*, now: dt.datetime, months: int) -> models.QuerySet:
    cutoff = _months_before(now, months)
    return (
        _last_seen()
        .exclude(status=Client.Status.DEREGISTERED)
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, registered_at__lt=cutoff))
    )


def clients_to_anonymise(*, now: dt.datetime, years: int) -> models.QuerySet:
    cutoff = _months_before(now, years * 12)
    return (
        _last_seen()
        .filter(Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, registered_at__lt=cutoff))
        .exclude(code__regex=ANONYMOUS_CODE.pattern)
    )


@transaction.atomic
def client_anonymise(*, client: Client) -> None:
    """Replace the code with a token and blank every free-text note, in the records and their history."""
    token = anonymous_code(client.pk)
    for model, path, fields in _FREE_TEXT:
        rows = model.objects.filter(**{path: client})
        pks = list(rows.values_list("pk", flat=True))
        if not pks:
            continue
        history = getattr(model, "history", None)
        past = history.model.objects.filter(**{f"{model._meta.pk.attname}__in": pks}) if history else None
        for name in fields:
            # A text that was written becomes a dash, one that was empty stays empty: constraints that
            # ask for a reason (a refused intake's) still hold, and nothing of the words is left.
            model.objects.filter(pk__in=pks).exclude(**{name: ""}).update(**{name: REDACTED})
            if past is not None:
                past.exclude(**{name: ""}).update(**{name: REDACTED})
        if past is not None:  # the reason given for a change (an incident's correction) is free text too
            past.exclude(history_change_reason__isnull=True).exclude(history_change_reason="").update(
                history_change_reason=REDACTED
            )
    Client.history.model.objects.filter(id=client.pk).update(code=token)
    client.code = token
    # Saved, not updated, so that the change history shows the anonymisation (with the token only).
    client._change_reason = "retention"
    client.save(update_fields=["code"])


def client_deregister(*, client: Client) -> None:
    client.status = Client.Status.DEREGISTERED
    client._change_reason = "retention"
    client.save(update_fields=["status"])


def retention_run(
    *, now: dt.datetime | None = None, months: int | None = None, years: int | None = None
) -> RetentionResult:
    """The daily run: deregister the absent, anonymise the old. Idempotent."""
    now = now or timezone.now()
    months = months if months is not None else settings.DEREGISTER_AFTER_MONTHS
    years = years if years is not None else settings.RETENTION_YEARS
    deregistered = anonymised = 0
    for client in clients_to_deregister(now=now, months=months):
        client_deregister(client=client)
        deregistered += 1
    for client in clients_to_anonymise(now=now, years=years):
        client_anonymise(client=client)
        anonymised += 1
    with transaction.atomic():
        unknown = unknown_person_emergencies_anonymise(before=_months_before(now, years * 12))
    return RetentionResult(deregistered=deregistered, anonymised=anonymised, unknown_persons=unknown)

"""Retention: deregister clients who stopped coming, anonymise records past the retention period.

Run daily by ``manage.py retention``. Anonymising keeps every figure the reports compute: the visits,
events, timers, birth year, gender, registration date, substances, routes and outcomes all stay;
what goes is what could point to a person:

- the code, replaced by a token (``ANONAAAB0000A``) in the client row and everywhere else it is
  written: every text and JSON column of every table, the change history, a handover's snapshot of the
  open visits, another client's notes, shift notes, the addresses in the access log (``oversight.mentions``);
- every free-text note in the client's own records and in their change history, blanked (a dash);
- the duty officer's accounts that tell of the client: the text of an incident the client was involved
  in, a handover's notes on its clients of concern when the client was one, and any field of a handover
  or an incident that names the client's code. These are blanked whole, not just the code: the words
  around a code describe the person it names. Nearly always they are older than the retention period
  by then (the client has not come for that long), so what the next shift needed from them is long used.

Text elsewhere that names the client (another client's note, a shift note) keeps its words with the
token in place of the code: it is someone else's record, blanked in its own time. Who viewed the record
stays in the access log, now pointing at the token. One run is one transaction, in a number of queries
that does not grow with the number of clients anonymised (every hundred codes add one search per column).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange, ReferralStatusChange
from duty.models import Handover
from health.models import Emergency, HealthService, Intervention, VitalSigns
from oversight.mentions import chunks, code_regex, replace_in, rows_naming, text_columns
from visits.models import (
    Ban,
    Client,
    Contact,
    Incident,
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
    (Emergency, "client", ["person_description", "notes"]),
    (Intervention, "emergency__client", ["note", "withdrawn_reason"]),
    (VitalSigns, "emergency__client", ["note", "withdrawn_reason"]),
    (HealthService, "client", ["site", "treatment", "note"]),
    # An incident's text tells of everyone involved; it goes with the first of them to be anonymised
    # (by then the incident is older than the retention period). Its kind, time and place stay counted.
    (Incident, "clients", ["description", "action_taken", "other_party"]),
    # A handover's notes on its clients of concern tell of each of them; they go with the first likewise.
    (Handover, "clients_of_concern", ["concern_notes"]),
]

# The duty officer's accounts: a field of these that names the client is blanked whole (see above).
_ACCOUNTS: set[tuple[type[models.Model], str]] = {
    (Handover, "concern_notes"),
    (Handover, "incidents_note"),
    (Handover, "open_matters"),
    (Handover, "stock_problems"),
    (Handover, "other_notes"),
    (Incident, "description"),
    (Incident, "action_taken"),
    (Incident, "other_party"),
}


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


def client_anonymise(*, client: Client) -> None:
    """Replace the code with a token and blank every free-text note, in the records and their history."""
    clients_anonymise(clients=[client])


@transaction.atomic
def clients_anonymise(*, clients: Sequence[Client]) -> None:
    """Anonymise ``clients`` at once: one transaction, a number of queries independent of how many."""
    clients = [client for client in clients if not ANONYMOUS_CODE.match(client.code)]
    if not clients:
        return
    ids = [client.pk for client in clients]
    tokens = {client.code.casefold(): anonymous_code(client.pk) for client in clients}
    # A code corrected once is in the history (and perhaps in text written before): it goes too.
    for pk, code in Client.history.model._base_manager.filter(id__in=ids).values_list("id", "code"):  # type: ignore[attr-defined]  # simple_history's register() adds it
        tokens.setdefault(code.casefold(), anonymous_code(pk))
    for model, path, fields in _FREE_TEXT:
        _blank(model, model._base_manager.filter(**{f"{path}__in": ids}).values("pk"), fields)
    for client in clients:
        client.code = anonymous_code(client.pk)
    # Through the history, so that the change history shows the anonymisation (with the token only).
    bulk_update_with_history(clients, Client, ["code"], default_change_reason="retention")
    _replace_codes(tokens)


def _blank(model: type[models.Model], pks: models.QuerySet, fields: list[str]) -> None:
    """Blank ``fields`` of the rows ``pks`` and of their history, two queries a field."""
    history = getattr(model, "history", None)
    past = history.model._base_manager.filter(**{f"{model._meta.pk.attname}__in": pks}) if history else None
    for name in fields:
        # A text that was written becomes a dash, one that was empty stays empty: constraints that
        # ask for a reason (a refused intake's) still hold, and nothing of the words is left.
        model._base_manager.filter(pk__in=pks).exclude(**{name: ""}).update(**{name: REDACTED})
        if past is not None:
            past.exclude(**{name: ""}).update(**{name: REDACTED})
    if past is not None:  # the reason given for a change (an incident's correction) is free text too
        past.exclude(history_change_reason__isnull=True).exclude(history_change_reason="").update(
            history_change_reason=REDACTED
        )


def _replace_codes(tokens: dict[str, str]) -> None:
    """Put the token in place of the old code in every text column, or blank an account that names it.

    One search a column (for each hundred codes), then the rows found are written in bulk.
    """
    codes = list(tokens)
    for column in text_columns():
        name = column.field.name
        blank_whole = (column.record_model, name) in _ACCOUNTS
        limit = None if column.is_json else column.field.max_length
        for some in chunks(codes):
            pattern = code_regex(some)
            changed = []
            for pk, value in rows_naming(column, some).values_list("pk", name):
                if blank_whole:
                    new = REDACTED if pattern.search(value or "") else value
                else:
                    new = replace_in(value, pattern, lambda m: tokens[m.group(0).casefold()])
                if new != value:
                    # A token is longer than most codes; a full column keeps what fits.
                    changed.append(column.model(pk=pk, **{name: new[:limit] if limit else new}))
            if changed:
                column.model._base_manager.bulk_update(changed, [name], batch_size=500)


def client_deregister(*, client: Client, now: dt.datetime) -> None:
    """Deregister ``client`` as of ``now``: the status and its date, which the annual report counts."""
    client.status = Client.Status.DEREGISTERED
    client.deregistered_at = now
    client._change_reason = "retention"  # type: ignore[attr-defined]  # set by hand for django-simple-history
    client.save(update_fields=["status", "deregistered_at"])


def retention_run(
    *, now: dt.datetime | None = None, months: int | None = None, years: int | None = None
) -> RetentionResult:
    """The daily run: deregister the absent, anonymise the old. Idempotent."""
    now = now or timezone.now()
    months = months if months is not None else settings.DEREGISTER_AFTER_MONTHS
    years = years if years is not None else settings.RETENTION_YEARS
    with transaction.atomic():
        deregistered = 0
        for client in clients_to_deregister(now=now, months=months):
            client_deregister(client=client, now=now)
            deregistered += 1
        due = list(clients_to_anonymise(now=now, years=years))
        clients_anonymise(clients=due)
        unknown = unknown_person_emergencies_anonymise(before=_months_before(now, years * 12))
    return RetentionResult(deregistered=deregistered, anonymised=len(due), unknown_persons=unknown)

"""A client with every kind of record, every free-text field marked, named in other people's records too.

Shared by the retention sweep test and the access-request export test. The client's code was corrected
once (the history keeps the first one) and holds an Ø; another client's code has it as its tail.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction

from audit.models import AccessLogEntry
from counseling.models import Referral, ReferralStatusChange
from counseling.services import referral_follow_up_set
from duty.models import Handover, Shift
from health.models import Emergency, Intervention, VitalSigns
from oversight.mentions import text_columns
from oversight.selectors import _client_record_querysets
from tests.support.factories import closed_visit, make_client
from tests.support.time import oslo
from visits.models import Client, Contact, EquipmentItem, HandOut, Incident, Visit, VisitEvent

FIRST = "MAKO1990K"  # the code the client was registered with, corrected since
OLD = "BJØRN1990K"  # the code retention replaces
OTHER = "KARI1985K"  # a second client, still coming
NEIGHBOUR = "ABJØRN1990K"  # a third, whose code ends with the first one's
SECRET = "SECRETA"  # marks text about the client: none of it may be left
KEEP = "KEEPB"  # marks other people's text: all of it stays
# Text columns that hold no one's words: the refusal reasons a check-in overrode, as their keys.
NOT_WORDS = {("visits.Visit", "overridden_rules")}


@dataclass
class Scene:
    person: Client
    other: Client
    neighbour: Client
    marked: list[tuple[str, str]]  # (model, field) of every free-text field of the client's records
    not_markable: list[tuple[str, str]]  # fields the database's constraints keep empty in this record
    handover: Handover
    recent_handover: Handover
    shared_incident: Incident
    naming_incident: Incident
    others_incident: Incident
    others_visit: Visit
    neighbour_visit: Visit


def own_records(person: Client):
    """Every row of ``person``'s own records, with the models the access report lists and three more."""
    for model, queryset in _client_record_querysets(person):
        if model not in (Client, Incident):
            yield from queryset
    yield from VisitEvent.objects.filter(visit__client=person)
    yield from ReferralStatusChange.objects.filter(referral__client=person)
    yield from VitalSigns.objects.filter(emergency__client=person)


def _mark(person: Client) -> tuple[list, list]:
    """Write a marker (with the code in lower case) into every free-text field, saving so the history keeps it."""
    marked, refused = [], []
    for row in own_records(person):
        label = row._meta.label
        for column in text_columns():
            if column.model is not type(row) or column.is_json:
                continue
            name = column.field.name
            if (label, name) in NOT_WORDS:
                continue
            before = getattr(row, name)
            setattr(row, name, f"{SECRET} {label}.{name} {OLD.lower()}"[: column.field.max_length])
            row._change_reason = f"{SECRET} why {OLD}"
            try:
                with transaction.atomic():
                    row.save()
                marked.append((label, name))
            except IntegrityError:
                setattr(row, name, before)
                refused.append((label, name))
    return sorted(set(marked)), sorted(set(refused) - set(marked))


def build(history: Client, cast) -> Scene:
    """``history`` is the timeline tests' client (registered, banned, a visit, an overdose, counseling)."""
    reception, duty, health = cast["reception"], cast["duty"], cast["health"]
    person = history
    person.code = OLD  # a typo corrected: the history keeps the first code
    person.save()
    visit = Visit.objects.get(client=person)
    VisitEvent.objects.create(visit=visit, kind=VisitEvent.Kind.CHECKED_IN, at=visit.checked_in_at, by=reception)
    contact = Contact.objects.create(client=person, at=visit.checked_in_at, by=reception, note="x", equipment=True)
    HandOut.objects.create(
        contact=contact, item=EquipmentItem.objects.order_by("pk").first(), quantity=2, at=contact.at, by=reception
    )
    emergency = Emergency.objects.get(client=person)
    VitalSigns.objects.create(emergency=emergency, at=emergency.started_at, by=health, pulse=48, note="x")
    Intervention.objects.create(
        emergency=emergency, kind=Intervention.Kind.OXYGEN, at=emergency.started_at, by=health, note="x"
    )
    referral = Referral.objects.get(client=person)
    with time_machine.travel(oslo(dt.date(2026, 3, 11), 10), tick=False):
        referral_follow_up_set(referral=referral, follow_up_on=dt.date(2026, 3, 24), by=cast["counselor"], reason="x")
    marked, refused = _mark(person)

    other = make_client(OTHER, by=reception, at=oslo(dt.date(2037, 3, 1)))
    neighbour = make_client(NEIGHBOUR, by=reception, at=oslo(dt.date(2037, 3, 1)))
    others_visit = closed_visit(other, by=reception, at=oslo(dt.date(2037, 3, 2)))
    others_visit.end_note = f"{KEEP} left with {OLD.lower()}"
    others_visit.save()
    neighbour_visit = closed_visit(neighbour, by=reception, at=oslo(dt.date(2037, 3, 2), 15))
    neighbour_visit.end_note = f"{KEEP} {NEIGHBOUR} on his own"
    neighbour_visit.save()

    handover = Handover.objects.create(
        written_at=visit.checked_in_at + dt.timedelta(minutes=10),
        written_by=duty,
        concern_notes=f"{SECRET} both restless, {OTHER} too",
        incidents_note=f"{SECRET} {OLD} shouted",
        open_matters=f"{KEEP} {OTHER} waits for a referral",
        open_visits=[
            {"code": OLD, "location": "queue", "checked_in_at": visit.checked_in_at.isoformat()},
            {"code": OTHER, "location": "booth", "checked_in_at": visit.checked_in_at.isoformat()},
        ],
        stock_problems=f"{KEEP} out of naloxone",
        other_notes=f"{SECRET} say hello to {OLD.lower()}'s dog",
    )
    handover.clients_of_concern.set([person, other])
    recent_handover = Handover.objects.create(
        written_at=oslo(dt.date(2037, 3, 2), 22),
        written_by=duty,
        other_notes=f"{SECRET} {OLD} asked for at the door by his sister",
        open_matters=f"{KEEP} {OTHER} in observation",
    )
    shared_incident = Incident.objects.create(
        kind=Incident.Kind.VIOLENCE,
        occurred_at=visit.checked_in_at,
        area=Incident.Area.ENTRANCE,
        other_party=f"{SECRET} a man with a red dog",
        description=f"{SECRET} {OLD} and {OTHER} fought",
        action_taken=f"{SECRET} separated them",
        recorded_at=visit.checked_in_at,
        recorded_by=duty,
    )
    shared_incident.clients.set([person, other])
    shared_incident.description = f"{SECRET} {OLD} and {OTHER} fought, corrected"
    shared_incident._change_reason = f"{SECRET} the order was wrong"
    shared_incident.save()
    naming_incident = Incident.objects.create(
        kind=Incident.Kind.THREATS,
        occurred_at=oslo(dt.date(2037, 3, 2), 20),
        area=Incident.Area.ENTRANCE,
        description=f"{SECRET} {OTHER} threatened {OLD}",
        action_taken=f"{KEEP} talked to {OTHER}",
        recorded_at=oslo(dt.date(2037, 3, 2), 20),
        recorded_by=duty,
    )
    naming_incident.clients.set([other])
    others_incident = Incident.objects.create(
        kind=Incident.Kind.DAMAGE,
        occurred_at=oslo(dt.date(2037, 3, 2), 21),
        area=Incident.Area.ENTRANCE,
        other_party=f"{KEEP} a neighbour",
        description=f"{KEEP} {OTHER} broke the door handle",
        action_taken=f"{KEEP} called the caretaker",
        recorded_at=oslo(dt.date(2037, 3, 2), 21),
        recorded_by=duty,
    )
    others_incident.clients.set([other])

    Shift.objects.create(
        starts_at=oslo(dt.date(2026, 3, 9), 8),
        ends_at=oslo(dt.date(2026, 3, 9), 16),
        note=f"cover for the usual talk with {OLD}",
        created_at=oslo(dt.date(2026, 3, 1), 8),
        created_by=duty,
    )
    AccessLogEntry.objects.create(
        at=oslo(dt.date(2037, 3, 2)), user=cast["coordinator"], client=other, kind="card", path=f"/x/?code={OLD}"
    )
    LogEntry.objects.create(
        user=cast["admin"],
        content_type=ContentType.objects.get_for_model(Client),
        object_id=str(person.pk),
        object_repr=OLD,
        action_flag=CHANGE,
        change_message=f"code {FIRST} to {OLD}",
    )
    return Scene(
        person=person,
        other=other,
        neighbour=neighbour,
        marked=marked,
        not_markable=refused,
        handover=handover,
        recent_handover=recent_handover,
        shared_incident=shared_incident,
        naming_incident=naming_incident,
        others_incident=others_incident,
        others_visit=others_visit,
        neighbour_visit=neighbour_visit,
    )


def every_cell() -> list[tuple[str, str, str]]:
    """(table, column, value as text) for every column of every table in the database, read with raw SQL.

    Every column, not only the text ones: a value is read as text whatever its type, JSON both as the
    database gives it and with Æ, Ø and Å escaped, as SQLite keeps it.
    """
    cells = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [column.name for column in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    if isinstance(value, (dict, list)):
                        value = json.dumps(value, ensure_ascii=False) + json.dumps(value)
                    elif isinstance(value, str) and "\\u" in value:
                        value = value + value.encode().decode("unicode_escape", "replace")
                    if isinstance(value, str):
                        cells.append((table, column, value))
    return cells

"""Writes of the health room: emergencies as they happen and afterwards, and health services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Manager, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import duration_seconds
from core.versioning import version_bump, version_check
from health.models import Emergency, EmergencyResponder
from health.services.common import history_by as _history_by
from health.services.common import locked_emergency as _locked
from health.services.common import to_second
from staff.models import User
from visits.models import BoothSession, Client, Visit

_PLACE_OF_LOCATION: dict[str, Emergency.Place] = {
    Visit.Location.BOOTH: Emergency.Place.BOOTH,
    Visit.Location.OBSERVATION: Emergency.Place.OBSERVATION,
    Visit.Location.HEALTH: Emergency.Place.HEALTH,
    Visit.Location.INTERVIEW: Emergency.Place.INTERVIEW,
    Visit.Location.QUEUE: Emergency.Place.RECEPTION,
}


# What the record form edits, compared when a stale form is refused.
RECORD_FIELDS = (
    "kind",
    "place",
    "signs",
    "started_at",
    "ended_at",
    "outcome",
    "ambulance_called_at",
    "ambulance_arrived_at",
    "police_called_at",
    "staff_involved",
    "notes",
)


def _usernames(user_ids: Iterable[int]) -> str:
    names = sorted(User.objects.filter(pk__in=list(user_ids)).values_list("username", flat=True))
    return ", ".join(names) or "—"


class _AlreadyOpen(Exception):
    """An emergency is open for the client already: found by the read, or by the one-open-emergency-per-client
    constraint when someone opened it a moment ago."""


def emergency_open(*, client: Client | int, by: User, now: dt.datetime | None = None) -> tuple[Emergency, bool]:
    """Open an emergency for the client, stamped now, where the client is. One click, no questions.

    Returns ``(emergency, created)``: when one is already open for the client (two staff pressed at
    once), that one is returned and nothing new is written. ``client`` may be given by its key: the row
    is read once, under its lock (``Client.DoesNotExist``).
    """
    client_pk = client.pk if isinstance(client, Client) else client
    try:
        return _open(client_pk=client_pk, by=by, now=now or timezone.now()), True
    except _AlreadyOpen:
        # The whole attempt was rolled back; the one that won is read outside it.
        return Emergency.objects.select_related("client").get(client=client_pk, ended_at__isnull=True), False


@transaction.atomic
def _open(*, client_pk: int, by: User, now: dt.datetime) -> Emergency:
    # The client's row, locked (opens for the same client queue up here), read with their open emergency,
    # visit and booth in the same statement. Its snapshot is taken before a wait for the lock, so an
    # emergency opened by the press it waited for may be missed: then the partial unique constraint
    # refuses the insert, and the caller returns that one.
    open_emergencies = Emergency.objects.filter(client=OuterRef("pk"), ended_at__isnull=True)
    open_visits = Visit.objects.filter(client=OuterRef("pk"), ended_at__isnull=True)
    sessions = BoothSession.objects.filter(
        visit__client=OuterRef("pk"), visit__ended_at__isnull=True, ended_at__isnull=True
    )
    client = (
        Client.objects.select_for_update()
        .annotate(
            open_emergency_pk=Subquery(open_emergencies.values("pk")[:1]),
            visit_pk=Subquery(open_visits.values("pk")[:1]),
            visit_location=Subquery(open_visits.values("location")[:1]),
            booth_pk=Subquery(sessions.values("booth")[:1]),
        )
        .get(pk=client_pk)
    )
    if client.open_emergency_pk is not None:
        raise _AlreadyOpen
    location = client.visit_location
    emergency = Emergency(
        client=client,
        visit_id=client.visit_pk,
        place=_PLACE_OF_LOCATION.get(location, Emergency.Place.OTHER) if location else Emergency.Place.OTHER,
        booth_id=client.booth_pk,
        started_at=now,
        started_by=by,
    )
    _history_by(emergency, by)
    try:
        # No savepoint: on a clash the whole opening is rolled back, and nothing more is asked of the
        # database before it is.
        with transaction.atomic(savepoint=False):
            emergency.save_without_historical_record()  # type: ignore[attr-defined]  # django-simple-history
    except IntegrityError:
        raise _AlreadyOpen from None
    # The one who opened it is on the team from the start: the row written without the signal that
    # would record a second version, and the first version written after it, with the team in it.
    Emergency.staff_involved.through.objects.create(emergency=emergency, user=by)
    Emergency.history_records.create_historical_record(emergency, "+")
    return emergency


# Two presses for an unknown person at the same place this close together are one emergency: two staff
# reaching the same person outside, or one press arriving twice.
SAME_UNKNOWN_PRESS = dt.timedelta(seconds=60)
# The key of the PostgreSQL advisory lock that queues opens for unknown persons (there is no client row
# to lock); any fixed number of our own would do.
_UNKNOWN_OPEN_LOCK = 7_160_001


def _queue_unknown_opens() -> None:
    """Make concurrent opens for unknown persons take turns until the end of the transaction.

    SQLite writes one transaction at a time already; PostgreSQL takes a transaction-level advisory
    lock, which holds no table and is let go at commit.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_UNKNOWN_OPEN_LOCK])


@transaction.atomic
def emergency_open_unknown(
    *,
    by: User,
    place: str,
    age_band: str = "",
    gender: str = "",
    description: str = "",
    now: dt.datetime | None = None,
) -> tuple[Emergency, bool]:
    """Open an emergency for a person who is not registered or not known: where, and what they look like.

    Returns ``(emergency, created)``. A press for an unknown person at the same place within a minute
    of an open one, by anyone, is the same press: that one is returned and nothing new is written.
    No name is asked for; the description is for recognising the person, not naming them.
    """
    now = now or timezone.now()
    if place not in Emergency.Place.values:
        raise ValidationError(_("Choose where the person is."), code="bad_place")
    if age_band and age_band not in Emergency.AgeBand.values:
        raise ValidationError(_("Choose an age from the list, or leave it empty."), code="bad_age_band")
    if gender and gender not in Emergency.Gender.values:
        raise ValidationError(_("Choose a gender from the list, or leave it empty."), code="bad_gender")
    description = " ".join(description.split())
    if len(description) > 200:
        raise ValidationError(_("Keep the description to 200 characters."), code="long_description")
    _queue_unknown_opens()
    existing = (
        Emergency.objects.filter(
            client__isnull=True,
            ended_at__isnull=True,
            place=place,
            started_at__gte=now - SAME_UNKNOWN_PRESS,
            started_at__lte=now + SAME_UNKNOWN_PRESS,
        )
        .order_by("-started_at", "-pk")
        .first()
    )
    if existing is not None:
        return existing, False
    emergency = Emergency(
        client=None,
        place=place,
        person_age_band=age_band,
        person_gender=gender,
        person_description=description,
        started_at=now,
        started_by=by,
    )
    _history_by(emergency, by)
    emergency.save()
    emergency.staff_involved.add(by)
    return emergency, True


@transaction.atomic
def emergency_link_client(
    *, emergency: Emergency, client: Client, by: User, seen_version: int | None = None, now: dt.datetime | None = None
) -> Emergency:
    """Link an emergency opened for an unknown person to the client code found for them.

    The history keeps the record as it was before (unknown) and who linked it when. Refused when the
    client has another emergency open (one open emergency per client), or when someone linked this one
    to another code meanwhile. Linking to the code it already has changes nothing (a double click).
    """
    now = now or timezone.now()
    client = Client.objects.select_for_update().get(pk=client.pk)  # queues with emergency_open for the client
    emergency = _locked(emergency)
    if emergency.client_id is not None:
        if emergency.client_id == client.pk:
            return emergency
        # Linked to another code since the form was opened: say who did it and to what.
        version_check(emergency, seen=seen_version, fields=("client",))
        raise ValidationError(
            _("This emergency is already linked to %(code)s.")
            % {"code": Client.objects.get(pk=emergency.client_id).code},
            code="linked",
        )
    other = (
        Emergency.objects.filter(client=client, ended_at__isnull=True).exclude(pk=emergency.pk).order_by("pk").first()
    )
    if other is not None:
        raise ValidationError(
            _(
                "%(code)s already has an open emergency (since %(time)s). Close that one, or link this one "
                "to another code."
            )
            % {"code": client.code, "time": timezone.localtime(other.started_at).strftime("%H:%M")},
            code="other_open",
        )
    emergency.client = client
    emergency.linked_at = now
    emergency.linked_by = by
    version_bump(emergency)
    _history_by(emergency, by)
    try:
        with transaction.atomic():
            emergency.save()
    except IntegrityError:  # an emergency was opened for the client a moment ago
        raise ValidationError(
            _("%(code)s already has an open emergency. Close that one, or link this one to another code.")
            % {"code": client.code},
            code="other_open",
        ) from None
    return emergency


@transaction.atomic
def emergency_mark(*, emergency: Emergency, what: str, by: User, now: dt.datetime | None = None) -> Emergency:
    """Stamp "ambulance called", "ambulance arrived" or "police called" with the server's time."""
    now = now or timezone.now()
    emergency = _locked(emergency)
    if emergency.ended_at is not None:
        raise ValidationError(_("This emergency is already closed; correct its times on the record."), code="closed")
    field = {
        "ambulance_called": "ambulance_called_at",
        "ambulance_arrived": "ambulance_arrived_at",
        "police": "police_called_at",
    }.get(what)
    if field is None:
        raise ValidationError(_("Unknown action."), code="bad_action")
    if getattr(emergency, field) is not None:
        return emergency  # already stamped: a double click changes nothing
    if field == "ambulance_arrived_at" and emergency.ambulance_called_at is None:
        emergency.ambulance_called_at = now  # arrived without a recorded call: the call happened by now
    setattr(emergency, field, now)
    version_bump(emergency)
    _history_by(emergency, by)
    emergency.save()
    emergency.staff_involved.add(by)
    return emergency


def _last_time(entries: Manager) -> dt.datetime | None:
    return entries.filter(withdrawn_at__isnull=True).order_by("-at").values_list("at", flat=True).first()


@transaction.atomic
def emergency_answer(
    *, emergency: Emergency, by: User, now: dt.datetime | None = None
) -> tuple[EmergencyResponder, bool]:
    """Record that ``by`` answered the alarm ("I am on it"), stamped now. Once per person.

    Returns ``(responder, created)``: a second press (a double click, or the same person at another
    station) returns the first answer and writes nothing. The first answer stops the alarm's sound at
    every station; the database raises the floor version, so every banner shows who answered.
    """
    now = now or timezone.now()
    emergency = _locked(emergency)  # against a close in the same instant
    if emergency.ended_at is not None:
        raise ValidationError(_("This emergency is already closed."), code="closed")
    existing = EmergencyResponder.objects.filter(emergency=emergency, by=by).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return EmergencyResponder.objects.create(emergency=emergency, by=by, at=now), True
    except IntegrityError:  # one answer per person: the constraint settles what the lock did not
        return EmergencyResponder.objects.get(emergency=emergency, by=by), False


@transaction.atomic
def emergency_close(
    *, emergency: Emergency, outcome: str, by: User, ended_at: dt.datetime | None = None, now: dt.datetime | None = None
) -> Emergency:
    now = now or timezone.now()
    emergency = _locked(emergency)
    if emergency.ended_at is not None:
        raise ValidationError(_("This emergency was already closed."), code="closed")
    if outcome not in Emergency.Outcome.values:
        raise ValidationError(_("Choose the outcome."), code="bad_outcome")
    ended_at = ended_at or now
    if ended_at > now + dt.timedelta(minutes=1):
        raise ValidationError(_("The end cannot be in the future."), code="future")
    if ended_at < emergency.started_at:
        raise ValidationError(_("The end cannot be before the emergency started."), code="before_start")
    # To the second, withdrawn entries aside: an intervention in the closing second is inside the record.
    last = _last_time(emergency.interventions)
    if last is not None and to_second(last) > to_second(ended_at):
        raise ValidationError(_("An intervention is recorded after that end time."), code="intervention_after_end")
    last = _last_time(emergency.vital_signs)
    if last is not None and to_second(last) > to_second(ended_at):
        raise ValidationError(_("Vital signs are recorded after that end time."), code="vitals_after_end")
    emergency.outcome = outcome
    emergency.ended_at = ended_at
    emergency.ended_by = by
    emergency.duration_seconds = duration_seconds(emergency.started_at, ended_at)
    version_bump(emergency)
    _history_by(emergency, by)
    emergency.save()
    emergency.staff_involved.add(by)
    return emergency


@transaction.atomic
def emergency_update(
    *,
    emergency: Emergency,
    by: User,
    kind: str,
    place: str,
    signs: list[str],
    notes: str,
    staff_involved: Iterable[User],
    ambulance_called_at: dt.datetime | None,
    ambulance_arrived_at: dt.datetime | None,
    police_called_at: dt.datetime | None,
    started_at: dt.datetime | None = None,
    ended_at: dt.datetime | None = None,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Emergency:
    """Complete or correct the record afterwards; the previous version stays in its history.

    ``seen_version`` is the version the form was opened with: when anyone changed the record since
    (another form, "ambulance called", the close), the save is refused with what changed.
    """
    now = now or timezone.now()
    emergency = _locked(emergency)
    version_check(
        emergency,
        seen=seen_version,
        fields=RECORD_FIELDS,
        display={"signs": lambda row: ", ".join(Emergency(signs=row.signs).sign_labels()) or "—"},
        m2m={"staff_involved": _usernames},
    )
    started_at = started_at or emergency.started_at
    if emergency.ended_at is None:
        ended_at = None
    else:
        ended_at = ended_at or emergency.ended_at
    if started_at > now:
        raise ValidationError(_("The start cannot be in the future."), code="future")
    if ended_at is not None and ended_at < started_at:
        raise ValidationError(_("The end cannot be before the start."), code="end_before_start")
    if ambulance_arrived_at and not ambulance_called_at:
        raise ValidationError(_("Give the time the ambulance was called."), code="no_call")
    if ambulance_arrived_at and ambulance_called_at and ambulance_arrived_at < ambulance_called_at:
        raise ValidationError(_("The ambulance cannot arrive before it was called."), code="arrived_before_call")
    for value, what in ((ambulance_called_at, _("The ambulance call")), (police_called_at, _("The police call"))):
        if value is not None and value < started_at:
            raise ValidationError(
                _("%(what)s cannot be before the emergency started.") % {"what": what}, code="before_start"
            )
    times = [
        to_second(at)
        for at in [
            *emergency.interventions.filter(withdrawn_at__isnull=True).values_list("at", flat=True),
            *emergency.vital_signs.filter(withdrawn_at__isnull=True).values_list("at", flat=True),
        ]
    ]
    if times and (min(times) < to_second(started_at) or (ended_at is not None and max(times) > to_second(ended_at))):
        raise ValidationError(
            _("An intervention or vital signs are recorded outside the start and end times."),
            code="intervention_outside",
        )
    unknown = [s for s in signs if s not in Emergency.Sign.values]
    if unknown:
        raise ValidationError(_("Unknown sign."), code="bad_sign")
    emergency.kind = kind
    emergency.place = place
    emergency.signs = list(signs)
    emergency.notes = notes.strip()
    emergency.ambulance_called_at = ambulance_called_at
    emergency.ambulance_arrived_at = ambulance_arrived_at
    emergency.police_called_at = police_called_at
    emergency.started_at = started_at
    if ended_at is not None:
        emergency.ended_at = ended_at
        emergency.duration_seconds = duration_seconds(started_at, ended_at)
    version_bump(emergency)
    _history_by(emergency, by)
    emergency.save()
    emergency.staff_involved.set(staff_involved)
    return emergency

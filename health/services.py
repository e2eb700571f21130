"""Writes of the health room: emergencies as they happen and afterwards, and health services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import version_bump, version_check
from health.models import Emergency, EmergencyResponder, HealthService, Intervention
from staff.models import User
from visits.models import BoothSession, Client, Visit

_PLACE_OF_LOCATION = {
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


def _usernames(user_ids) -> str:
    names = sorted(User.objects.filter(pk__in=list(user_ids)).values_list("username", flat=True))
    return ", ".join(names) or "—"


def _history_by(instance, by: User) -> None:
    instance._history_user = by  # who made this change, for the record's history


@transaction.atomic
def emergency_open(*, client: Client, by: User, now: dt.datetime | None = None) -> tuple[Emergency, bool]:
    """Open an emergency for the client, stamped now, where the client is. One click, no questions.

    Returns ``(emergency, created)``: when one is already open for the client (two staff pressed at
    once), that one is returned and nothing new is written.
    """
    now = now or timezone.now()
    client = Client.objects.select_for_update().get(pk=client.pk)
    existing = Emergency.objects.filter(client=client, ended_at__isnull=True).first()
    if existing is not None:
        return existing, False
    visit = Visit.objects.filter(client=client, ended_at__isnull=True).first()
    booth_session = (
        BoothSession.objects.filter(visit=visit, ended_at__isnull=True).select_related("booth").first()
        if visit
        else None
    )
    emergency = Emergency(
        client=client,
        visit=visit,
        place=_PLACE_OF_LOCATION.get(visit.location, Emergency.Place.OTHER) if visit else Emergency.Place.OTHER,
        booth=booth_session.booth if booth_session else None,
        started_at=now,
        started_by=by,
    )
    _history_by(emergency, by)
    try:
        with transaction.atomic():
            emergency.save()
    except IntegrityError:  # the partial unique constraint: someone opened it a moment ago
        return Emergency.objects.get(client=client, ended_at__isnull=True), False
    emergency.staff_involved.add(by)
    return emergency, True


def _check_time(emergency: Emergency, at: dt.datetime, now: dt.datetime, what: str) -> None:
    if at > now + dt.timedelta(minutes=1):
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": what}, code="future")
    if at < emergency.started_at:
        raise ValidationError(
            _("%(what)s cannot be before the emergency started.") % {"what": what}, code="before_start"
        )
    if emergency.ended_at is not None and at > emergency.ended_at:
        raise ValidationError(_("%(what)s cannot be after the emergency ended.") % {"what": what}, code="after_end")


def _locked(emergency: Emergency) -> Emergency:
    return Emergency.objects.select_for_update().get(pk=emergency.pk)


@transaction.atomic
def emergency_intervention_add(
    *,
    emergency: Emergency,
    kind: str,
    by: User,
    route: str = "",
    dose_mg: Decimal | None = None,
    at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Intervention:
    """Record one intervention, stamped by the server unless a time is given afterwards."""
    now = now or timezone.now()
    emergency = _locked(emergency)
    at = at or now
    if kind not in Intervention.Kind.values:
        raise ValidationError(_("Choose an intervention."), code="bad_kind")
    _check_time(emergency, at, now, _("The intervention"))
    if kind == Intervention.Kind.NALOXONE:
        if route not in Intervention.Route.values:
            raise ValidationError(_("Give the naloxone route: intranasal or intramuscular."), code="bad_route")
        if dose_mg is None or dose_mg <= 0 or dose_mg > 20:
            raise ValidationError(_("Give the naloxone dose in mg (more than 0, at most 20)."), code="bad_dose")
    else:
        route, dose_mg = "", None
    intervention = Intervention(
        emergency=emergency, kind=kind, at=at, by=by, route=route, dose_mg=dose_mg, note=note.strip()
    )
    _history_by(intervention, by)
    intervention.save()
    emergency.staff_involved.add(by)
    return intervention


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
    last = emergency.interventions.order_by("-at").values_list("at", flat=True).first()
    if last is not None and last > ended_at:
        raise ValidationError(_("An intervention is recorded after that end time."), code="intervention_after_end")
    emergency.outcome = outcome
    emergency.ended_at = ended_at
    emergency.ended_by = by
    emergency.duration_seconds = int((ended_at - emergency.started_at).total_seconds())
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
    staff_involved,
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
    times = list(emergency.interventions.values_list("at", flat=True))
    if times and (min(times) < started_at or (ended_at is not None and max(times) > ended_at)):
        raise ValidationError(
            _("An intervention is recorded outside the start and end times."), code="intervention_outside"
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
        emergency.duration_seconds = int((ended_at - started_at).total_seconds())
    version_bump(emergency)
    _history_by(emergency, by)
    emergency.save()
    emergency.staff_involved.set(staff_involved)
    return emergency


@transaction.atomic
def health_service_record(
    *,
    client: Client,
    kind: str,
    by: User,
    visit: Visit | None = None,
    site: str = "",
    severity: str = "",
    treatment: str = "",
    condition: str = "",
    accepted: bool | None = None,
    note: str = "",
    referral_service=None,
    now: dt.datetime | None = None,
) -> HealthService:
    """Record health help given. A referral to a doctor also opens the referral for follow-up."""
    now = now or timezone.now()
    if kind not in HealthService.Kind.values:
        raise ValidationError(_("Choose the service given."), code="bad_kind")
    if kind in (HealthService.Kind.TEST_OFFER, HealthService.Kind.VACCINATION_OFFER):
        if condition not in HealthService.Condition.values:
            raise ValidationError(_("Choose what the test or vaccine is for."), code="no_condition")
        if accepted is None:
            raise ValidationError(_("Record whether the offer was accepted."), code="no_answer")
    else:
        condition, accepted = "", None
    if kind in (HealthService.Kind.WOUND_CARE, HealthService.Kind.ABSCESS_CARE) and not site.strip():
        raise ValidationError(_("Give the body site of the wound."), code="no_site")
    if kind == HealthService.Kind.DOCTOR_REFERRAL and referral_service is None:
        raise ValidationError(_("Choose the service the client is referred to."), code="no_service")
    if visit is None:
        visit = Visit.objects.filter(client=client, ended_at__isnull=True).first()
    service = HealthService(
        client=client,
        visit=visit,
        kind=kind,
        at=now,
        by=by,
        site=site.strip(),
        severity=severity,
        treatment=treatment.strip(),
        condition=condition,
        accepted=accepted,
        note=note.strip(),
    )
    _history_by(service, by)
    service.save()
    if kind == HealthService.Kind.DOCTOR_REFERRAL:
        from counseling.services import referral_create

        try:
            with transaction.atomic():
                referral_create(client=client, service=referral_service, by=by, visit=visit, note=note.strip())
        except ValidationError as exc:
            # An open referral to the same service is already being followed up; the help given is
            # still recorded, and the open referral carries on.
            if getattr(exc, "code", None) != "already_open":
                raise
    return service

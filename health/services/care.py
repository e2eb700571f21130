"""Writes of the health room's care: the health services given to a client, one or several at once."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.models import ReferralService
from counseling.services import referral_create
from health.models import HealthService
from health.services.common import history_by
from staff.models import User
from visits.models import Client, Visit


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
    referral_service: ReferralService | None = None,
    batch: uuid.UUID | None = None,
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
        batch=batch,
    )
    history_by(service, by)
    service.save()
    if kind == HealthService.Kind.DOCTOR_REFERRAL and referral_service is not None:  # set for one: checked above
        try:
            with transaction.atomic():
                referral_create(client=client, service=referral_service, by=by, visit=visit, note=note.strip())
        except ValidationError as exc:
            # An open referral to the same service is already being followed up; the help given is
            # still recorded, and the open referral carries on.
            if getattr(exc, "code", None) != "already_open":
                raise
    return service


@transaction.atomic
def health_services_record(
    *,
    client: Client,
    kinds: Sequence[str],
    by: User,
    batch: uuid.UUID,
    site: str = "",
    severity: str = "",
    treatment: str = "",
    test_condition: str = "",
    test_accepted: bool | None = None,
    vaccination_condition: str = "",
    vaccination_accepted: bool | None = None,
    referral_service: ReferralService | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[HealthService]:
    """Record every service given to a client in one go: all of them, or none when one lacks a detail.

    ``batch`` names the submit: the same form sent again (a double click, a reload) returns what it
    recorded the first time. Two submits of it at once are settled by the database: one kind per batch,
    the second gets an ``IntegrityError`` for its caller to recognise.
    """
    now = now or timezone.now()
    recorded = list(HealthService.objects.filter(batch=batch).order_by("pk"))
    if recorded:
        return recorded
    chosen = list(dict.fromkeys(kinds))  # in the order given, each once
    if not chosen:
        raise ValidationError(_("Choose at least one service given."), code="no_kind")
    offers: dict[str, tuple[str, bool | None]] = {
        HealthService.Kind.TEST_OFFER: (test_condition, test_accepted),
        HealthService.Kind.VACCINATION_OFFER: (vaccination_condition, vaccination_accepted),
    }
    visit = Visit.objects.filter(client=client, ended_at__isnull=True).first()
    services = []
    wounds = (HealthService.Kind.WOUND_CARE, HealthService.Kind.ABSCESS_CARE)
    for kind in chosen:
        condition, accepted = offers.get(kind, ("", None))
        wound = kind in wounds  # the wound's details belong to the wound care, not to advice given with it
        services.append(
            health_service_record(
                client=client,
                kind=kind,
                by=by,
                visit=visit,
                site=site if wound else "",
                severity=severity if wound else "",
                treatment=treatment if wound else "",
                condition=condition,
                accepted=accepted,
                note=note,
                referral_service=referral_service if kind == HealthService.Kind.DOCTOR_REFERRAL else None,
                batch=batch,
                now=now,
            )
        )
    return services

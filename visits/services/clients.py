"""Writes about clients: registration and bans."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits import codes
from visits.models import Ban, Client, Incident
from visits.selectors.clients import client_near_matches
from visits.services.history import history_record_change

MINIMUM_AGE = 18


class NearMatchFound(ValidationError):
    """Registering would likely duplicate someone already registered; staff must confirm."""

    def __init__(self, matches: list[Client]):
        self.matches = matches
        super().__init__(
            _("Similar codes are already registered: %(codes)s. Is this the same person?")
            % {"codes": ", ".join(c.code for c in matches)},
            code="near_match",
        )


@transaction.atomic
def client_register(
    *,
    letters: str,
    birth_year: int,
    gender: str,
    by: User,
    age_proof_seen: bool = False,
    confirm_near_match: bool = False,
    now: dt.datetime | None = None,
) -> Client:
    """Register a new client as pending intake, refusing anyone younger than 18."""
    now = now or timezone.now()
    this_year = timezone.localdate(now).year
    age = this_year - birth_year
    if age < MINIMUM_AGE:
        raise ValidationError(_("The person is younger than 18 and cannot be registered."), code="under_age")
    if age == MINIMUM_AGE and not age_proof_seen:
        raise ValidationError(
            _("The person turns 18 this year. Confirm that you have seen proof that they are 18 today."),
            code="age_proof_needed",
        )
    code = codes.build(letters, birth_year, gender)
    if codes.parse(code) is None:
        raise ValidationError(_("The code must have 2 to 8 letters."), code="bad_letters")
    if Client.objects.filter(code=code).exists():
        raise ValidationError(_("The code %(code)s is already registered.") % {"code": code}, code="duplicate")
    if not confirm_near_match:
        matches = client_near_matches(letters=letters, birth_year=birth_year, gender=gender)
        if matches:
            raise NearMatchFound(matches)
    try:
        with transaction.atomic():
            return Client.objects.create(
                code=code,
                birth_year=birth_year,
                gender=gender,
                registered_at=now,
                registered_by=by,
                age_confirmed_at=now if age == MINIMUM_AGE else None,
                age_confirmed_by=by if age == MINIMUM_AGE else None,
            )
    except IntegrityError:
        # Someone registered the same code a moment ago.
        raise ValidationError(
            _("The code %(code)s is already registered.") % {"code": code}, code="duplicate"
        ) from None


@transaction.atomic
def ban_create(
    *,
    client: Client,
    reason: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime | None,
    by: User,
    incident: Incident | None = None,
    now: dt.datetime | None = None,
) -> Ban:
    """Ban a client for a period; ``incident`` links the ban to the security incident that led to it."""
    now = now or timezone.now()
    if incident is not None and not incident.clients.filter(pk=client.pk).exists():
        raise ValidationError(
            _("%(code)s is not among the clients involved in the incident.") % {"code": client.code},
            code="not_involved",
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the ban."), code="no_reason")
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError(_("The ban must end after it starts."), code="ends_before_start")
    if ends_at is not None and ends_at <= now:
        raise ValidationError(_("The end of the ban is already past."), code="ends_in_past")
    return Ban.objects.create(
        client=client,
        reason=reason.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        created_at=now,
        created_by=by,
        incident=incident,
    )


@transaction.atomic
def ban_lift(*, ban: Ban, reason: str, by: User, now: dt.datetime | None = None) -> Ban:
    """End a ban before its time. The ban stays in the history with who lifted it and why."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Give the reason for lifting the ban early."), code="no_reason")
    if ban.ends_at is not None and ban.ends_at <= now:
        raise ValidationError(_("This ban has already ended."), code="already_ended")
    updated = Ban.objects.filter(pk=ban.pk, lifted_at__isnull=True).update(
        lifted_at=now, lifted_by=by, lift_reason=reason.strip()
    )
    if updated == 0:
        raise ValidationError(_("This ban has already been lifted."), code="already_lifted")
    ban.refresh_from_db()
    history_record_change(ban, by=by)
    return ban

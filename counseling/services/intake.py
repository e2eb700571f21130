"""Writes of the interview room."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from counseling.models import Intake
from staff.models import User
from visits.models import Client


@transaction.atomic
def intake_record(
    *,
    client: Client,
    by: User,
    is_adult: bool,
    long_term_heroin_dependence: bool,
    harmful_injection_practice: bool,
    consent_given: bool,
    house_rules_explained: bool,
    harm_reduction_advice_given: bool,
    outcome: str,
    refusal_reason: str = "",
    notes: str = "",
    now: dt.datetime | None = None,
) -> Intake:
    """Record the intake interview. Accepting needs every criterion met and makes the client active."""
    now = now or timezone.now()
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.status == Client.Status.ACTIVE:
        raise ValidationError(
            _("%(code)s has already completed intake.") % {"code": client.code}, code="already_active"
        )
    answers = {
        "is_adult": is_adult,
        "long_term_heroin_dependence": long_term_heroin_dependence,
        "harmful_injection_practice": harmful_injection_practice,
        "consent_given": consent_given,
        "house_rules_explained": house_rules_explained,
    }
    if outcome == Intake.Outcome.ACCEPTED:
        missing = [
            cast(Field, Intake._meta.get_field(name)).verbose_name for name, value in answers.items() if not value
        ]
        if missing:
            raise ValidationError(
                _("The client can only be accepted when every criterion is met. Missing: %(missing)s.")
                % {"missing": ", ".join(str(m) for m in missing)},
                code="criteria_not_met",
            )
    elif outcome == Intake.Outcome.REFUSED:
        if not refusal_reason.strip():
            raise ValidationError(_("Give the reason for refusing the client."), code="no_reason")
    else:
        raise ValidationError(_("Choose the outcome of the interview."), code="no_outcome")

    intake = Intake.objects.create(
        client=client,
        at=now,
        by=by,
        harm_reduction_advice_given=harm_reduction_advice_given,
        outcome=outcome,
        refusal_reason=refusal_reason.strip() if outcome == Intake.Outcome.REFUSED else "",
        notes=notes.strip(),
        **answers,
    )
    if outcome == Intake.Outcome.ACCEPTED:
        client.status = Client.Status.ACTIVE
        client.save(update_fields=["status"])
    return intake

"""The intake interview, the first visit's eligibility check."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Intake(models.Model):
    """The first-visit interview: eligibility, consent and house rules. Accepting makes the client active."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REFUSED = "refused", _("Refused")

    client = models.ForeignKey(
        "visits.Client", on_delete=models.PROTECT, related_name="intakes", verbose_name=_("client")
    )
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    is_adult = models.BooleanField(_("18 years or older"))
    long_term_heroin_dependence = models.BooleanField(_("long-term heroin dependence"))
    harmful_injection_practice = models.BooleanField(_("harmful injection practice"))
    consent_given = models.BooleanField(_("consent to registration given"))
    house_rules_explained = models.BooleanField(_("house rules explained"))
    harm_reduction_advice_given = models.BooleanField(_("harm reduction advice given"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    refusal_reason = models.TextField(_("reason for refusal"), max_length=2000, blank=True)
    notes = models.TextField(_("notes"), max_length=5000, blank=True)

    class Meta:
        verbose_name = _("intake interview")
        verbose_name_plural = _("intake interviews")
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "-at"], name="intake_client_at")]
        constraints = [
            # An accepted intake has every criterion met; a refused one says why.
            models.CheckConstraint(
                condition=~models.Q(outcome="accepted")
                | models.Q(
                    is_adult=True,
                    long_term_heroin_dependence=True,
                    harmful_injection_practice=True,
                    consent_given=True,
                    house_rules_explained=True,
                ),
                name="intake_accepted_meets_criteria",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="refused", refusal_reason=""), name="intake_refusal_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.get_outcome_display()}"

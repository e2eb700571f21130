"""Emergencies (overdoses and other medical events) with their interventions, and health services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from visits.models import Client


class _KeptRecords(HistoricalRecords):
    """django-simple-history's records, kept on the model as ``history_records``: the opening of an
    emergency writes its first version itself, once the member of staff who opened it is on the team,
    so that the first version names them (``health.services.emergencies.emergency_open``)."""

    def contribute_to_class(self, cls, name):
        super().contribute_to_class(cls, name)
        cls.history_records = self


class Emergency(models.Model):
    """A medical emergency from the first click to its outcome. Corrections are kept in its history."""

    class Kind(models.TextChoices):
        OPIOID_OVERDOSE = "opioid_overdose", _("Opioid overdose")
        STIMULANT_OVERDOSE = "stimulant_overdose", _("Stimulant overdose")
        SEIZURE = "seizure", _("Seizure")
        OTHER = "other", _("Other medical emergency")

    class Place(models.TextChoices):
        BOOTH = "booth", _("Booth")
        OBSERVATION = "observation", _("Observation room")
        HEALTH = "health", _("Health room")
        INTERVIEW = "interview", _("Interview room")
        RECEPTION = "reception", _("Reception or waiting room")
        OUTSIDE = "outside", _("Outside the entrance")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        RECOVERED = "recovered", _("Recovered on site")
        HOSPITAL = "hospital", _("Transported to hospital")
        REFUSED_TRANSPORT = "refused_transport", _("Refused transport")
        DIED = "died", _("Died")

    class Sign(models.TextChoices):
        UNRESPONSIVE = "unresponsive", _("Unresponsive")
        SLOW_BREATHING = "slow_breathing", _("Slow or shallow breathing")
        NOT_BREATHING = "not_breathing", _("Not breathing")
        BLUE_LIPS = "cyanosis", _("Blue lips or skin")
        PINPOINT_PUPILS = "pinpoint_pupils", _("Pinpoint pupils")
        SEIZING = "seizing", _("Seizing")
        AGITATION = "agitation", _("Agitation or psychosis")
        CHEST_PAIN = "chest_pain", _("Chest pain")
        OVERHEATING = "overheating", _("Overheating")

    OVERDOSE_KINDS = (Kind.OPIOID_OVERDOSE, Kind.STIMULANT_OVERDOSE)

    class AgeBand(models.TextChoices):
        """An approximate age for a person who is not registered or not known; the report's bands."""

        UNDER_20 = "under_20", _("Under 20")
        AGE_20_29 = "20_29", _("20–29")
        AGE_30_39 = "30_39", _("30–39")
        AGE_40_49 = "40_49", _("40–49")
        AGE_50_59 = "50_59", _("50–59")
        AGE_60_PLUS = "60_plus", _("60 and over")

    # A person without a code is described with the code's gender letters.
    Gender = Client.Gender

    # Empty for a person who is not registered or not known ("unknown person"); linked to a client
    # code later when one is found, the link kept in the history.
    client = models.ForeignKey(
        "visits.Client",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergencies",
        verbose_name=_("client"),
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="emergencies"
    )
    person_age_band = models.CharField(_("approximate age"), max_length=10, choices=AgeBand.choices, blank=True)
    person_gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    person_description = models.CharField(_("description (no names)"), max_length=200, blank=True)
    linked_at = models.DateTimeField(_("linked to a client code"), null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Raised by every write to the record, so a form opened before another device's write is refused
    # rather than saved over it (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OPIOID_OVERDOSE)
    place = models.CharField(_("where"), max_length=20, choices=Place.choices, default=Place.OTHER)
    booth = models.ForeignKey("visits.Booth", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signs = models.JSONField(_("signs observed"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ambulance_called_at = models.DateTimeField(_("ambulance called"), null=True, blank=True)
    ambulance_arrived_at = models.DateTimeField(_("ambulance arrived"), null=True, blank=True)
    police_called_at = models.DateTimeField(_("police called"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    staff_involved = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="emergencies", verbose_name=_("staff involved")
    )
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    history = _KeptRecords(m2m_fields=[staff_involved])
    history_records: ClassVar[HistoricalRecords]  # set by _KeptRecords

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["client", "-started_at"], name="emergency_client_start"),
            models.Index(fields=["started_at"], name="emergency_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(ended_at__isnull=True), name="one_open_emergency_per_client"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")), name="emergency_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, outcome="") | (Q(ended_at__isnull=False) & ~Q(outcome="")),
                name="emergency_outcome_when_ended",
            ),
            models.CheckConstraint(
                condition=Q(ambulance_arrived_at__isnull=True)
                | Q(ambulance_called_at__isnull=False, ambulance_arrived_at__gte=F("ambulance_called_at")),
                name="ambulance_arrives_after_call",
            ),
            models.CheckConstraint(
                condition=Q(linked_at__isnull=True) | Q(client__isnull=False), name="emergency_linked_to_a_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.who} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def who(self) -> str:
        """The client code, or "unknown person" for someone without one."""
        return self.client.code if self.client is not None else str(_("Unknown person"))

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_overdose(self) -> bool:
        return self.kind in self.OVERDOSE_KINDS

    def elapsed(self, now: dt.datetime) -> dt.timedelta:
        return (self.ended_at or now) - self.started_at

    def sign_labels(self) -> list[str]:
        labels = dict(self.Sign.choices)
        return [str(labels.get(sign, sign)) for sign in self.signs]


class EmergencyResponder(models.Model):
    """A member of staff who answered the alarm with "I am on it"; the first one silences it everywhere."""

    emergency = models.ForeignKey(Emergency, on_delete=models.PROTECT, related_name="responders")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("responder")
        verbose_name_plural = _("responders")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["emergency", "by"], name="one_answer_per_responder")]

    def __str__(self) -> str:
        return f"{self.by} {self.at:%H:%M:%S}"


class Intervention(models.Model):
    """One thing done in an emergency, at the time it was done."""

    class Kind(models.TextChoices):
        NALOXONE = "naloxone", _("Naloxone")
        OXYGEN = "oxygen", _("Oxygen")
        BAG_VALVE_MASK = "bvm", _("Bag-valve-mask ventilation")
        CPR = "cpr", _("CPR")
        RECOVERY_POSITION = "recovery_position", _("Recovery position")
        DEFIBRILLATOR = "defibrillator", _("Defibrillator")

    class Route(models.TextChoices):
        INTRANASAL = "in", _("Intranasal")
        INTRAMUSCULAR = "im", _("Intramuscular")

    emergency = models.ForeignKey(Emergency, on_delete=models.PROTECT, related_name="interventions")
    kind = models.CharField(_("intervention"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("route"), max_length=2, choices=Route.choices, blank=True)
    dose_mg = models.DecimalField(
        _("dose (mg)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0.01), MaxValueValidator(20)],
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # When it was entered, which may be after it was done (``at``); a second press of the same
    # intervention within seconds of this is asked about before it is recorded again.
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    # Withdrawn, never deleted: the record keeps what was entered and why it no longer counts.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"], name="intervention_kind_at")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="naloxone") | (~Q(route="") & Q(dose_mg__gt=0)), name="naloxone_has_route_and_dose"
            ),
            models.CheckConstraint(
                condition=Q(kind="naloxone") | Q(route="", dose_mg__isnull=True), name="only_naloxone_has_dose"
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="intervention_withdrawn_with_reason",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.NALOXONE:
            return f"{self.get_kind_display()} {self.dose_display()} mg {self.get_route_display().lower()}"
        return str(self.get_kind_display())

    def dose_display(self) -> str:
        """The dose without trailing zeros, with the language's decimal separator: 1,8 in bokmål."""
        if self.dose_mg is None:
            return ""
        plain = format(self.dose_mg, "f").rstrip("0").rstrip(".")
        return formats.number_format(Decimal(plain))

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class VitalSigns(models.Model):
    """One timed set of vital signs during an emergency; any of them may be missing, not all."""

    class Consciousness(models.TextChoices):
        ALERT = "A", _("Alert")
        VOICE = "V", _("Responds to voice")
        PAIN = "P", _("Responds to pain")
        UNRESPONSIVE = "U", _("Unresponsive")

    emergency = models.ForeignKey(Emergency, on_delete=models.PROTECT, related_name="vital_signs")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    breathing_rate = models.PositiveSmallIntegerField(
        _("breathing rate (per minute)"), null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    oxygen_saturation = models.PositiveSmallIntegerField(
        _("oxygen saturation (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    pulse = models.PositiveSmallIntegerField(
        _("pulse (per minute)"), null=True, blank=True, validators=[MaxValueValidator(300)]
    )
    consciousness = models.CharField(
        _("level of consciousness (AVPU)"), max_length=1, choices=Consciousness.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vital signs")
        verbose_name_plural = _("vital signs")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(breathing_rate__isnull=False)
                | Q(oxygen_saturation__isnull=False)
                | Q(pulse__isnull=False)
                | ~Q(consciousness=""),
                name="vital_signs_not_empty",
            ),
            models.CheckConstraint(condition=Q(oxygen_saturation__lte=100), name="oxygen_saturation_at_most_100"),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="vital_signs_withdrawn_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.emergency_id} {self.at:%H:%M:%S}"


class HealthService(models.Model):
    """Health help given on site, during a visit or on its own."""

    class Kind(models.TextChoices):
        WOUND_CARE = "wound", _("Wound care")
        ABSCESS_CARE = "abscess", _("Abscess care")
        VEIN_ADVICE = "vein_advice", _("Vein care and injection practice advice")
        HYGIENE_ADVICE = "hygiene_advice", _("Hygiene and self-care advice")
        TEST_OFFER = "test_offer", _("Offer of testing")
        VACCINATION_OFFER = "vaccination_offer", _("Offer of vaccination")
        DOCTOR_REFERRAL = "doctor_referral", _("Referral to a doctor")
        OTHER = "other", _("Other health help")

    class Condition(models.TextChoices):
        HIV = "hiv", _("HIV")
        HEPATITIS_C = "hcv", _("Hepatitis C")
        HEPATITIS_B = "hbv", _("Hepatitis B")

    class Severity(models.TextChoices):
        MILD = "mild", _("Mild")
        MODERATE = "moderate", _("Moderate")
        SEVERE = "severe", _("Severe")

    client = models.ForeignKey(
        "visits.Client", on_delete=models.PROTECT, related_name="health_services", verbose_name=_("client")
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="health_services"
    )
    kind = models.CharField(_("service"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    site = models.CharField(_("body site"), max_length=100, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    treatment = models.TextField(_("treatment"), max_length=2000, blank=True)
    condition = models.CharField(_("test or vaccine for"), max_length=5, choices=Condition.choices, blank=True)
    accepted = models.BooleanField(_("offer accepted"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # The submit that recorded it: several services given are recorded in one, and a repeat of the same
    # form (a double click, a reload) is recognised by it rather than recorded twice.
    batch = models.UUIDField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("health service")
        verbose_name_plural = _("health services")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["client", "-at"], name="healthservice_client_at"),
            models.Index(fields=["kind", "at"], name="healthservice_kind_at"),
            # The health room's services of today and a report's of its period: a range of times, however
            # many years of services lie before it.
            models.Index(fields=["at"], name="healthservice_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["test_offer", "vaccination_offer"])
                | (~Q(condition="") & Q(accepted__isnull=False)),
                name="offer_has_condition_and_answer",
            ),
            models.UniqueConstraint(fields=["batch", "kind"], name="healthservice_one_kind_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.client} {self.at:%Y-%m-%d}"

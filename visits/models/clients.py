"""Clients, known by a pseudonymous code only, and their bans."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = r"^[A-ZÆØÅ]{2,8}[0-9]{4}[MKA]$"


class Client(models.Model):
    """A person using the service. No name or national identity number: a code, birth year, gender."""

    class Gender(models.TextChoices):
        MAN = "M", _("Man")
        WOMAN = "K", _("Woman")
        OTHER = "A", _("Other / not stated")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending intake")
        ACTIVE = "active", _("Active")
        DEREGISTERED = "deregistered", _("Deregistered")

    code = models.CharField(
        _("code"),
        max_length=13,
        unique=True,
        validators=[RegexValidator(CODE_PATTERN, _("A code is 2-8 letters, a four-digit birth year and M, K or A."))],
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    registered_at = models.DateTimeField(_("registered at"))
    # When the client was last deregistered (set with the status by oversight.retention.client_deregister);
    # kept when a new intake makes the client active again, so that the year's deregistrations stay counted.
    deregistered_at = models.DateTimeField(_("deregistered at"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    # Set when the birth year alone leaves doubt (the person turns 18 this year) and staff saw proof.
    age_confirmed_at = models.DateTimeField(_("proof of age seen at"), null=True, blank=True)
    age_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["code"]
        indexes = [
            # prefix search as reception types (LIKE 'ABC%') on PostgreSQL
            models.Index(fields=["code"], name="client_code_prefix", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["birth_year", "gender"], name="client_year_gender"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=CODE_PATTERN), name="client_code_format"),
        ]

    def __str__(self) -> str:
        return self.code

    def age_in(self, year: int) -> int:
        """Age reached during ``year``; only the birth year is known."""
        return year - self.birth_year


class Ban(models.Model):
    """An exclusion for a period after a breach of the rules. It ends by itself; lifting it early needs a reason."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bans", verbose_name=_("client"))
    reason = models.TextField(_("reason"), max_length=2000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, help_text=_("Empty: until further notice."))
    created_at = models.DateTimeField(_("registered at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.TextField(_("reason for lifting"), max_length=2000, blank=True)
    # The security incident that led to the ban, when there was one.
    incident = models.ForeignKey(
        "visits.Incident",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bans",
        verbose_name=_("incident"),
    )

    class Meta:
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["client", "-starts_at"], name="ban_client_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")), name="ban_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.starts_at:%Y-%m-%d}"

    @staticmethod
    def active_q(now: dt.datetime, prefix: str = "") -> Q:
        """Bans in force at ``now``: started, not yet ended, not lifted."""
        p = prefix
        return Q(**{f"{p}starts_at__lte": now, f"{p}lifted_at__isnull": True}) & (
            Q(**{f"{p}ends_at__isnull": True}) | Q(**{f"{p}ends_at__gt": now})
        )

    def is_active(self, now: dt.datetime) -> bool:
        return self.lifted_at is None and self.starts_at <= now and (self.ends_at is None or self.ends_at > now)

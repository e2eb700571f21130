"""Visits from check-in to check-out, every step as an event, and arrivals turned away."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from visits.models.clients import Client
from visits.models.facility import Substance


class Intoxication(models.TextChoices):
    NONE = "none", _("No visible signs")
    SOME = "some", _("Some signs")
    HEAVY = "heavy", _("Heavily intoxicated")


class Visit(models.Model):
    """One client's stay from check-in to check-out, with the pre-use check taken at reception.

    The visit is in exactly one place at a time (``location``), since ``location_since``. At most one
    open visit per client: a partial unique constraint, so two receptionists cannot both check in.
    """

    class Location(models.TextChoices):
        QUEUE = "queue", _("Waiting for a booth")
        INTERVIEW = "interview", _("Interview room")
        HEALTH = "health", _("Health room")
        BOOTH = "booth", _("Booth")
        OBSERVATION = "observation", _("Observation room")
        GONE = "gone", _("Left")

    class EndReason(models.TextChoices):
        """Why a visit was closed by someone other than the client checking out (blank: an ordinary check-out)."""

        LEFT_AT_CLOSING = "closing", _("Left at closing")
        TRANSFERRED = "transferred", _("Transferred (ambulance, hospital, police)")
        LEFT_UNNOTICED = "unnoticed", _("Left without checking out")
        OVERNIGHT = "overnight", _("Closed automatically overnight")
        OTHER = "other", _("Other reason")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="visits", verbose_name=_("client"))
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("where"), max_length=20, choices=Location.choices, default=Location.QUEUE)
    location_since = models.DateTimeField(_("there since"))
    ended_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_note = models.TextField(_("note on check-out"), max_length=2000, blank=True)
    end_reason = models.CharField(_("closed because"), max_length=12, choices=EndReason.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    # The pre-use check at reception, as Bergen does it.
    substance = models.ForeignKey(
        Substance, on_delete=models.PROTECT, related_name="+", verbose_name=_("substance brought")
    )
    dose = models.CharField(_("dose as shown"), max_length=100, blank=True)
    last_use_at = models.DateTimeField(_("time of last use"), null=True, blank=True)
    other_substances = models.ManyToManyField(
        Substance, blank=True, related_name="+", verbose_name=_("other substances taken today")
    )
    other_substances_note = models.CharField(_("other substances, more"), max_length=200, blank=True)
    intoxication = models.CharField(
        _("visible signs of intoxication"), max_length=10, choices=Intoxication.choices, default=Intoxication.NONE
    )
    # When the visit's first booth session started: kept by the database from the sessions (visits
    # migration 0020), for the reports' wait for a booth, which then reads the visits alone. Never
    # written by a save (``save`` below), so a visit read before its session started cannot clear it.
    first_booth_at = models.DateTimeField(_("first booth session started"), null=True, blank=True, editable=False)

    # A duty officer may admit against a rule; what was overridden and why are kept.
    override_reason = models.TextField(_("reason for admitting against the rules"), max_length=2000, blank=True)
    overridden_rules = models.CharField(_("rules overridden"), max_length=200, blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-checked_in_at"]
        permissions = [("override_admission", _("Can admit a client against a rule, with a reason"))]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(ended_at__isnull=True), name="one_open_visit_per_client"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("checked_in_at")),
                name="visit_ends_after_start",
            ),
        ]
        indexes = [
            # With the id in the key, a client's visit counts (the card, the timeline's months) are read
            # from the index alone: a heavy client's thousands of visits lie scattered over years of pages.
            models.Index(fields=["client", "-checked_in_at", "id"], name="visit_client_checkin"),
            # The client and the first booth session beside the time: a period's unique clients and its wait
            # for a booth (dashboard, reports) are counted from the index alone, however the visits lie in the table.
            models.Index(fields=["checked_in_at", "client", "first_booth_at"], name="visit_checkin_client"),
            # The few visits closed other than by checking out, so that a year's are found without reading them all.
            models.Index(fields=["checked_in_at"], condition=~Q(end_reason=""), name="visit_closed_out"),
            models.Index(fields=["location"], condition=Q(ended_at__isnull=True), name="visit_open_location"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.checked_in_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Save every field but ``first_booth_at``, which the database keeps from the booth sessions."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "first_booth_at"
            ]
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class VisitEvent(models.Model):
    """One step of a visit, with when and by whom. Reports count these, never hand tallies."""

    class Kind(models.TextChoices):
        CHECKED_IN = "checked_in", _("Checked in")
        OVERRIDE = "override", _("Admitted against a rule")
        MOVED = "moved", _("Moved")
        BOOTH_STARTED = "booth_started", _("Booth assigned")
        BOOTH_ENDED = "booth_ended", _("Booth session ended")
        OBSERVATION_STARTED = "observation_started", _("Observation started")
        OBSERVATION_CHECK = "observation_check", _("Observation check")
        RELEASED = "released", _("Released from observation")
        HANDED_OUT = "handed_out", _("Equipment handed out")
        CHECKED_OUT = "checked_out", _("Checked out")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(_("to"), max_length=20, choices=Visit.Location.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["visit", "at"], name="visitevent_visit_at"),
            models.Index(fields=["kind", "at"], name="visitevent_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%H:%M}"


class Refusal(models.Model):
    """An arrival turned away at check-in, with the reason and the substance brought."""

    class Reason(models.TextChoices):
        TOO_INTOXICATED = "intoxicated", _("Too intoxicated")
        SUBSTANCE_NOT_ALLOWED = "substance", _("Substance not allowed")
        OUTSIDE_HOURS = "hours", _("Outside opening hours")
        BANNED = "banned", _("Banned")
        NOT_ELIGIBLE = "not_eligible", _("Not eligible (no intake or not active)")
        OTHER = "other", _("Other")

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="refusals", verbose_name=_("client"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    substance = models.ForeignKey(
        Substance,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("substance brought"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The one-time token of the form that recorded it: the same form sent twice (a double click, two
    # tabs, a resent request) finds this row instead of adding a second. Null for refusals recorded
    # without a form.
    token = models.UUIDField(null=True, blank=True, editable=False)

    # Not stored: set on the refusal ``refusal_record`` returns for a repeat of one already recorded.
    already_recorded: bool = False

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["at"], name="refusal_at"),
            models.Index(fields=["client", "-at"], name="refusal_client_at"),
        ]
        constraints = [models.UniqueConstraint(fields=["token"], name="refusal_token_once")]

    def __str__(self) -> str:
        return f"{self.client} {self.get_reason_display()}"

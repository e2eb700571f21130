"""Equipment and advice given outside a visit, and every hand-out of equipment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from visits.models.clients import Client
from visits.models.facility import EquipmentItem
from visits.models.visit import Visit


class Contact(models.Model):
    """A walk-in contact that is not a visit: equipment or advice only, with or without a client code."""

    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name=_("client")
    )
    # Anonymous contacts are counted by gender; with a client, the client's gender is copied here.
    gender = models.CharField(_("gender"), max_length=1, choices=Client.Gender.choices)
    equipment = models.BooleanField(_("equipment"), default=False)
    advice = models.BooleanField(_("advice"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("walk-in contact")
        verbose_name_plural = _("walk-in contacts")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["at"], name="contact_at"),
            # A client's contacts by time: the timeline counts a year's by month from this index alone.
            models.Index(fields=["client", "-at"], name="contact_client_at"),
        ]
        constraints = [models.CheckConstraint(condition=Q(equipment=True) | Q(advice=True), name="contact_has_content")]

    def __str__(self) -> str:
        return f"{self.client or self.get_gender_display()} {self.at:%Y-%m-%d %H:%M}"


class HandOut(models.Model):
    """Items of one kind handed out, during a visit or at a walk-in contact."""

    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="hand_outs", verbose_name=_("item"))
    quantity = models.PositiveSmallIntegerField(_("quantity"))
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, null=True, blank=True, related_name="hand_outs")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="hand_outs")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hand-out")
        verbose_name_plural = _("hand-outs")
        ordering = ["-at"]
        indexes = [models.Index(fields=["at"], name="handout_at")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="handout_quantity_positive"),
            models.CheckConstraint(
                condition=Q(visit__isnull=False, contact__isnull=True) | Q(visit__isnull=True, contact__isnull=False),
                name="handout_visit_or_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.item}"

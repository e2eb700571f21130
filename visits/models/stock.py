"""The equipment stock ledger: deliveries in, hand-outs out, counted adjustments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from visits.models.facility import EquipmentItem


class StockMovement(models.Model):
    """A ledger entry other than a hand-out: a delivery in, or a count that adjusts the level.

    Hand-outs are the ledger's third kind of entry; they live in ``HandOut`` with the visit or contact.
    """

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        COUNT = "count", _("Count")

    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="stock_movements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # Delivery: items in (positive). Count: the difference the count made (either sign).
    quantity = models.IntegerField(_("quantity"))
    counted = models.PositiveIntegerField(_("counted in stock"), null=True, blank=True)
    reason = models.CharField(_("reason or note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The counts of one stocktake share its token: the form carries it, so a second submit of the same
    # form finds its counts recorded instead of counting again.
    stocktake = models.UUIDField(_("stocktake"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["item", "-at"], name="stockmovement_item_at")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="delivery") | Q(quantity__gt=0), name="delivery_positive"),
            models.CheckConstraint(condition=~Q(kind="count") | Q(counted__isnull=False), name="count_has_result"),
            models.UniqueConstraint(
                fields=["stocktake", "item"],
                condition=Q(stocktake__isnull=False),
                name="one_count_per_item_per_stocktake",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity:+d}"


class StockBalance(models.Model):
    """An item's stock level: the ledger's running sum, kept in step in the same transaction as each entry.

    It may go below zero: a hand-out is never refused because the records say the drawer is empty.
    Whether the level can be trusted is ``count_needed``: set while the item has never been counted (an
    item without a row has not either) and whenever the level goes below zero; only a count clears it,
    never a delivery, since a delivery says nothing about what was in the drawer before it.
    """

    item = models.OneToOneField(EquipmentItem, on_delete=models.CASCADE, primary_key=True, related_name="balance")
    level = models.IntegerField(_("level"), default=0)
    count_needed = models.BooleanField(_("count needed"), default=True)
    counted_at = models.DateTimeField(_("last counted"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            # A level below zero is never trusted: the database refuses one without the flag.
            models.CheckConstraint(
                condition=Q(level__gte=0) | Q(count_needed=True), name="stockbalance_negative_needs_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.level}"

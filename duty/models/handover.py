"""The handover log: what a duty officer passes on at the end of a shift, and who has read it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from visits.models import Visit


class Handover(models.Model):
    """A duty officer's structured note to the next duty officer, written at the end of a shift.

    The open visits at the moment of writing are kept as a snapshot (code, where, since), since the
    visits themselves move on and the next officer needs to know what the floor looked like.
    """

    shift = models.ForeignKey(
        "duty.Shift",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handovers",
        verbose_name=_("shift"),
    )
    written_at = models.DateTimeField(_("written at"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="handovers", verbose_name=_("written by")
    )
    clients_of_concern = models.ManyToManyField(
        "visits.Client", blank=True, related_name="handovers", verbose_name=_("clients of concern")
    )
    concern_notes = models.TextField(_("about the clients of concern"), max_length=4000, blank=True)
    incidents = models.ManyToManyField(
        "visits.Incident", blank=True, related_name="handovers", verbose_name=_("incidents this shift")
    )
    incidents_note = models.TextField(_("incidents"), max_length=4000, blank=True)
    open_matters = models.TextField(_("open emergencies or visits"), max_length=4000, blank=True)
    open_visits = models.JSONField(_("open visits when written"), default=list, blank=True)
    stock_problems = models.TextField(_("stock problems"), max_length=4000, blank=True)
    other_notes = models.TextField(_("other notes"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-written_at", "-pk"]
        permissions = [("acknowledge_handover", _("Can acknowledge handovers as the next duty officer"))]
        indexes = [models.Index(fields=["-written_at"], name="handover_written")]

    def __str__(self) -> str:
        return f"{self.written_by} {self.written_at:%Y-%m-%d %H:%M}"

    def open_visit_list(self) -> list[dict]:
        """The snapshot of open visits with each place named in the reader's language."""
        labels = dict(Visit.Location.choices)
        return [{"code": v.get("code", ""), "where": labels.get(v.get("location"), "")} for v in self.open_visits]


class HandoverAcknowledgement(models.Model):
    """That one staff member has read one handover, and when. One per reader: the database says so."""

    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="acknowledgements", verbose_name=_("handover")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="handover_acknowledgements",
        verbose_name=_("read by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("handover acknowledgement")
        verbose_name_plural = _("handover acknowledgements")
        ordering = ["acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["handover", "user"], name="one_acknowledgement_per_reader")]

    def __str__(self) -> str:
        return f"{self.user} {self.acknowledged_at:%Y-%m-%d %H:%M}"

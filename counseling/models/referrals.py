"""Referrals to the services of the support system, and every change of their status."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.settings_models import FacilitySetting
from core.translated import TranslatedName


class ReferralService(TranslatedName):
    """A service the facility refers clients to (LAR, NAV, housing, legevakt ...)."""

    enabled = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    facility_setting = FacilitySetting.LOGGED

    class Meta:
        verbose_name = _("referral service")
        verbose_name_plural = _("referral services")
        ordering = ["position", "pk"]


class Referral(models.Model):
    """A client referred to a service, followed up until it is taken up, declined or dropped.

    The status moves by ``counseling.services.referrals.referral_set_status`` only, which keeps the
    rules below and writes a ``ReferralStatusChange`` for every move, with when and by whom. An open
    referral has a follow-up date; a closed one has none. Moving that date by hand, without a new
    status, goes through ``referral_follow_up_set``, which writes a ``ReferralFollowUpChange``. At most
    one open referral per client and service: the database refuses a second.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted by the service")
        DECLINED_BY_SERVICE = "declined_by_service", _("Declined by the service")
        DECLINED_BY_CLIENT = "declined_by_client", _("Declined by the client")
        ATTENDED = "attended", _("Attended")
        DID_NOT_ATTEND = "did_not_attend", _("Did not attend")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PROPOSED, Status.SENT, Status.ACCEPTED)
    # The order of the open steps: going back to an earlier one is a correction and needs a reason.
    STEP: ClassVar[dict[str, int]] = {Status.PROPOSED: 0, Status.SENT: 1, Status.ACCEPTED: 2}
    # Where an open referral may go next without a reason. A closed one may only be reopened.
    FORWARD: ClassVar[dict[str, tuple[str, ...]]] = {
        Status.PROPOSED: (Status.SENT, Status.DECLINED_BY_CLIENT, Status.CANCELLED),
        Status.SENT: (
            Status.ACCEPTED,
            Status.DECLINED_BY_SERVICE,
            Status.ATTENDED,
            Status.DID_NOT_ATTEND,
            Status.DECLINED_BY_CLIENT,
            Status.CANCELLED,
        ),
        Status.ACCEPTED: (
            Status.ATTENDED,
            Status.DID_NOT_ATTEND,
            Status.DECLINED_BY_SERVICE,
            Status.DECLINED_BY_CLIENT,
            Status.CANCELLED,
        ),
    }
    # Statuses that count as taken up by the service, for the take-up figures.
    ACCEPTED_STATUSES = (Status.ACCEPTED, Status.ATTENDED, Status.DID_NOT_ATTEND)
    DEFAULT_FOLLOW_UP_DAYS = 7

    client = models.ForeignKey(
        "visits.Client", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("client")
    )
    service = models.ForeignKey(
        ReferralService, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    # The visit during which the referral was made, when the client was inside.
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    created_at = models.DateTimeField(_("made at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    status_changed_at = models.DateTimeField(_("status since"))
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    # Raised by every write, so a status change or a moved follow-up date from a page opened before
    # someone else's is refused rather than saved over it (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        # Meta cannot see the nested Status; the literals are its values, checked by a test.
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "sent",
                        "accepted",
                        "declined_by_service",
                        "declined_by_client",
                        "attended",
                        "did_not_attend",
                        "cancelled",
                    ]
                ),
                name="referral_status_known",
            ),
            models.UniqueConstraint(
                fields=["client", "service"],
                condition=Q(status__in=["proposed", "sent", "accepted"]),
                name="one_open_referral_per_client_service",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True) | Q(status__in=["proposed", "sent", "accepted"]),
                name="referral_follow_up_only_when_open",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "-created_at"], name="referral_client_created"),
            models.Index(fields=["created_at"], name="referral_created"),
            models.Index(
                fields=["follow_up_on"],
                condition=Q(status__in=["proposed", "sent", "accepted"]),
                name="referral_open_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.service}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def follow_up_state(self, today: dt.date) -> str:
        """ "overdue", "due" (today), "later", or "" for a referral without a follow-up date."""
        if self.follow_up_on is None:
            return ""
        if self.follow_up_on < today:
            return "overdue"
        if self.follow_up_on == today:
            return "due"
        return "later"

    @classmethod
    def next_statuses(cls, status: str) -> list[str]:
        """What staff are offered from ``status``: the forward moves, else (closed) reopening."""
        if status in cls.FORWARD:
            earlier = [s for s in cls.OPEN_STATUSES if cls.STEP[s] < cls.STEP[status]]
            return [*cls.FORWARD[status], *earlier]
        return list(cls.OPEN_STATUSES)


class ReferralStatusChange(models.Model):
    """One step of a referral, dated and signed. The first row of each referral has no ``from_status``."""

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="changes")
    from_status = models.CharField(_("from"), max_length=20, choices=Referral.Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Referral.Status.choices)
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("reason"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("referral status change")
        verbose_name_plural = _("referral status changes")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(from_status=models.F("to_status")), name="referral_change_changes"),
        ]
        indexes = [
            models.Index(fields=["referral", "at"], name="referralchange_referral_at"),
            models.Index(fields=["to_status", "at"], name="referralchange_status_at"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} {self.from_status or '-'} → {self.to_status}"


class ReferralFollowUpChange(models.Model):
    """A follow-up date moved by hand, without a new status: from which date to which, when, by whom and why.

    Kept apart from ``ReferralStatusChange`` so that the figures counted from status changes (take-up,
    referrals sent) never count a postponement as a step. A status change sets the follow-up date too;
    that one is part of the step and is not repeated here.
    """

    REASON_MAX_LENGTH = 500

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="follow_up_changes")
    # Empty only for an open referral that had no date, which the service never leaves behind.
    from_date = models.DateField(_("from"), null=True, blank=True)
    to_date = models.DateField(_("to"))
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    # Required: a postponed follow-up is a promise to the client moved, and the coordinator reads why.
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)

    class Meta:
        verbose_name = _("follow-up date change")
        verbose_name_plural = _("follow-up date changes")
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_date=models.F("to_date")), name="referral_follow_up_change_changes"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_follow_up_change_has_reason"),
        ]
        indexes = [
            models.Index(fields=["referral", "at"], name="referralfollowup_referral_at"),
        ]

    def __str__(self) -> str:
        return f"{self.referral} {self.from_date or '-'} → {self.to_date}"

"""Who looked at which client's record, and the change history of every client-related record.

Views of a record are ``AccessLogEntry`` rows written by the views that show client data. Changes are
kept by django-simple-history: the health models carry their own ``HistoricalRecords``; the client,
visit and counseling models are registered here, so that their history tables live in this app and the
apps that own the models keep their migrations to themselves.

Neither kind can be changed or removed through the app or the admin: the models declare no add,
change or delete permission, no view writes them except to append, and nothing is registered in admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange
from visits.models import Ban, BoothSession, Client, Contact, HandOut, Observation, ObservationCheck, Refusal, Visit


class AccessLogEntry(models.Model):
    """One view of a client's record by a staff member: who, when, which client, which page."""

    class Kind(models.TextChoices):
        CARD = "card", _("Client card")
        TIMELINE = "timeline", _("Timeline")
        HEALTH = "health", _("Health record")
        COUNSELING = "counseling", _("Counseling notes")
        EMERGENCY = "emergency", _("Emergency record")
        PARAMEDIC_SHEET = "paramedic_sheet", _("Paramedic sheet")
        EXPORT = "export", _("Data export")
        REFERRAL = "referral", _("Referral")
        INCIDENT = "incident", _("Incident report")
        HANDOVER = "handover", _("Handover")
        ROOM_BOARD = "room_board", _("Room board")

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    client = models.ForeignKey(
        "visits.Client", on_delete=models.PROTECT, related_name="access_log", verbose_name=_("client")
    )
    kind = models.CharField(_("what was viewed"), max_length=20, choices=Kind.choices)
    # The page's address without host, e.g. a timeline month; enough to tell two views apart.
    path = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        ordering = ["-at", "-id"]
        # Append-only: no add, change, delete or view model permission exists to grant.
        default_permissions = ()
        permissions = [
            ("review_access", _("Can review who viewed and changed client records")),
            ("export_client_data", _("Can export one client's data for an access request")),
        ]
        indexes = [
            models.Index(fields=["client", "-at"], name="accesslog_client_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.kind} {self.client_id}"


# The change log of client-related records. Writes that send no signals (a conditional ``update()`` that
# settles a race, ``bulk_create``) log themselves through ``visits.services.history``.
HISTORY_MODELS = [
    Client,
    Ban,
    Visit,
    Refusal,
    Contact,
    HandOut,
    BoothSession,
    Observation,
    ObservationCheck,
    Intake,
    CounselingSession,
    Referral,
    ReferralFollowUpChange,
]
for _model in HISTORY_MODELS:
    register(_model, app="audit")

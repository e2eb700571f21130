"""Who looked at which client's record, and the change history of every client-related record.

Views of a record are ``AccessLogEntry`` rows written by the views that show client data. Changes are
kept by django-simple-history: the health models carry their own ``HistoricalRecords``; the client,
visit and counseling models are registered by the apps that own them with ``app="audit"``, so that their
history tables live in this app and the owning apps keep their migrations to themselves.

A third kind, ``AdminChange``, keeps who changed a staff member's roles and permissions, or one of the
facility's settings, with each changed field before and after (``audit.signals`` writes it).

None of them can be changed or removed through the app or the admin: the models declare no add,
change or delete permission, no view writes them except to append, and nothing is registered in admin.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLogEntry(models.Model):
    """One view of a client's record by a staff member: who, when, which client, which page."""

    class Kind(models.TextChoices):
        CARD = "card", _("Client card")
        TIMELINE = "timeline", _("Timeline")
        HEALTH = "health", _("Health record")
        COUNSELING = "counseling", _("Counseling notes")
        # A session's time and topics, without its notes: what a viewer who may not read counseling text sees.
        SESSIONS = "sessions", _("Counseling sessions (time and topics)")
        EMERGENCY = "emergency", _("Emergency record")
        PARAMEDIC_SHEET = "paramedic_sheet", _("Paramedic sheet")
        EXPORT = "export", _("Data export")
        REFERRAL = "referral", _("Referral")
        INCIDENT = "incident", _("Incident report")
        HANDOVER = "handover", _("Handover")
        ROOM_BOARD = "room_board", _("Room board")
        DAY_SHEET = "day_sheet", _("Day sheet")

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


class AdminChange(models.Model):
    """One change of a staff member's access (roles, permissions, the active flag) or of a facility setting.

    Written by ``audit.signals`` for every save, delete and role or permission change of the audited
    models, whichever code made it (the admin, a service, a command). Holds no client data. Append-only:
    a row is never updated or deleted, and no permission exists to grant.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    at = models.DateTimeField(_("at"), db_index=True)
    # Nobody when the change came from outside a request (a command, ``migrate`` syncing the roles).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of record")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    # The record as it was named then: it may since be renamed or deleted.
    object_repr = models.CharField(_("record"), max_length=200)
    # {field name: {"before": value, "after": value}}; a created record has no "before", a deleted no "after".
    changes = models.JSONField(_("changes"), default=dict, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("administrative change")
        verbose_name_plural = _("administrative changes")
        ordering = ["-at", "-id"]
        default_permissions = ()
        indexes = [models.Index(fields=["user", "-at"], name="adminchange_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError("An administrative change is kept as written: it cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("An administrative change is kept as written: it cannot be deleted.")

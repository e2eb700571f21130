"""Security incidents inside the facility and around it, recorded by the duty officer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Incident(models.Model):
    """Something that threatened safety or order, who was involved, and what staff did about it.

    Community-side incidents (outside the entrance, a neighbour's complaint) are recorded here too,
    since the facility answers for its surroundings; ``community_q`` picks them out for the reports.
    """

    class Kind(models.TextChoices):
        VIOLENCE = "violence", _("Violence")
        THREATS = "threats", _("Threats")
        DEALING = "dealing", _("Dealing on the premises")
        DAMAGE = "damage", _("Damage")
        WEAPON = "weapon", _("Weapon")
        POLICE = "police", _("Police called")
        OUTSIDE = "outside", _("Trouble outside the entrance")
        NEIGHBOURS = "neighbours", _("Neighbours' complaint")
        OTHER = "other", _("Other")

    class Area(models.TextChoices):
        ROOM = "room", _("In a room")
        ENTRANCE = "entrance", _("At the entrance")
        OUTSIDE = "outside", _("Outside, in the neighbourhood")

    COMMUNITY_KINDS = (Kind.OUTSIDE, Kind.NEIGHBOURS)
    COMMUNITY_AREAS = (Area.ENTRANCE, Area.OUTSIDE)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("when"))
    area = models.CharField(_("where"), max_length=20, choices=Area.choices, default=Area.ROOM)
    room = models.ForeignKey(
        "visits.Room", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("room")
    )
    clients = models.ManyToManyField(
        "visits.Client", blank=True, related_name="incidents", verbose_name=_("clients involved")
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="incidents", verbose_name=_("staff involved")
    )
    other_party = models.CharField(
        _("others involved"),
        max_length=500,
        blank=True,
        help_text=_("People who are not clients or staff, described without names: 'a neighbour', 'a passer-by'."),
    )
    description = models.TextField(_("what happened"), max_length=4000)
    action_taken = models.TextField(_("what was done"), max_length=4000)
    police_called = models.BooleanField(_("police called"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    # Raised by every write, so a correction opened before someone else's is refused rather than saved
    # over it (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)
    # Corrections keep the incident as it was before, with who corrected it, when and why.
    history = HistoricalRecords(m2m_fields=[clients, staff], history_change_reason_field=models.TextField(null=True))

    class Meta:
        verbose_name = _("security incident")
        verbose_name_plural = _("security incidents")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["-occurred_at"], name="incident_occurred")]
        constraints = [
            # A room is named exactly when the incident happened in one.
            models.CheckConstraint(
                condition=(Q(area="room") & Q(room__isnull=False)) | (~Q(area="room") & Q(room__isnull=True)),
                name="incident_room_matches_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @classmethod
    def community_q(cls) -> Q:
        return Q(kind__in=cls.COMMUNITY_KINDS) | Q(area__in=cls.COMMUNITY_AREAS)

    @property
    def is_community(self) -> bool:
        return self.kind in self.COMMUNITY_KINDS or self.area in self.COMMUNITY_AREAS

    @property
    def place(self) -> str:
        return str(self.room) if self.room_id else str(self.get_area_display())

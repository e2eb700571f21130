"""The roster: shifts, who works each and in which role, the duty officer, and the staffing minimum."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from core.settings_models import FacilitySetting
from core.weekdays import Weekday
from staff.roles import Role

# Roles a person can have on a shift: the ones that work on the floor. Coordinators and
# administrators plan and administer; when they work a shift they do so in a floor role.
FLOOR_ROLES = [Role.RECEPTION, Role.COUNSELOR, Role.HEALTH, Role.DUTY]
FLOOR_ROLE_CHOICES = [(role.value, role.label) for role in FLOOR_ROLES]


class ShiftHistory(models.Model):
    """What a shift's history keeps besides its own fields: its people and their roles, as text.

    The people are rows of their own (``ShiftAssignment``), replaced on every change; the history of
    the shift holds them as they were at each version, so that a refused stale edit can say who was
    put on or taken off the shift meanwhile.
    """

    team = models.TextField(_("staff and their roles"), blank=True)

    class Meta:
        abstract = True


class Shift(models.Model):
    """A stretch of time that a group of staff works, one of them the duty officer (vakthavende).

    Start and end are aware datetimes so that a shift across midnight or a daylight-saving change
    needs nothing special; the date shown is the local date of the start.
    """

    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("planned at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by")
    )
    # Raised by every write, so a shift edited from a form opened before someone else's change is
    # refused rather than saved over it (core.versioning).
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(bases=[ShiftHistory])

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at", "pk"]
        permissions = [
            ("plan_roster", _("Can plan the roster")),
            ("view_roster", _("Can see the roster")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="shift_period")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{start:%Y-%m-%d} {self.times}"

    @classmethod
    def period(cls, day: dt.date, starts: dt.time, ends: dt.time) -> tuple[dt.datetime, dt.datetime]:
        """The aware start and end of a shift planned on local ``day`` from ``starts`` to ``ends``.

        An end before the start is on the next day, as a coordinator means it: 18:00 to 02:00 is an
        evening shift that runs past midnight. An end equal to the start stays on the same day, for
        the caller to refuse: it is a slip far more often than a 24-hour shift.
        """
        tz = timezone.get_default_timezone()
        end_day = day + dt.timedelta(days=1) if ends < starts else day
        return (
            timezone.make_aware(dt.datetime.combine(day, starts), tz),
            timezone.make_aware(dt.datetime.combine(end_day, ends), tz),
        )

    @property
    def date(self) -> dt.date:
        return timezone.localdate(self.starts_at)

    @property
    def end_day_offset(self) -> int:
        """How many local dates the end lies after the start's: 1 for a shift past midnight, else 0."""
        return (timezone.localdate(self.ends_at) - self.date).days

    @property
    def times(self) -> str:
        """The local times, the end marked when it falls on a later date: "18:00–02:00 (+1)"."""
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        later = f" (+{self.end_day_offset})" if self.end_day_offset else ""
        return f"{start:%H:%M}–{end:%H:%M}{later}"

    def is_on(self, now: dt.datetime) -> bool:
        """On from its start up to, not including, its end: at a change of shift only the new one is on."""
        return self.starts_at <= now < self.ends_at


def shift_team_record(team) -> str:
    """The people of a shift as the history keeps them: ``team`` is (user, role, is duty officer)."""
    rows = sorted(([user.display_name, str(role), bool(duty)] for user, role, duty in team), key=_team_order)
    return json.dumps(rows, ensure_ascii=False)


def shift_team_text(record: str) -> str:
    """A team kept by the history, as staff read it in their language: "Kari (Duty officer), Ola (Health worker)"."""
    try:
        rows = json.loads(record or "[]")
    except ValueError:
        return record
    labels = dict(FLOOR_ROLE_CHOICES)
    return ", ".join(f"{name} ({labels.get(role, role)})" for name, role, _duty in rows) or "—"


def _team_order(row: list) -> tuple:
    return (not row[2], row[0])


@receiver(pre_create_historical_record)
def _shift_history_team(sender, instance, history_instance, **kwargs) -> None:
    if not isinstance(instance, Shift):
        return
    team = getattr(instance, "_history_team", None)
    if team is None:  # a write outside the roster's services: the team as the database holds it
        team = shift_team_record(
            (a.user, a.role, a.is_duty_officer) for a in instance.assignments.select_related("user")
        )
    history_instance.team = team


class ShiftAssignment(models.Model):
    """One staff member on one shift, in one role; one of a shift's assignments is its duty officer."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("shift"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shift_assignments", verbose_name=_("staff")
    )
    role = models.CharField(_("role on the shift"), max_length=20, choices=FLOOR_ROLE_CHOICES)
    is_duty_officer = models.BooleanField(_("duty officer"), default=False)

    class Meta:
        verbose_name = _("shift assignment")
        verbose_name_plural = _("shift assignments")
        ordering = ["-is_duty_officer", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="one_assignment_per_person_per_shift"),
            models.UniqueConstraint(
                fields=["shift"], condition=Q(is_duty_officer=True), name="one_duty_officer_per_shift"
            ),
            # The duty officer works the shift as duty officer, whatever else they may do.
            models.CheckConstraint(
                condition=Q(is_duty_officer=False) | Q(role=Role.DUTY), name="duty_officer_has_duty_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} {self.shift}"


class StaffingMinimum(models.Model):
    """The fewest people of a role that must be on duty while the facility is open.

    A row applies on its weekday (every day when empty) between its times (all opening hours when
    empty). Where several rows for one role apply at once, the highest count is the minimum.
    """

    role = models.CharField(_("role"), max_length=20, choices=FLOOR_ROLE_CHOICES)
    count = models.PositiveSmallIntegerField(
        _("at least"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, choices=Weekday.choices, help_text=_("Empty: every day.")
    )
    from_time = models.TimeField(_("from"), null=True, blank=True, help_text=_("Empty: from opening."))
    until_time = models.TimeField(_("until"), null=True, blank=True, help_text=_("Empty: until closing."))

    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("staffing minimum")
        verbose_name_plural = _("staffing minimums")
        ordering = ["weekday", "from_time", "role"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="staffing_minimum_positive"),
            models.CheckConstraint(
                condition=Q(from_time__isnull=True) | Q(until_time__isnull=True) | Q(until_time__gt=F("from_time")),
                name="staffing_minimum_until_after_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.count} × {self.get_role_display()}"

    def applies_at(self, local: dt.datetime) -> bool:
        """Whether this minimum holds at the local (Europe/Oslo) time ``local``."""
        if self.weekday is not None and local.weekday() != self.weekday:
            return False
        time = local.time()
        if self.from_time is not None and time < self.from_time:
            return False
        return not (self.until_time is not None and time >= self.until_time)

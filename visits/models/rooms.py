"""The injection and observation rooms: booth sessions, observations and the checks staff record.

A timer is stored timestamps and the limit it runs against, copied from the route when it starts so
that an administrator changing the route later does not rewrite history. A server restart or a
closed browser loses nothing; the status is derived from the timestamps and ``now``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.durations import duration_seconds
from core.timers import BoothStatus, CheckStatus, ObservationStatus
from visits.models.facility import Booth, Route, Substance
from visits.models.visit import Visit

# A check is "due" from the moment it falls due, and "overdue" once this much later: a board is not
# alarmed by a check being recorded a minute late, and it is by one that is forgotten.
CHECK_GRACE = dt.timedelta(minutes=2)


class CheckClock:
    """When the next check on the person in a booth session or an observation falls due.

    The clock runs from the latest check recorded in this session or observation (from its start when
    none is), for the check interval copied from the route when it started. Pure: the latest check and
    ``now`` are given, so a board computes it for every card from the checks it has already read.

    - ok: before the due time;
    - due: from the due time until ``CHECK_GRACE`` (2 minutes) after it;
    - overdue: from then on, until a check is recorded (which starts the clock again).
    """

    started_at: dt.datetime
    check_interval_minutes: int

    def _is_own_check(self, check: ObservationCheck) -> bool:
        raise NotImplementedError

    def next_check_due(self, latest: ObservationCheck | None = None) -> dt.datetime:
        """The due time of the next check, given the latest check of the visit (None: no check yet).

        A check from an earlier booth session or observation of the same visit does not count.
        """
        since = latest.at if latest is not None and self._is_own_check(latest) else self.started_at
        return max(since, self.started_at) + dt.timedelta(minutes=self.check_interval_minutes)

    def check_status(self, now: dt.datetime, latest: ObservationCheck | None = None) -> str:
        """``ObservationCheck.Due``: ok, due or overdue (see the class docstring)."""
        due = self.next_check_due(latest)
        if now < due:
            return ObservationCheck.Due.OK
        if now < due + CHECK_GRACE:
            return ObservationCheck.Due.DUE
        return ObservationCheck.Due.OVERDUE


class BoothSession(CheckClock, models.Model):
    """One client's time in a booth: what they use and how, from start to end against a time limit.

    One open session per booth and one per visit, both kept by partial unique constraints. The
    checks on the client fall due every ``check_interval_minutes`` (``CheckClock``).
    """

    Status = BoothStatus  # running, due soon, overdue, ended: labels and all in core.timers

    class Outcome(models.TextChoices):
        OBSERVATION = "observation", _("To the observation room")
        LEFT = "left", _("Left the facility")

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="booth_sessions", verbose_name=_("visit"))
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("booth"))
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="+", verbose_name=_("route of use"))
    substance = models.ForeignKey(Substance, on_delete=models.PROTECT, related_name="+", verbose_name=_("substance"))
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"))
    check_interval_minutes = models.PositiveSmallIntegerField(_("check interval (minutes)"), default=5)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("afterwards"), max_length=20, choices=Outcome.choices, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("booth session")
        verbose_name_plural = _("booth sessions")
        ordering = ["-started_at"]
        # Permissions for the floor as a whole are declared with the rooms they act on.
        permissions = [
            ("check_out_visit", _("Can check a client out")),
            ("close_visit_after_hours", _("Can close a visit left open after closing time")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["booth"], condition=Q(ended_at__isnull=True), name="one_open_session_per_booth"
            ),
            models.UniqueConstraint(
                fields=["visit"], condition=Q(ended_at__isnull=True), name="one_open_session_per_visit"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True, outcome="")
                | Q(ended_at__isnull=False, ended_at__gte=F("started_at")) & ~Q(outcome=""),
                name="booth_session_ends_after_start_with_outcome",
            ),
            models.CheckConstraint(condition=Q(time_limit_minutes__gte=1), name="booth_session_limit_positive"),
            models.CheckConstraint(
                condition=Q(check_interval_minutes__gte=1), name="booth_session_check_interval_positive"
            ),
        ]
        indexes = [
            # What a period's consumption figures read (by substance and route, the time in the booth) beside
            # the time, so that a year's sessions are counted from the index alone.
            models.Index(fields=["started_at", "substance", "route", "duration_seconds"], name="boothsession_started"),
            # A visit's first session (the wait for a booth) from the index, without sorting its sessions.
            models.Index(fields=["visit", "started_at"], name="boothsession_visit_started"),
        ]

    def __str__(self) -> str:
        return f"{self.booth} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def deadline(self) -> dt.datetime:
        return self.started_at + dt.timedelta(minutes=self.time_limit_minutes)

    def due_soon_at(self, due_soon: dt.timedelta) -> dt.datetime:
        return max(self.started_at, self.deadline - due_soon)

    def get_status(self, now: dt.datetime, due_soon: dt.timedelta = dt.timedelta(minutes=5)) -> str:
        """Running, due soon (within ``due_soon`` of the limit), overdue, or ended."""
        if self.ended_at is not None:
            return self.Status.ENDED
        if now >= self.deadline:
            return self.Status.OVERDUE
        if now >= self.due_soon_at(due_soon):
            return self.Status.DUE_SOON
        return self.Status.RUNNING

    def elapsed_seconds(self, now: dt.datetime) -> int:
        return duration_seconds(self.started_at, self.ended_at or now)

    def _is_own_check(self, check: ObservationCheck) -> bool:
        return self.pk is not None and check.booth_session_id == self.pk

    def close(self, *, at: dt.datetime, by, outcome: str) -> None:
        self.ended_at = at
        self.ended_by = by
        self.outcome = outcome
        self.duration_seconds = duration_seconds(self.started_at, at)


class Observation(CheckClock, models.Model):
    """A client's time in the observation room, against the route's minimum observation time.

    The checks on the client fall due every ``check_interval_minutes`` (``CheckClock``).
    """

    Status = ObservationStatus  # observing, minimum time reached, released (core.timers)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="observations", verbose_name=_("visit"))
    booth_session = models.ForeignKey(
        BoothSession, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    started_at = models.DateTimeField(_("started at"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    min_minutes = models.PositiveSmallIntegerField(_("minimum observation (minutes)"))
    check_interval_minutes = models.PositiveSmallIntegerField(_("check interval (minutes)"), default=5)
    ended_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_to = models.CharField(_("released to"), max_length=20, choices=Visit.Location.choices, blank=True)
    early_release_reason = models.CharField(_("reason for an early release"), max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit"], condition=Q(ended_at__isnull=True), name="one_open_observation_per_visit"
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="observation_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(check_interval_minutes__gte=1), name="observation_check_interval_positive"
            ),
        ]
        # The time in observation beside the time: a period's is read from the index alone.
        indexes = [models.Index(fields=["started_at", "duration_seconds"], name="observation_started")]

    def __str__(self) -> str:
        return f"{self.visit} {self.started_at:%H:%M}"

    @property
    def minimum_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(minutes=self.min_minutes)

    def get_status(self, now: dt.datetime) -> str:
        """Observing until the minimum time is reached, then releasable; released once ended."""
        if self.ended_at is not None:
            return self.Status.ENDED
        if now >= self.minimum_at:
            return self.Status.MINIMUM_REACHED
        return self.Status.RUNNING

    def is_early(self, now: dt.datetime) -> bool:
        return now < self.minimum_at

    def _is_own_check(self, check: ObservationCheck) -> bool:
        return self.pk is not None and check.observation_id == self.pk

    def elapsed_seconds(self, now: dt.datetime) -> int:
        return duration_seconds(self.started_at, self.ended_at or now)

    def close(self, *, at: dt.datetime, by, released_to: str, reason: str = "") -> None:
        self.ended_at = at
        self.released_by = by
        self.released_to = released_to
        self.early_release_reason = reason
        self.duration_seconds = duration_seconds(self.started_at, at)


class ObservationCheck(models.Model):
    """How a client was at one moment, during consumption in a booth or afterwards in observation.

    "Hard to rouse" and "unresponsive" are flagged: the board shows them in red, and they mark the
    client as at risk of overdose on later visits for a while.
    """

    class State(models.TextChoices):
        ALERT = "alert", _("Alert")
        DROWSY = "drowsy", _("Drowsy")
        HARD_TO_ROUSE = "hard_to_rouse", _("Hard to rouse")
        UNRESPONSIVE = "unresponsive", _("Unresponsive")

    FLAGGED_STATES = frozenset({State.HARD_TO_ROUSE, State.UNRESPONSIVE})

    Due = CheckStatus  # where the next check stands (``CheckClock``)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="checks", verbose_name=_("visit"))
    booth_session = models.ForeignKey(
        BoothSession, on_delete=models.PROTECT, null=True, blank=True, related_name="checks"
    )
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, null=True, blank=True, related_name="checks")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)

    class Meta:
        verbose_name = _("observation check")
        verbose_name_plural = _("observation checks")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booth_session__isnull=False, observation__isnull=True)
                | Q(booth_session__isnull=True, observation__isnull=False),
                name="check_in_booth_or_observation",
            ),
        ]
        indexes = [
            models.Index(fields=["visit", "-at"], name="check_visit_at"),
            models.Index(fields=["at"], condition=Q(flagged=True), name="check_flagged_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.at:%H:%M}"

    @property
    def is_flagged_state(self) -> bool:
        return self.state in self.FLAGGED_STATES

"""Counseling sessions in the interview room and the topics they cover."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.durations import whole_minutes
from core.settings_models import FacilitySetting
from core.translated import TranslatedName


class Topic(TranslatedName):
    """A subject a counseling session may cover (housing, NAV, safer use ...). Administrators edit the list."""

    enabled = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    # Kept in memory for the interview room's list of sessions (``counseling.selectors.sessions``).
    facility_setting = FacilitySetting.CACHED

    class Meta:
        verbose_name = _("counseling topic")
        verbose_name_plural = _("counseling topics")
        ordering = ["position", "pk"]


class CounselingSession(models.Model):
    """A talk between a counselor and a client, written up with its topics, notes and agreed next steps.

    The notes are for counselors and coordinators only (``view_counseling_notes``); others allowed to see
    sessions see when, who and the topics.
    """

    client = models.ForeignKey(
        "visits.Client", on_delete=models.PROTECT, related_name="counseling_sessions", verbose_name=_("client")
    )
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.PROTECT, null=True, blank=True, related_name="counseling_sessions"
    )
    counselor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("counselor")
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"))
    topics = models.ManyToManyField(Topic, related_name="sessions", verbose_name=_("topics"))
    notes = models.TextField(_("notes"), max_length=5000, blank=True)
    next_steps = models.TextField(_("agreed next steps"), max_length=2000, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))

    # Longer than this is surely a typing error (and a clock end before the start is the next day only
    # when the session is no longer than this).
    MAX_LENGTH = dt.timedelta(hours=8)

    # The topics in the list's order, as the interview room shows them: set by the sessions' selector,
    # which reads them with the sessions (``counseling.selectors.sessions.sessions_since``).
    shown_topics: list[Topic]

    class Meta:
        verbose_name = _("counseling session")
        verbose_name_plural = _("counseling sessions")
        ordering = ["-started_at"]
        permissions = [("view_counseling_notes", _("Can read counseling notes"))]
        constraints = [
            models.CheckConstraint(condition=Q(ended_at__gte=F("started_at")), name="session_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["client", "-started_at"], name="session_client_started"),
            models.Index(fields=["started_at"], name="session_started"),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.started_at:%Y-%m-%d %H:%M}"

    @classmethod
    def period(cls, day: dt.date, starts: dt.time, ends: dt.time) -> tuple[dt.datetime, dt.datetime]:
        """The aware start and end of a session held on local ``day`` from ``starts`` to ``ends``.

        An end before the start is on the next day when that makes a session of at most ``MAX_LENGTH``:
        23:40 to 00:10 is a half-hour talk past midnight. Otherwise (14:00 to 13:00) it stays on the same
        day, an end before the start, for the form and the service to refuse.
        """
        tz = timezone.get_default_timezone()
        start = timezone.make_aware(dt.datetime.combine(day, starts), tz)
        end = timezone.make_aware(dt.datetime.combine(day, ends), tz)
        if ends < starts:
            next_day = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), ends), tz)
            if next_day - start <= cls.MAX_LENGTH:
                end = next_day
        return start, end

    @property
    def end_day_offset(self) -> int:
        """How many local dates the end lies after the start's: 1 for a session past midnight, else 0."""
        return (timezone.localdate(self.ended_at) - timezone.localdate(self.started_at)).days

    @property
    def duration_minutes(self) -> int:
        return whole_minutes(self.duration_seconds)

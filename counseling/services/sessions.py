"""Writes of counseling sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.durations import duration_seconds
from counseling.models import CounselingSession, Topic
from staff.models import User
from visits.models import Client, Visit

# A session written up a little ahead of the clock on the wall is fine; hours ahead is a typing error.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_SESSION = CounselingSession.MAX_LENGTH


@transaction.atomic
def counseling_session_record(
    *,
    client: Client,
    by: User,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    topics: Iterable[Topic],
    notes: str = "",
    next_steps: str = "",
    visit: Visit | None = None,
) -> CounselingSession:
    """Write up a counseling session held by ``by``. It belongs to the visit the client was on, if any."""
    now = timezone.now()
    topics = list(topics)
    if ended_at < started_at:
        raise ValidationError(_("The session cannot end before it started."), code="ends_before_start")
    if ended_at > now + FUTURE_TOLERANCE:
        raise ValidationError(_("The session cannot end in the future."), code="in_future")
    if ended_at - started_at > MAX_SESSION:
        raise ValidationError(
            _("A session longer than %(hours)d hours is surely a typing error. Check the times.")
            % {"hours": MAX_SESSION.total_seconds() // 3600},
            code="too_long",
        )
    if not topics:
        raise ValidationError(_("Choose at least one topic."), code="no_topic")
    if visit is not None and visit.client_id != client.pk:
        raise ValidationError(_("That visit is another client's."), code="wrong_visit")
    if visit is None:
        visit = (
            Visit.objects.filter(client=client, checked_in_at__lte=started_at)
            .filter(ended_at__isnull=True)
            .order_by("-checked_in_at")
            .first()
        )
    session = CounselingSession.objects.create(
        client=client,
        visit=visit,
        counselor=by,
        started_at=started_at,
        ended_at=ended_at,
        duration_seconds=duration_seconds(started_at, ended_at),
        notes=notes.strip(),
        next_steps=next_steps.strip(),
        recorded_at=now,
    )
    session.topics.set(topics)
    return session

"""Reads of counseling sessions."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from core.aggregates import JoinedIds, split_ids
from core.capped import Capped, capped
from counseling.models import CounselingSession, Topic
from visits.selectors.settings import kept

# Sessions the interview room lists; it says how many more there are.
SESSIONS_SHOWN = 15


def _topic_ids() -> Subquery:
    """The ids of the session's topics, read within the sessions' own query (``JoinedIds``)."""
    through = CounselingSession.topics.through
    return Subquery(
        through.objects.filter(counselingsession_id=OuterRef("pk"))
        .order_by()
        .values("counselingsession_id")
        .annotate(ids=JoinedIds("topic_id"))
        # The type checker's plugin does not see an annotation on an auto-created through model.
        .values("ids")  # type: ignore[misc]
    )


def _topics() -> dict[int, Topic]:
    """Every topic by id: a setting, kept per settings version (``visits.selectors.settings.kept``)."""
    return kept("counseling_topics", lambda: {topic.pk: topic for topic in Topic.objects.all()})


def sessions_since(since: dt.datetime, *, limit: int = SESSIONS_SHOWN) -> Capped[CounselingSession]:
    """Sessions started since ``since``, newest first, with client, counselor and their topics in list
    order (``shown_topics``): the first ``limit`` and how many there are in all. One query; the topics
    come from the kept list (one more only for a topic it does not hold yet)."""
    sessions: Capped[CounselingSession] = capped(
        CounselingSession.objects.filter(started_at__gte=since)
        .select_related("client", "counselor")
        .annotate(topic_ids=_topic_ids())
        .order_by("-started_at", "-pk"),
        limit,
    )
    topics = _topics()
    ids = {session.pk: split_ids(getattr(session, "topic_ids", None)) for session in sessions}
    wanted = {pk for session_ids in ids.values() for pk in session_ids}
    missing = wanted - topics.keys()
    if missing:
        topics = {**topics, **{topic.pk: topic for topic in Topic.objects.filter(pk__in=missing)}}
    for session in sessions:  # in the topics' own order (``Topic.Meta.ordering``), as the relation reads them
        shown = [topics[pk] for pk in ids[session.pk] if pk in topics]
        session.shown_topics = sorted(shown, key=lambda topic: (topic.position, topic.pk))
    return sessions

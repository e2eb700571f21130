"""Reads of referrals: a client's open ones, the follow-ups due, one referral's history, take-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Prefetch, Q, QuerySet

from core.capped import capped
from counseling.models import Referral, ReferralFollowUpChange, ReferralService, ReferralStatusChange
from visits.models import Client

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def client_open_referrals(client: Client) -> list[Referral]:
    """The client's open referrals, soonest follow-up first. One query."""
    return list(
        Referral.objects.filter(client=client, status__in=Referral.OPEN_STATUSES)
        .select_related("service")
        .order_by("follow_up_on", "created_at")
    )


# The follow-ups the interview room shows: the longest overdue first. The rest are on the follow-up page.
FOLLOW_UPS_SHOWN = 10


@dataclass
class FollowUps:
    """Open referrals whose follow-up date has come, the longest overdue first, the first ``limit`` of them:
    overdue ones, then today's, and how many are due in all."""

    overdue: list[Referral]
    due_today: list[Referral]
    total: int = 0

    def __len__(self) -> int:
        return len(self.overdue) + len(self.due_today)

    @property
    def more(self) -> int:
        """How many due referrals are not shown."""
        return self.total - len(self)


def referrals_follow_up_due(today: dt.date, *, limit: int = FOLLOW_UPS_SHOWN) -> FollowUps:
    """Open referrals to follow up today or already overdue, oldest date first, the first ``limit`` of them
    and how many there are in all. One query, however many are due."""
    due = capped(
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES, follow_up_on__lte=today)
        .select_related("client", "service")
        .order_by("follow_up_on", "created_at", "pk"),
        limit,
    )
    return FollowUps(
        overdue=[r for r in due if r.follow_up_on != today],  # the rest: all are on or before today
        due_today=[r for r in due if r.follow_up_on == today],
        total=due.total,
    )


def referrals_open() -> QuerySet[Referral]:
    """Every open referral, soonest follow-up first, for the follow-up page (which shows a page at a time)."""
    return (
        Referral.objects.filter(status__in=Referral.OPEN_STATUSES)
        .select_related("client", "service", "created_by")
        .order_by("follow_up_on", "created_at", "pk")
    )


def referral_with_history(pk: int) -> Referral:
    """One referral with its client, service, every status change and every follow-up date moved, in order.

    Raises DoesNotExist.
    """
    return (
        Referral.objects.select_related("client", "service", "created_by", "visit")
        .prefetch_related(
            Prefetch("changes", queryset=ReferralStatusChange.objects.select_related("by")),
            Prefetch("follow_up_changes", queryset=ReferralFollowUpChange.objects.select_related("by")),
        )
        .get(pk=pk)
    )


HistoryEntry = tuple[str, ReferralStatusChange | ReferralFollowUpChange]


def referral_history(referral: Referral) -> list[HistoryEntry]:
    """The referral's status changes ("status") and follow-up moves ("follow_up") as one list, oldest first.

    Reads what ``referral_with_history`` prefetched; no query of its own then.
    """
    entries: list[HistoryEntry] = [("status", change) for change in referral.changes.all()]
    entries += [("follow_up", change) for change in referral.follow_up_changes.all()]
    # A status change and a move in the same instant: the step first, as it came first in the work.
    return sorted(entries, key=lambda entry: (entry[1].at, entry[0] != "status", entry[1].pk))


class TakeUp(TypedDict):
    made: int
    accepted: int
    attended: int


def referrals_take_up(start: dt.datetime, end: dt.datetime) -> list[WithAnnotations[ReferralService, TakeUp]]:
    """Per service, referrals made in [start, end) and how many of those the service accepted and the
    client attended, whatever the date of the acceptance. Services with none are left out.

    Each service comes back with ``made``, ``accepted`` and ``attended``; counted in the database, one query.
    The period is a join condition, not only an aggregate filter, so that the query reads the period's
    referrals (by their date index) instead of joining every referral and status change ever made.
    """
    return list(
        ReferralService.objects.filter(referrals__created_at__gte=start, referrals__created_at__lt=end)
        .annotate(
            made=Count("referrals", distinct=True),
            accepted=Count(
                "referrals", filter=Q(referrals__changes__to_status__in=Referral.ACCEPTED_STATUSES), distinct=True
            ),
            attended=Count(
                "referrals", filter=Q(referrals__changes__to_status=Referral.Status.ATTENDED), distinct=True
            ),
        )
        .order_by("position", "pk")
    )

"""The client card: what reception sees about a client in one screen, read from visits, counseling and health."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Subquery, Value, When

from counseling.models import Intake
from health.selectors import client_had_recent_overdose, had_recent_overdose
from visits.models import Ban, Client, Refusal, Visit


@dataclass
class ClientCard:
    """What reception sees about a client in one screen. A constant number of queries."""

    client: Client
    active_ban: Ban | None
    upcoming_ban: Ban | None
    intake_done_at: dt.datetime | None
    last_intake_refused: Intake | None
    visits_30_days: int
    last_visit_at: dt.datetime | None
    # What the client brought on their latest visit: the check-in's default substance.
    last_substance_id: int | None
    open_visit: Visit | None
    recent_refusals: list[Refusal]
    recent_overdose: bool

    @property
    def inside(self) -> bool:
        return self.open_visit is not None


def _visits_at_a_glance(client: Client, since: dt.datetime) -> tuple[Visit | None, int, dt.datetime | None, int | None]:
    """The open visit, the visits since ``since``, when the last one began and what it brought, in one query.

    The rows are the open visit, if any, and the latest visit (often the same one); each carries the count.
    """
    latest = Visit.objects.filter(client=client).order_by("-checked_in_at", "-pk").values("pk")[:1]
    recent = (
        Visit.objects.filter(client=client, checked_in_at__gte=since)
        .order_by()
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = list(
        Visit.objects.filter(client=client)
        .filter(Q(ended_at__isnull=True) | Q(pk=Subquery(latest)))
        .annotate(recent_count=Subquery(recent))
    )
    open_visit = next((v for v in rows if v.ended_at is None), None)
    latest_row = max(rows, key=lambda v: (v.checked_in_at, v.pk), default=None)
    last_visit_at = latest_row.checked_in_at if latest_row is not None else None
    last_substance_id = latest_row.substance_id if latest_row is not None else None
    return open_visit, (rows[0].recent_count or 0) if rows else 0, last_visit_at, last_substance_id


def card_clients(now: dt.datetime) -> QuerySet[Client]:
    """Clients as the card reads them: each with whether they had an overdose in the last days, so that
    the card asks no query of its own for it."""
    return Client.objects.annotate(recent_overdose=had_recent_overdose(now))


def client_card(client: Client, now: dt.datetime) -> ClientCard:
    """``client`` read with ``card_clients`` brings its recent overdose; any other is asked here."""
    since = now - dt.timedelta(days=30)
    open_visit, visits_30_days, last_visit_at, last_substance_id = _visits_at_a_glance(client, since)
    bans = list(
        client.bans.filter(Q(lifted_at__isnull=True) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))).order_by(
            "starts_at"
        )
    )
    active = next((b for b in bans if b.is_active(now)), None)
    upcoming = next((b for b in bans if b.starts_at > now), None)
    # The latest accepted intake, or failing that the latest refused one: one query either way.
    intake = (
        Intake.objects.filter(client=client, outcome__in=[Intake.Outcome.ACCEPTED, Intake.Outcome.REFUSED])
        .order_by(Case(When(outcome=Intake.Outcome.ACCEPTED, then=Value(0)), default=Value(1)), "-at")
        .first()
    )
    accepted = intake is not None and intake.outcome == Intake.Outcome.ACCEPTED
    intake_done_at = intake.at if intake is not None and accepted else None
    refused = intake if intake is not None and not accepted else None
    recent_overdose = getattr(client, "recent_overdose", None)
    if recent_overdose is None:
        recent_overdose = client_had_recent_overdose(client, now)
    return ClientCard(
        client=client,
        active_ban=active,
        upcoming_ban=upcoming,
        intake_done_at=intake_done_at,
        last_intake_refused=refused,
        visits_30_days=visits_30_days,
        last_visit_at=last_visit_at,
        last_substance_id=last_substance_id,
        open_visit=open_visit,
        recent_refusals=list(client.refusals.filter(at__gte=since).order_by("-at")[:3]),
        recent_overdose=recent_overdose,
    )

"""Reads about clients: search as reception types, near matches, and the client card."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from visits import codes
from visits.models import Ban, Client, Refusal, Visit

if TYPE_CHECKING:
    from counseling.models import Intake

SEARCH_LIMIT = 10


def _with_flags(queryset, now: dt.datetime):
    """Annotate whether each client is inside now and whether a ban is in force."""
    return queryset.annotate(
        is_inside=Exists(Visit.objects.filter(client=OuterRef("pk"), ended_at__isnull=True)),
        is_banned=Exists(Ban.objects.filter(Ban.active_q(now), client=OuterRef("pk"))),
    )


def client_search(query: str, *, now: dt.datetime | None = None, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Clients whose code starts with what was typed (normalised), best first, with their flags."""
    normalised = codes.normalise(query)
    if len(normalised) < 2:
        return []
    queryset = Client.objects.filter(code__startswith=normalised).order_by("code")
    return list(_with_flags(queryset, now or timezone.now())[:limit])


def client_near_matches(*, letters: str, birth_year: int, gender: str, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Clients with the same birth year and gender whose letters differ by one letter.

    The same person is then likely registered already under a code misheard or misspelt.
    """
    letters = codes.normalise(letters)
    candidates = Client.objects.filter(birth_year=birth_year, gender=gender).only(
        "code", "birth_year", "gender", "status"
    )
    found = []
    for client in candidates:
        parsed = codes.parse(client.code)
        if parsed and codes.one_letter_apart(parsed.letters, letters):
            found.append(client)
            if len(found) >= limit:
                break
    return found


def client_near_matches_for_query(query: str) -> list[Client]:
    parsed = codes.parse(query)
    if parsed is None:
        return []
    return client_near_matches(letters=parsed.letters, birth_year=parsed.birth_year, gender=parsed.gender)


def active_ban(client: Client, now: dt.datetime) -> Ban | None:
    return client.bans.filter(Ban.active_q(now)).order_by("-starts_at").first()


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
    open_visit: Visit | None
    recent_refusals: list[Refusal]
    recent_overdose: bool

    @property
    def inside(self) -> bool:
        return self.open_visit is not None


def client_card(client: Client, now: dt.datetime) -> ClientCard:
    from counseling.models import Intake
    from health.selectors import client_had_recent_overdose

    since = now - dt.timedelta(days=30)
    visit_stats = client.visits.aggregate(
        recent=Count("pk", filter=Q(checked_in_at__gte=since)), last=Max("checked_in_at")
    )
    open_visit = client.visits.filter(ended_at__isnull=True).first()
    bans = list(
        client.bans.filter(Q(lifted_at__isnull=True) & (Q(ends_at__isnull=True) | Q(ends_at__gt=now))).order_by(
            "starts_at"
        )
    )
    active = next((b for b in bans if b.is_active(now)), None)
    upcoming = next((b for b in bans if b.starts_at > now), None)
    accepted = Intake.objects.filter(client=client, outcome=Intake.Outcome.ACCEPTED)
    intake_done_at = accepted.order_by("-at").values_list("at", flat=True).first()
    refused = None
    if intake_done_at is None:
        refused = Intake.objects.filter(client=client, outcome=Intake.Outcome.REFUSED).order_by("-at").first()
    return ClientCard(
        client=client,
        active_ban=active,
        upcoming_ban=upcoming,
        intake_done_at=intake_done_at,
        last_intake_refused=refused,
        visits_30_days=visit_stats["recent"],
        last_visit_at=visit_stats["last"],
        open_visit=open_visit,
        recent_refusals=list(client.refusals.filter(at__gte=since).order_by("-at")[:3]),
        recent_overdose=client_had_recent_overdose(client, now),
    )

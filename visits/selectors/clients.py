"""Reads about clients: search as reception types, near matches, the ban in force."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.utils import timezone

from visits import codes
from visits.models import Ban, Client, Visit

SEARCH_LIMIT = 10


def _with_flags(queryset: QuerySet[Client], now: dt.datetime) -> QuerySet[Client]:
    """Annotate whether each client is inside now and whether a ban is in force."""
    return queryset.annotate(
        is_inside=Exists(Visit.objects.filter(client=OuterRef("pk"), ended_at__isnull=True)),
        is_banned=Exists(Ban.objects.filter(Ban.active_q(now), client=OuterRef("pk"))),
    )


def client_search(query: str, *, now: dt.datetime | None = None, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Clients whose code starts with what was typed (normalised), best first, with their flags.

    One letter matches a good share of all codes: those seen most recently come first (the client at the
    desk is most likely a regular), and the list stays bounded. Two or more are listed in code order.
    The prefix is matched on the code's `varchar_pattern_ops` index; the last check-in is read per
    matching client from the visit index on (client, -checked_in_at).
    """
    normalised = codes.normalise(query)
    if not normalised:
        return []
    queryset = Client.objects.filter(code__startswith=normalised)
    if len(normalised) == 1:
        last_visit = Visit.objects.filter(client=OuterRef("pk")).order_by("-checked_in_at").values("checked_in_at")
        queryset = queryset.annotate(last_seen=Subquery(last_visit[:1])).order_by(
            F("last_seen").desc(nulls_last=True), "code"
        )
    else:
        queryset = queryset.order_by("code")
    return list(_with_flags(queryset, now or timezone.now())[:limit])


def _one_edit_pattern(letters: str, birth_year: int, gender: str) -> str:
    """A regular expression for every code whose letters are one change, insertion, removal or swap from ``letters``.

    A superset (a swap is matched as any two neighbouring letters): ``codes.one_letter_apart`` decides.
    """
    any_letter = "[A-ZÆØÅ]"
    n = len(letters)
    shapes = {letters[:i] + any_letter + letters[i + 1 :] for i in range(n)}
    shapes |= {letters[:i] + any_letter * 2 + letters[i + 2 :] for i in range(n - 1)}
    shapes |= {letters[:i] + any_letter + letters[i:] for i in range(n + 1)}
    shapes |= {letters[:i] + letters[i + 1 :] for i in range(n)}
    return f"^({'|'.join(sorted(shapes))}){birth_year:04d}{gender}$"


def client_near_matches(*, letters: str, birth_year: int, gender: str, limit: int = SEARCH_LIMIT) -> list[Client]:
    """Clients with the same birth year and gender whose letters differ by one letter.

    The same person is then likely registered already under a code misheard or misspelt. The database
    keeps only the codes of that shape, so the work does not grow with the register.
    """
    letters = codes.normalise(letters)
    candidates = Client.objects.filter(
        birth_year=birth_year, gender=gender, code__regex=_one_edit_pattern(letters, birth_year, gender)
    ).only("code", "birth_year", "gender", "status")
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

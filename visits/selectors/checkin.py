"""Whether a client may be checked in now, and if not, why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from core.days import day_start
from visits.models import Ban, Client, Intoxication, Refusal, Substance, Visit
from visits.selectors.clients import active_ban
from visits.selectors.facility import admits_at
from visits.selectors.settings import all_substances


@dataclass(frozen=True)
class Blocker:
    """A rule that stops a check-in. ``reason`` is the refusal it records; None means not a refusal."""

    reason: str | None
    message: str

    @property
    def overridable(self) -> bool:
        return self.reason is not None


def substance_list() -> list[Substance]:
    """Every substance in the usual order, shared by the forms of the card: read once per change of the
    settings (``visits.selectors.settings``), as the boards read the allowed ones."""
    return list(all_substances())


class _Unread:
    """The ban not read yet: ``check_in_blockers`` reads it."""


UNREAD = _Unread()


def overnight_leftovers(now: dt.datetime) -> QuerySet[Visit]:
    """Visits still open from before today: the overnight close's, read from the index of open visits."""
    return Visit.objects.filter(ended_at__isnull=True, checked_in_at__lt=day_start(now))


@dataclass(frozen=True)
class AtTheDoor:
    """What a check-in weighs besides the client's row: their open visit, a ban in force, and whether
    visits are left open from before today (the overnight close comes first then)."""

    open_visit_pk: int | None
    open_visit_by_pk: int | None
    open_visit_at: dt.datetime | None
    ban_reason: str | None
    overnight_leftovers: bool


def at_the_door(client_pk: int, now: dt.datetime) -> AtTheDoor:
    """One query, for a check-in to make once the client's row is locked: read after the lock, it sees
    what a check-in of the same client that held the lock committed."""
    open_visits = Visit.objects.filter(client=OuterRef("pk"), ended_at__isnull=True).order_by("-checked_in_at")
    bans = Ban.objects.filter(Ban.active_q(now), client=OuterRef("pk")).order_by("-starts_at")
    row = (
        Client.objects.filter(pk=client_pk)
        .annotate(
            open_visit_pk=Subquery(open_visits.values("pk")[:1]),
            open_visit_by_pk=Subquery(open_visits.values("checked_in_by")[:1]),
            open_visit_at=Subquery(open_visits.values("checked_in_at")[:1]),
            ban_reason=Subquery(bans.values("reason")[:1]),
            overnight_leftovers=Exists(overnight_leftovers(now)),
        )
        .values("open_visit_pk", "open_visit_by_pk", "open_visit_at", "ban_reason", "overnight_leftovers")
        .get()
    )
    return AtTheDoor(**row)


def check_in_blockers(
    client: Client,
    *,
    substance: Substance | None,
    intoxication: str,
    now: dt.datetime,
    open_visit_exists: bool,
    ban_reason: str | None | _Unread = UNREAD,
) -> list[Blocker]:
    """Why the client may not be checked in now, if anything; ``ban_reason`` is the reason of the ban in
    force when it was read already (None: no ban)."""
    blockers: list[Blocker] = []
    if open_visit_exists:
        blockers.append(Blocker(None, (_("The client is already checked in."))))
    if not admits_at(now):
        blockers.append(
            Blocker(
                Refusal.Reason.OUTSIDE_HOURS,
                (_("Check-in is closed now (outside opening hours or after last admission).")),
            )
        )
    if client.status != Client.Status.ACTIVE:
        blockers.append(
            Blocker(
                Refusal.Reason.NOT_ELIGIBLE, (_("The client has no completed intake. Send them to the interview room."))
            )
            if client.status == Client.Status.PENDING
            else Blocker(Refusal.Reason.NOT_ELIGIBLE, (_("The client is deregistered. A new intake is needed.")))
        )
    if isinstance(ban_reason, _Unread):
        ban = active_ban(client, now)
        ban_reason = ban.reason if ban is not None else None
    if ban_reason is not None:
        blockers.append(
            Blocker(Refusal.Reason.BANNED, (_("The client is banned: %(reason)s") % {"reason": ban_reason}))
        )
    if substance is not None and not substance.enabled:
        blockers.append(
            Blocker(
                Refusal.Reason.SUBSTANCE_NOT_ALLOWED,
                (_("%(substance)s may not be used here.") % {"substance": substance.label}),
            )
        )
    if intoxication == Intoxication.HEAVY:
        blockers.append(
            Blocker(Refusal.Reason.TOO_INTOXICATED, (_("The client is too intoxicated to use safely now.")))
        )
    return blockers

"""Whether a client may be checked in now, and if not, why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from visits.models import Client, Intoxication, Refusal, Substance
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


def check_in_blockers(
    client: Client, *, substance: Substance | None, intoxication: str, now: dt.datetime, open_visit_exists: bool
) -> list[Blocker]:
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
    ban = active_ban(client, now)
    if ban is not None:
        blockers.append(
            Blocker(Refusal.Reason.BANNED, (_("The client is banned: %(reason)s") % {"reason": ban.reason}))
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

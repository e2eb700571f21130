"""Writes of security incidents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import version_bump, version_check
from staff.models import User
from visits.models import Client, Incident, Room

# Station computers' clocks drift a little; an incident "a minute from now" is not an error.
CLOCK_SLACK = dt.timedelta(minutes=5)

# What the correction form edits, compared when a correction from a stale form is refused.
CORRECTION_FIELDS = (
    "kind",
    "occurred_at",
    "area",
    "room",
    "clients",
    "staff",
    "other_party",
    "description",
    "action_taken",
    "police_called",
)


def _client_codes(record: Any) -> str:  # a row of the incident's history
    """The codes of a history record's clients, for the list of what changed."""
    ids = [row.client_id for row in record.clients.all()]
    return ", ".join(sorted(Client.objects.filter(pk__in=ids).values_list("code", flat=True))) or "—"


def _staff_names(user_ids: Iterable[int]) -> str:
    users = User.objects.filter(pk__in=list(user_ids))
    return ", ".join(sorted(user.display_name for user in users)) or "—"


def _checked(
    *,
    kind: str,
    occurred_at: dt.datetime,
    area: str,
    room: Room | None,
    clients: Sequence[Client],
    staff: Sequence[User],
    other_party: str,
    description: str,
    action_taken: str,
    now: dt.datetime,
) -> Room | None:
    """What an incident must hold, recorded or corrected; returns the room (None outside a room)."""
    if kind not in Incident.Kind.values:
        raise ValidationError(_("Choose what kind of incident it was."), code="kind")
    if area not in Incident.Area.values:
        raise ValidationError(_("Choose where it happened."), code="area")
    if area == Incident.Area.ROOM and room is None:
        raise ValidationError(_("Choose the room where it happened."), code="room")
    if occurred_at > now + CLOCK_SLACK:
        raise ValidationError(_("The incident cannot have happened in the future."), code="future")
    if not clients and not staff and not other_party.strip():
        raise ValidationError(
            _("Name at least one person involved: a client by code, a staff member, or describe who it was."),
            code="no_party",
        )
    if not description.strip():
        raise ValidationError(_("Describe what happened."), code="no_description")
    if not action_taken.strip():
        raise ValidationError(_("Describe what was done."), code="no_action")
    return room if area == Incident.Area.ROOM else None


@transaction.atomic
def incident_record(
    *,
    kind: str,
    occurred_at: dt.datetime,
    area: str,
    room: Room | None,
    clients: Sequence[Client] = (),
    staff: Sequence[User] = (),
    other_party: str = "",
    description: str,
    action_taken: str,
    police_called: bool = False,
    by: User,
    now: dt.datetime | None = None,
) -> Incident:
    """Record a security incident. It needs at least one involved party: a client, staff, or someone described."""
    now = now or timezone.now()
    room = _checked(
        kind=kind,
        occurred_at=occurred_at,
        area=area,
        room=room,
        clients=clients,
        staff=staff,
        other_party=other_party,
        description=description,
        action_taken=action_taken,
        now=now,
    )
    incident = Incident.objects.create(
        kind=kind,
        occurred_at=occurred_at,
        area=area,
        room=room,
        other_party=other_party.strip(),
        description=description.strip(),
        action_taken=action_taken.strip(),
        police_called=police_called or kind == Incident.Kind.POLICE,
        recorded_at=now,
        recorded_by=by,
    )
    incident.clients.set(clients)
    incident.staff.set(staff)
    return incident


@transaction.atomic
def incident_correct(
    *,
    incident: Incident,
    kind: str,
    occurred_at: dt.datetime,
    area: str,
    room: Room | None,
    clients: Sequence[Client] = (),
    staff: Sequence[User] = (),
    other_party: str = "",
    description: str,
    action_taken: str,
    police_called: bool = False,
    reason: str,
    by: User,
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Incident:
    """Correct a recorded incident. The record as it was stays in its history, with who, when and why.

    ``seen_version`` is the version the correction form was opened with: when someone corrected the
    incident since, the correction is refused with what changed (``StaleEdit``) and nothing is written.
    """
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("Say what the correction is for."), code="no_reason")
    room = _checked(
        kind=kind,
        occurred_at=occurred_at,
        area=area,
        room=room,
        clients=clients,
        staff=staff,
        other_party=other_party,
        description=description,
        action_taken=action_taken,
        now=now,
    )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    version_check(
        incident,
        seen=seen_version,
        fields=CORRECTION_FIELDS,
        display={"clients": _client_codes},
        m2m={"staff": _staff_names},
    )
    # The new version first: the history records of the people's changes belong to this correction,
    # so the last record of the version the form showed is the incident as the form showed it.
    version_bump(incident)
    incident._history_user = by  # type: ignore[attr-defined]  # set by hand for django-simple-history
    # The people first: each change of them is kept in the history as it happens; the correction's own
    # record, with its reason, comes last and holds the whole corrected incident.
    incident.clients.set(clients)
    incident.staff.set(staff)
    incident.kind = kind
    incident.occurred_at = occurred_at
    incident.area = area
    incident.room = room
    incident.other_party = other_party.strip()
    incident.description = description.strip()
    incident.action_taken = action_taken.strip()
    incident.police_called = police_called or kind == Incident.Kind.POLICE
    incident._change_reason = reason.strip()  # type: ignore[attr-defined]  # set by hand for django-simple-history
    incident.save()
    return incident

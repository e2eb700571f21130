"""Changes made without ``save()`` (a race settled by a conditional update, rows written in bulk) keep history.

The coordinator's report for a client lists each such change with who made it and the fields it touched.
"""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.selectors import client_audit_trail
from tests.support.factories import BanFactory
from tests.support.pages import nb
from tests.support.rooms import in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Ban, BoothSession, EquipmentItem, HandOut, Observation, Visit
from visits.services.clients import ban_lift
from visits.services.contacts import hand_out_record
from visits.services.rooms import booth_end, observation_release

pytestmark = pytest.mark.django_db


def changes(client, what: str) -> list[tuple[str, object, list[str]]]:
    return [(row.action, row.user, row.fields) for row in client_audit_trail(client) if row.what == what]


def test_it_keeps_who_ended_a_booth_session_and_what_changed(cast):
    session = in_booth("AB1985M", cast["health"])

    booth_end(session=session, next_location=Visit.Location.GONE, by=cast["duty"], now=NOON + dt.timedelta(minutes=20))

    last = BoothSession.history.filter(id=session.pk).latest("history_id")
    assert (last.history_type, last.history_user, last.ended_by, last.duration_seconds) == (
        "~",
        cast["duty"],
        cast["duty"],
        1200,
    )
    label = str(BoothSession._meta.verbose_name)
    assert (nb("changed"), cast["duty"], ["duration_seconds", "ended_at", "ended_by", "outcome"]) in changes(
        session.visit.client, label
    )


def test_it_keeps_who_released_a_client_from_observation(cast):
    observation = in_observation("AB1985M", cast["health"])

    observation_release(observation=observation, by=cast["duty"], now=NOON + dt.timedelta(minutes=40))

    last = Observation.history.filter(id=observation.pk).latest("history_id")
    assert (last.history_type, last.history_user, last.released_by, last.released_to) == (
        "~",
        cast["duty"],
        cast["duty"],
        Visit.Location.GONE,
    )
    assert last.ended_at == NOON + dt.timedelta(minutes=40)


def test_it_keeps_who_lifted_a_ban_and_why(cast):
    ban = BanFactory(created_by=cast["duty"])

    ban_lift(ban=ban, reason="Agreed to the rules", by=cast["coordinator"])

    before, after = Ban.history.filter(id=ban.pk).order_by("history_id")
    assert (before.lifted_at, before.lift_reason) == (None, "")
    assert (after.history_user, after.lifted_by, after.lift_reason) == (
        cast["coordinator"],
        cast["coordinator"],
        "Agreed to the rules",
    )
    assert (nb("changed"), cast["coordinator"], ["lift_reason", "lifted_at", "lifted_by"]) in changes(
        ban.client, str(Ban._meta.verbose_name)
    )


def test_it_keeps_each_hand_out_written_in_bulk(cast):
    session = in_booth("AB1985M", cast["health"])
    items = {item: 2 for item in EquipmentItem.objects.all()[:2]}

    hand_outs = hand_out_record(items=items, visit=session.visit, by=cast["reception"], now=NOON)

    logged = HandOut.history.filter(id__in=[h.pk for h in hand_outs])
    assert sorted((h.history_type, h.history_user, h.quantity) for h in logged) == [
        ("+", cast["reception"], 2),
        ("+", cast["reception"], 2),
    ]

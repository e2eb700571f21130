"""Anonymisation leaves nothing: after retention, no column of any table holds the old code or text about the client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duty.models import Handover
from oversight.retention import REDACTED, anonymous_code, clients_anonymise, retention_run
from tests.support.factories import closed_visit, make_client
from tests.support.scenes.anonymisation import FIRST, KEEP, NEIGHBOUR, OLD, OTHER, SECRET, build, every_cell
from tests.support.time import oslo
from visits.models import Incident

ELEVEN_YEARS_LATER = oslo(dt.date(2037, 4, 1), 3)


@pytest.fixture
def scene(history, cast):
    return build(history, cast)


def leftovers(*needles: str) -> list[tuple[str, str, str]]:
    """The cells holding any of ``needles`` in any case, where no letter stands before (NEIGHBOUR holds OLD)."""
    found = re.compile("|".join(rf"(?<![^\W\d_]){re.escape(needle)}" for needle in needles), re.IGNORECASE)
    return [(t, c, v) for t, c, v in every_cell() if found.search(v)]


def test_the_scene_plants_the_code_and_the_markers_everywhere(scene):
    """The test below proves something only if the text was there to be found beforehand."""
    tables = {table for table, _, _ in leftovers(OLD, SECRET)}

    assert len(scene.marked) >= 27  # every free-text field of 18 kinds of record
    assert scene.not_markable == []
    assert {
        "duty_handover",
        "visits_incident",
        "visits_historicalincident",
        "audit_historicalclient",
        "audit_historicalvisit",
        "audit_accesslogentry",
        "django_admin_log",
        "duty_shift",
        "health_historicalvitalsigns",
    } <= tables


def test_it_leaves_neither_the_code_nor_any_text_about_the_client_in_any_column_of_any_table(scene):
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        result = retention_run()

    assert result.anonymised == 1
    assert leftovers(OLD, FIRST, SECRET) == []


def test_it_puts_the_token_in_other_people_s_text_and_keeps_their_words(scene):
    token = anonymous_code(scene.person.pk)
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    scene.others_visit.refresh_from_db()
    scene.neighbour_visit.refresh_from_db()
    scene.neighbour.refresh_from_db()
    assert scene.others_visit.end_note == f"{KEEP} left with {token}"
    assert scene.neighbour_visit.end_note == f"{KEEP} {NEIGHBOUR} on his own"
    assert scene.neighbour.code == NEIGHBOUR
    assert {v for _, _, v in leftovers(KEEP) if v.startswith(KEEP)} >= {
        f"{KEEP} {OTHER} waits for a referral",
        f"{KEEP} out of naloxone",
        f"{KEEP} {OTHER} in observation",
        f"{KEEP} {OTHER} broke the door handle",
        f"{KEEP} a neighbour",
    }


def test_it_blanks_the_handovers_accounts_that_name_the_client_and_replaces_the_code_in_the_snapshot(scene):
    token = anonymous_code(scene.person.pk)
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    old = Handover.objects.get(pk=scene.handover.pk)
    assert (old.concern_notes, old.incidents_note, old.other_notes) == (REDACTED, REDACTED, REDACTED)
    assert (old.open_matters, old.stock_problems) == (f"{KEEP} {OTHER} waits for a referral", f"{KEEP} out of naloxone")
    assert [entry["code"] for entry in old.open_visits] == [token, OTHER]
    recent = Handover.objects.get(pk=scene.recent_handover.pk)
    assert (recent.other_notes, recent.open_matters) == (REDACTED, f"{KEEP} {OTHER} in observation")


def test_it_blanks_the_incidents_that_involve_or_name_the_client_and_keeps_the_others(scene):
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    shared, naming, others = (
        Incident.objects.get(pk=incident.pk)
        for incident in (scene.shared_incident, scene.naming_incident, scene.others_incident)
    )
    assert (shared.description, shared.action_taken, shared.other_party) == (REDACTED, REDACTED, REDACTED)
    assert set(shared.clients.all()) == {scene.person, scene.other}
    assert (naming.description, naming.action_taken) == (REDACTED, f"{KEEP} talked to {OTHER}")
    assert others.description == f"{KEEP} {OTHER} broke the door handle"


def test_it_anonymises_many_clients_in_as_many_queries_as_one(cast, facility):
    def old_client(code: str):
        person = make_client(code, by=cast["reception"], at=oslo(dt.date(2010, 1, 10)))
        visit = closed_visit(person, by=cast["reception"], at=oslo(dt.date(2010, 1, 11)))
        visit.end_note = f"{code} was tired"
        visit.save()
        handover = Handover.objects.create(
            written_at=visit.checked_in_at,
            written_by=cast["duty"],
            other_notes=f"{code} was here",
            open_visits=[{"code": code, "location": "queue"}],
        )
        handover.clients_of_concern.set([person])
        return person

    def queries(clients) -> int:
        with CaptureQueriesContext(connection) as captured:
            clients_anonymise(clients=clients)
        return len(captured.captured_queries)

    one = queries([old_client("ONE1980M")])
    three = queries([old_client("TWO1980M"), old_client("THREE1980M"), old_client("FOUR1980M")])

    assert three == one
    assert leftovers("ONE1980M", "TWO1980M", "THREE1980M", "FOUR1980M") == []

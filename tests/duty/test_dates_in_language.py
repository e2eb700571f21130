"""The duty pages' headings write their dates the reader's way: the roster's week and days, an incident's
and a handover's moment (bokmål "mandag 9. mars", English "Monday 9 March"; times 24-hour in both)."""

from __future__ import annotations

import pytest
import time_machine

from duty.services.handover import handover_write
from tests.support.pages import marked_text, marked_texts, text_of
from tests.support.time import MONDAY, NOON, oslo
from visits.models import Incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "week", "monday", "sunday"),
    [
        ("nb", "9.3.–15.3.2026", "mandag 9. mars", "søndag 15. mars"),
        ("en", "9/3–15/3/2026", "Monday 9 March", "Sunday 15 March"),
    ],
)
def test_it_heads_the_roster_in_the_readers_language(reader, facility, language, week, monday, sunday):
    with time_machine.travel(NOON, tick=False):
        page = reader("coordinator", language).get("/roster/?week=2026-03-09").content

    assert marked_text(page, "roster-week").endswith(week)
    days = marked_texts(page, "roster-day-heading")
    assert (days[0], days[-1]) == (monday, sunday)


@pytest.mark.parametrize(
    ("language", "when"),
    [("nb", "mandag 9. mars 2026 21:30"), ("en", "Monday 9 March 2026 21:30")],
)
def test_it_heads_an_incident_with_its_moment_in_the_readers_language(reader, cast, language, when):
    incident = Incident.objects.create(
        kind=Incident.Kind.THREATS,
        occurred_at=oslo(MONDAY, hour=21, minute=30),
        area=Incident.Area.ENTRANCE,
        description="Shouted at the door",
        action_taken="Talked it down",
        recorded_at=NOON,
        recorded_by=cast["duty"],
    )

    with time_machine.travel(NOON, tick=False):
        page = reader("duty", language).get(f"/incidents/{incident.pk}/").content

    assert marked_text(page, "incident-when") == when


@pytest.mark.parametrize(
    ("language", "when"),
    [("nb", "tirsdag 10. mars 2026 12:00"), ("en", "Tuesday 10 March 2026 12:00")],
)
def test_it_heads_a_handover_with_its_moment_in_the_readers_language(reader, cast, language, when):
    with time_machine.travel(NOON, tick=False):
        handover = handover_write(by=cast["duty"], other_notes="Fire alarm test tomorrow at 10", now=NOON)
        page = reader("duty", language).get(f"/handovers/{handover.pk}/").content

    assert when in text_of(page)

"""The client timeline's month and day headings are written the reader's way (bokmål "tirsdag 10. mars
2026", capitalised where it opens a heading; English "Tuesday 10 March 2026")."""

from __future__ import annotations

import pytest
import time_machine

from tests.support.factories import ClientFactory, VisitFactory
from tests.support.pages import marked_text
from tests.support.time import NOON, oslo

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "month", "day"),
    [("nb", "Mars 2026", "Tirsdag 10. mars 2026"), ("en", "March 2026", "Tuesday 10 March 2026")],
)
def test_it_heads_the_timelines_month_and_days_in_the_readers_language(reader, cast, language, month, day):
    visitor = ClientFactory(letters="TLDA")
    VisitFactory(client=visitor, checked_in_at=oslo(hour=10), ended_at=oslo(hour=11), location="gone")

    with time_machine.travel(NOON, tick=False):
        page = reader("counselor", language).get(f"/interview/clients/{visitor.pk}/timeline/?month=2026-03").content

    assert marked_text(page, "month") == month
    assert marked_text(page, "timeline-day") == day

"""The marks of corrected days under concurrent writers, on PostgreSQL, with real second connections.

A day's writers never wait on each other's mark, and a recount never waits on a writer: a change not
committed yet keeps its mark for the next recount, which then counts it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, connections

from reports.models import DailyFigures, RollupMark
from reports.selectors import daily_counts
from reports.services import daily_figures_follow_corrections, daily_figures_rollup
from tests.support.factories import RefusalFactory
from tests.support.scenes.march import at
from visits.models import Refusal

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has one writer at a time"),
]
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def rolled_up_march():
    """Two refusals on 10 March, the first half of March rolled up, no marks left."""
    refusals = [RefusalFactory(at=at(3, 10, 12)), RefusalFactory(at=at(3, 10, 14))]
    daily_figures_rollup(first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 15))
    RollupMark.objects.all().delete()
    return refusals


@pytest.fixture
def other_station():
    """A second connection in an open transaction, rolled back at the end unless the test commits it."""
    other = connections.create_connection("default")
    other.set_autocommit(False)
    yield other
    other.rollback()
    other.close()


def _short_waits() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")


def _stored_refusals(day: dt.date) -> int:
    return DailyFigures.objects.get(date=day).refusals


def test_a_second_correction_of_the_same_day_does_not_wait_for_the_first(rolled_up_march, other_station):
    first, second = rolled_up_march
    with other_station.cursor() as cursor:  # moved within 10 March, not committed
        cursor.execute("UPDATE visits_refusal SET at = at + interval '1 hour' WHERE id = %s", [first.pk])
    _short_waits()

    Refusal.objects.filter(pk=second.pk).update(at=at(3, 9, 14))  # would give up after 200 ms if it waited

    assert Refusal.objects.get(pk=second.pk).at == at(3, 9, 14)


def test_a_recount_leaves_an_uncommitted_change_marked_and_counts_it_next_time(rolled_up_march, other_station):
    first, _ = rolled_up_march
    with other_station.cursor() as cursor:  # moved to 12 March, not committed
        cursor.execute("UPDATE visits_refusal SET at = at + interval '2 days' WHERE id = %s", [first.pk])
    _short_waits()

    assert daily_figures_follow_corrections() == []  # nothing committed is marked; it did not wait
    other_station.commit()
    counted = daily_figures_follow_corrections()

    assert DAY in counted and dt.date(2026, 3, 12) in counted
    assert _stored_refusals(DAY) == 1 == daily_counts(DAY, DAY)[DAY]["refusals"]
    assert _stored_refusals(dt.date(2026, 3, 12)) == 1
    assert not RollupMark.objects.exists()


def test_a_recount_clears_only_the_marks_it_counted(rolled_up_march, other_station):
    first, second = rolled_up_march
    Refusal.objects.filter(pk=second.pk).update(at=at(3, 11, 14))  # committed: marks 10 and 11 March
    with other_station.cursor() as cursor:  # a third refusal on 13 March, not committed
        cursor.execute(
            "INSERT INTO visits_refusal (client_id, at, by_id, reason, note) SELECT client_id, %s, by_id, reason, note "
            "FROM visits_refusal WHERE id = %s",
            [at(3, 13, 9), first.pk],
        )
    _short_waits()

    counted = daily_figures_follow_corrections()
    other_station.commit()

    assert dt.date(2026, 3, 11) in counted and dt.date(2026, 3, 13) not in counted
    assert _stored_refusals(dt.date(2026, 3, 11)) == 1
    assert sorted(set(RollupMark.objects.values_list("utc_date", flat=True))) == [dt.date(2026, 3, 13)]
    assert dt.date(2026, 3, 13) in daily_figures_follow_corrections()
    assert _stored_refusals(dt.date(2026, 3, 13)) == 1

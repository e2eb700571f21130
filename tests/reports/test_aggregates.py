"""Median and 90th percentile: percentile_cont in PostgreSQL, the same interpolation over sorted values elsewhere."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.aggregates import PercentileCont, duration_stats, interpolated_percentile
from reports.periods import Period
from reports.selectors.figures import booth_wait_stats
from tests.support.scenes.march import MARCH
from visits.models import BoothSession

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql", reason="needs PostgreSQL"
)


@pytest.mark.parametrize(
    ("values", "fraction", "expected"),
    [
        ([7], 0.9, 7),
        ([1, 2, 3, 4], 0.5, 2.5),
        ([1, 2, 3, 4], 0.9, 3.7),
        ([600, 900, 1200, 1500, 1800], 0.9, 1680),
        ([10, 10, 10], 0.5, 10),
    ],
)
def test_it_interpolates_between_the_nearest_values_as_percentile_cont_does(values, fraction, expected):
    assert interpolated_percentile(values, fraction) == pytest.approx(expected)


def test_it_has_no_percentile_of_nothing():
    assert interpolated_percentile([], 0.5) is None


def test_it_refuses_a_percentile_outside_0_to_1():
    with pytest.raises(ValueError):
        PercentileCont("duration_seconds", 1.5)


@pytest.mark.django_db
def test_it_leaves_out_timers_still_running(march):
    stats = duration_stats(BoothSession.objects.all(), "duration_seconds")

    assert stats.count == BoothSession.objects.filter(ended_at__isnull=False).count()


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_it_computes_the_percentiles_in_one_postgresql_query(march):
    month = Period.for_month(MARCH)
    sessions = BoothSession.objects.filter(started_at__gte=month.start, started_at__lt=month.end)

    with CaptureQueriesContext(connection) as queries:
        stats = duration_stats(sessions, "duration_seconds")

    assert len(queries) == 1
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP" in queries[0]["sql"]
    assert (stats.median, stats.p90) == (1200.0, 1680.0)


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_it_computes_waiting_times_as_intervals_in_postgresql(march):
    with CaptureQueriesContext(connection) as queries:
        stats = booth_wait_stats(Period.for_month(MARCH))

    assert len(queries) == 1
    assert "PERCENTILE_CONT(0.9) WITHIN GROUP" in queries[0]["sql"]
    assert (stats.count, stats.median, stats.p90) == (5, 600.0, 1560.0)

"""The soak at a short length: load, PostgreSQL restarted in the middle, nothing acknowledged is lost.

``make soak`` runs the full length (60 s at 20 staff); this runs 15 s at 5 staff as part of the suite.
It starts its own PostgreSQL cluster, so it needs root (to run initdb as the postgres OS user) and
PostgreSQL 15's tools; it runs once per CI, in the PostgreSQL pass.
"""

from __future__ import annotations

import pytest
from django.db import connection

from tests import soak

pytestmark = [pytest.mark.soak, pytest.mark.postgres]


@pytest.fixture(scope="module")
def summary():
    reason = soak.can_run()
    if reason:
        pytest.skip(f"the soak cannot run here: {reason}")
    if connection.vendor != "postgresql":
        pytest.skip("the soak runs once, in the PostgreSQL pass (set DATABASE_URL)")
    return soak.run(seconds=15, staff=5, quiet=True)


def test_it_loses_no_acknowledged_write_across_a_database_restart(summary):
    assert summary["acknowledged_total"] > 20, summary
    assert summary["lost_writes"] == [], summary


def test_it_breaks_no_invariant(summary):
    assert summary["broken_invariants"] == {}, summary


def test_it_answers_no_500_and_no_error_outside_the_outage(summary):
    assert "HTTP 500" not in summary["errors_by_kind"], summary
    assert summary["errors_outside_outage_window"] == {}, summary


def test_it_recovers_within_seconds_without_restarting_the_app(summary):
    assert summary["recovery_seconds_after_database_back"] is not None, summary
    assert summary["recovery_seconds_after_database_back"] <= soak.RECOVERY_GOAL_SECONDS, summary
    assert summary["app_restarted"] is False

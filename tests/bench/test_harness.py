"""The benchmark harness end to end, small: two sizes of a few hundred visits, a second of load.

No timing is asserted (CI machines vary); what is checked is that every page was measured at both
sizes, or reported missing when its view has not been written, beside the yardstick, on the same
floor, that ``results.json`` has the figures and the multiples, and that the load phase ran.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, connections

from bench.pages import PAGE_NAMES

ROOT = Path(__file__).resolve().parents[2]
SIZES = ("600", "1200")

# Marked so that pytest-django makes the test database even when these are the only tests run.
pytestmark = pytest.mark.django_db


def _server_url(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="module")
def results(django_db_setup, django_db_blocker, tmp_path_factory):
    """Run ``bench.run --quick`` on copies of the migrated test database (so migrations run once)."""
    out = tmp_path_factory.mktemp("bench") / "results.json"
    with django_db_blocker.unblock():
        settings_dict = dict(connection.settings_dict)
        if connection.vendor == "postgresql":
            # PostgreSQL copies a database only while no one is connected to it; a live server's
            # thread from an earlier browser test in this process may still hold a connection.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()
    command = [
        sys.executable, "-m", "bench.run", "--quick", "--sizes", ",".join(SIZES), "--years", "1",
        "--load-seconds", "1", "--concurrency", "2", "--database-url", _server_url(settings_dict),
        "--template-db", settings_dict["NAME"], "--out", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(out.read_text())


def test_it_measures_every_page_at_both_sizes(results):
    assert set(results["sizes"]) == set(SIZES)
    for size in SIZES:
        assert list(results["sizes"][size]["pages"]) == PAGE_NAMES


def test_it_reports_no_page_as_broken(results):
    broken = {
        (size, name): page.get("error")
        for size in SIZES
        for name, page in results["sizes"][size]["pages"].items()
        if page["status"] not in ("ok", "missing")
    }
    assert broken == {}


def test_it_gives_times_cpu_query_counts_and_multiples_for_every_page_it_reached(results):
    for size in SIZES:
        yardstick = results["sizes"][size]["yardstick"]["median_ms"]
        for page in results["sizes"][size]["pages"].values():
            if page["status"] == "ok":
                assert 0 < page["median_ms"] <= page["p95_ms"]
                assert page["cpu_median_ms"] > 0
                assert page["queries"] > 0
                assert page["median_x"] == round(page["median_ms"] / yardstick, 1)
                assert page["p95_x"] == round(page["p95_ms"] / yardstick, 1)
                assert page["yardstick_median_ms"] > 0


def test_it_measures_the_yardstick_beside_every_timed_request(results):
    for size in SIZES:
        part = results["sizes"][size]
        yardstick = part["yardstick"]
        timed = sum(page["reps"] for page in part["pages"].values() if page["status"] == "ok")

        assert yardstick["path"] == "/bench/yardstick/"
        assert yardstick["samples"] == timed
        assert 0 < yardstick["median_ms"] <= yardstick["p95_ms"]
        assert yardstick["queries"] >= 1


def test_it_measures_the_same_floor_at_both_sizes(results):
    floors = [results["sizes"][size]["occupancy"] for size in SIZES]

    assert floors[0] == floors[1]
    assert floors[0]["open_emergencies"] == 1


def test_it_loads_the_trivial_view_the_floor_board_and_the_search_under_gunicorn(results):
    load = results["sizes"][SIZES[-1]]["load"]["pages"]  # the quick run loads the largest size only

    assert set(load) == {"trivial", "floor-board", "floor-board-drawn", "search"}
    for page in load.values():
        assert page["requests"] > 0 and page["errors"] == 0
    assert load["trivial"]["ratio_to_trivial"] == 1.0


def test_it_records_the_machine_and_the_commit_and_judges_the_goals(results):
    assert results["machine"]["cores"] >= 1
    assert len(results["git"]["commit"]) == 40
    assert results["goals"] and all(isinstance(goal["met"], bool) for goal in results["goals"])


def test_it_judges_every_page_and_both_board_loads(results):
    judged = {goal["page"] for goal in results["goals"]}

    assert judged == {*PAGE_NAMES, "floor-board-drawn"}

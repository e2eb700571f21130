"""The benchmark's goals judged on figures made up for the purpose: multiples of the yardstick, not milliseconds."""

from __future__ import annotations

import pytest

from bench.report import evaluate, print_table


def _page(group: str, median_x: float, p95_x: float, queries: int = 8) -> dict:
    yardstick = 2.0  # ms: the multiples are what is judged, the milliseconds follow from them
    return {
        "label": group,
        "group": group,
        "status": "ok",
        "median_ms": median_x * yardstick,
        "p95_ms": p95_x * yardstick,
        "cpu_median_ms": 1.0,
        "queries": queries,
        "median_x": median_x,
        "p95_x": p95_x,
    }


def _results(small: dict, large: dict, load: dict | None = None) -> dict:
    def size(pages: dict) -> dict:
        return {"pages": pages, "yardstick": {"median_ms": 2.0, "p95_ms": 3.0, "queries": 1, "samples": 10}}

    results = {
        "machine": {"cores": 2},
        "database": "PostgreSQL",
        "sizes": {"10000": size(small), "2000000": size(large)},
    }
    if load is not None:
        results["sizes"]["2000000"]["load"] = {"workers": 5, "pages": load}
    return results


def _judged(goals: list[dict], page: str) -> dict[str, bool]:
    return {goal["goal"]: goal["met"] for goal in goals if goal["page"] == page}


def test_it_meets_the_station_goals_within_the_multiples():
    goals = evaluate(_results({"card": _page("station", 10, 20)}, {"card": _page("station", 11.9, 25)}))

    assert _judged(goals, "card") == {
        "p95 ≤ 25x": True,
        "≤ 10 queries": True,
        "same queries at every size": True,
        "median within 20% of 10,000": True,
    }


def test_it_misses_a_station_page_slower_than_25_times_the_yardstick_at_the_largest_size():
    goals = evaluate(_results({"card": _page("station", 10, 30)}, {"card": _page("station", 10, 25.1)}))

    assert _judged(goals, "card")["p95 ≤ 25x"] is False


def test_it_misses_a_station_page_that_grows_more_than_20_percent_with_history():
    goals = evaluate(_results({"card": _page("station", 10, 12)}, {"card": _page("station", 12.5, 14)}))

    growth = next(goal for goal in goals if goal["goal"].startswith("median within"))
    assert growth["met"] is False
    assert growth["value"] == pytest.approx(0.25)


def test_it_misses_a_station_page_with_more_than_10_queries_or_a_count_that_changes():
    goals = evaluate(
        _results({"card": _page("station", 5, 6, queries=9)}, {"card": _page("station", 5, 6, queries=11)})
    )

    judged = _judged(goals, "card")
    assert judged["≤ 10 queries"] is False
    assert judged["same queries at every size"] is False


def test_it_judges_a_report_against_150_times_the_yardstick():
    met = evaluate(_results({"report": _page("report", 80, 100)}, {"report": _page("report", 100, 150)}))
    missed = evaluate(_results({"report": _page("report", 80, 100)}, {"report": _page("report", 100, 151)}))

    assert _judged(met, "report") == {"p95 ≤ 150x": True}
    assert _judged(missed, "report") == {"p95 ≤ 150x": False}


def test_it_misses_every_goal_of_a_page_missing_or_broken_at_the_largest_size():
    broken = {"label": "Card", "group": "station", "status": "error", "error": "status 500"}
    goals = evaluate(_results({"card": _page("station", 5, 6)}, {"card": broken}))

    assert set(_judged(goals, "card").values()) == {False}


def test_it_judges_the_board_drawn_and_polled_against_the_yardsticks_throughput():
    load = {
        "trivial": {"ratio_to_trivial": 1.0},
        "floor-board": {"ratio_to_trivial": 0.99},
        "floor-board-drawn": {"ratio_to_trivial": 0.25},
    }
    goals = evaluate(_results({}, {}, load))

    assert {goal["page"]: goal["met"] for goal in goals} == {"floor-board-drawn": True, "floor-board": False}


def test_it_prints_the_machines_speed_and_the_goals_met_and_missed(capsys):
    results = _results({"card": _page("station", 10, 20)}, {"card": _page("station", 10, 30)})
    results["goals"] = evaluate(results)

    print_table(results)

    shown = capsys.readouterr().out
    assert "Machine speed at 2,000,000 visits: the yardstick's median 2.00 ms" in shown
    assert "Goals: 3 of 4 met" in shown
    assert "MISSED card" in shown and "met    card" in shown

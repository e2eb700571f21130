"""The goals the benchmark measures against, and the table it prints.

At the largest size (1,000,000 visits by default): every station page and action at most 50 ms at
the 95th percentile and at most 15 queries, with the same number of queries at every size; the
dashboard and the monthly report (and its CSV) at most 300 ms at the 95th percentile; the floor
board's throughput under load at least 40 % of the trivial view's, polled as the boards poll it (with
the version they show, "no change" while nothing changed); ``floor-board-drawn``, every poll drawing
the whole board, is reported beside it.
"""

from __future__ import annotations

STATION = "station"
STATION_P95_MS, STATION_QUERIES, REPORT_P95_MS, FLOOR_SHARE = 50.0, 15, 300.0, 0.40


def _goal(goal: str, page: str, size: str, value, limit, met) -> dict:
    return {"goal": goal, "page": page, "size": size, "value": value, "limit": limit, "met": met}


def _pages(results: dict, sizes: list[str]) -> dict[str, dict]:
    """Every page measured at any size, in the order measured: name -> its label and group."""
    pages: dict[str, dict] = {}
    for size in sizes:
        for name, entry in results["sizes"][size]["pages"].items():
            pages.setdefault(name, {"label": entry.get("label", name), "group": entry.get("group", STATION)})
    return pages


def evaluate(results: dict) -> list[dict]:
    sizes = sorted(results["sizes"], key=int)
    if not sizes:
        return []
    largest = sizes[-1]
    goals = []
    for name, page in _pages(results, sizes).items():
        measured = [results["sizes"][s]["pages"].get(name, {}) for s in sizes]
        at_largest = measured[-1]
        ok = at_largest.get("status") == "ok"
        p95 = at_largest.get("p95_ms")
        if page["group"] == STATION:
            goals.append(_goal("p95 ≤ 50 ms", name, largest, p95, STATION_P95_MS, ok and p95 <= STATION_P95_MS or None))
            queries = at_largest.get("queries")
            goals.append(
                _goal("≤ 15 queries", name, largest, queries, STATION_QUERIES, ok and queries <= STATION_QUERIES)
            )
            counts = [m.get("queries") for m in measured if m.get("status") == "ok"]
            same = len(counts) == len(sizes) and len(set(counts)) == 1
            goals.append(_goal("same queries at every size", name, "all", counts, None, same))
        else:
            goals.append(_goal("p95 ≤ 300 ms", name, largest, p95, REPORT_P95_MS, ok and p95 <= REPORT_P95_MS or None))
    load = results["sizes"][largest].get("load")
    if load:
        share = load["pages"]["floor-board"]["ratio_to_trivial"]
        goals.append(_goal("floor board ≥ 40 % of trivial throughput", "floor-board", largest, share, FLOOR_SHARE,
                           share >= FLOOR_SHARE))  # fmt: skip
    for goal in goals:
        if goal["met"] is None:
            goal["met"] = False
    return goals


def _cell(entry: dict) -> str:
    status = entry.get("status")
    if status == "ok":
        cpu = entry.get("cpu_median_ms", 0.0)
        return f"{entry['median_ms']:7.1f} {entry['p95_ms']:7.1f} {cpu:6.1f} {entry['queries']:4d}"
    if status is None:
        return f"{'-':>20}"
    return f"{status:>20}"


def print_table(results: dict) -> None:
    sizes = sorted(results["sizes"], key=int)
    machine = results["machine"]
    print(f"\nServer time through Django's test client, DEBUG off ({machine['cores']} cores, {results['database']})")
    print("ms: median and 95th percentile of the time, median of the app's own CPU time; then queries")
    print(f"{'':<32}" + "".join(f" | {f'{int(s):,} visits':^30}" for s in sizes))
    header = f"{'page':<32}" + "".join(f" | {'med':>10} {'p95':>7} {'cpu':>6} {'qry':>4}" for s in sizes)
    print(header)
    print("-" * len(header))
    for name, page in _pages(results, sizes).items():
        cells = "".join(f" | {_cell(results['sizes'][s]['pages'].get(name, {})):>30}" for s in sizes)
        print(f"{page['label']:<32}{cells}")
    for size in sizes:
        load = results["sizes"][size].get("load")
        if not load:
            continue
        print(f"\nUnder load at {int(size):,} visits: gunicorn, {load['workers']} workers, loopback")
        for name, entry in load["pages"].items():
            print(
                f"  {name:<12} {entry['rps']:8.1f} req/s  p50 {entry['p50_ms']:6.1f} ms  p95 {entry['p95_ms']:6.1f} ms"
                f"  p99 {entry['p99_ms']:6.1f} ms  {100 * entry['ratio_to_trivial']:5.1f} % of trivial"
                f"  errors {entry['errors']}"
            )
    goals = results.get("goals", [])
    if goals:
        missed = [g for g in goals if not g["met"]]
        print(f"\nGoals: {len(goals) - len(missed)} of {len(goals)} met")
        for goal in missed:
            print(f"  MISSED {goal['page']:<18} {goal['goal']:<42} value {goal['value']} (size {goal['size']})")

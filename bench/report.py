"""The goals the benchmark measures against, and the table it prints.

The goals are multiples of the yardstick (``bench.views``: the same middleware, one query, a small
template), whose median is measured in the same run, at the same size, interleaved with the pages: a
machine three times slower takes three times as long for both, so the goals mean the same on every
machine. At the largest size (2,000,000 visits by default):

- every station page and action: p95 at most 25 times the yardstick's median, at most 10 queries,
  the same number of queries at every size, and its median (as a multiple) within 20 % of its
  median at the smallest size;
- the dashboard (month and year range), the monthly and annual reports: p95 at most 150 times;
- under gunicorn, the floor board drawn on every poll at least 25 % of the yardstick's throughput,
  and the board as it polls (with the version it shows, "no change" while nothing changed) at least
  100 %.
"""

from __future__ import annotations

STATION = "station"
STATION_P95_X, STATION_QUERIES, STATION_GROWTH = 25.0, 10, 0.20
REPORT_P95_X = 150.0
BOARD_DRAWN_SHARE, BOARD_POLLED_SHARE = 0.25, 1.00


def _goal(goal: str, page: str, size: str, value, limit, met) -> dict:
    return {"goal": goal, "page": page, "size": size, "value": value, "limit": limit, "met": bool(met)}


def _pages(results: dict, sizes: list[str]) -> dict[str, dict]:
    """Every page measured at any size, in the order measured: name -> its label and group."""
    pages: dict[str, dict] = {}
    for size in sizes:
        for name, entry in results["sizes"][size]["pages"].items():
            pages.setdefault(name, {"label": entry.get("label", name), "group": entry.get("group", STATION)})
    return pages


def _ok(entry: dict) -> bool:
    return entry.get("status") == "ok" and "p95_x" in entry


def evaluate(results: dict) -> list[dict]:
    """Each goal at the largest size (and the growth from the smallest), met or not; a page not
    measured there (missing, broken) misses its goals."""
    sizes = sorted(results["sizes"], key=int)
    if not sizes:
        return []
    smallest, largest = sizes[0], sizes[-1]
    goals = []
    for name, page in _pages(results, sizes).items():
        measured = [results["sizes"][s]["pages"].get(name, {}) for s in sizes]
        first, last = measured[0], measured[-1]
        ok = _ok(last)
        p95_x = last.get("p95_x")
        if page["group"] == STATION:
            goals.append(_goal(f"p95 ≤ {STATION_P95_X:g}x", name, largest, p95_x, STATION_P95_X,
                               ok and p95_x <= STATION_P95_X))  # fmt: skip
            queries = last.get("queries")
            goals.append(_goal(f"≤ {STATION_QUERIES} queries", name, largest, queries, STATION_QUERIES,
                               ok and queries <= STATION_QUERIES))  # fmt: skip
            counts = [m.get("queries") for m in measured if m.get("status") == "ok"]
            same = len(counts) == len(sizes) and len(set(counts)) == 1
            goals.append(_goal("same queries at every size", name, "all", counts, None, same))
            if len(sizes) > 1:
                growth = None
                if ok and _ok(first) and first["median_x"] > 0:
                    growth = round(last["median_x"] / first["median_x"] - 1, 3)
                goals.append(_goal(f"median within {STATION_GROWTH:.0%} of {int(smallest):,}", name, largest, growth,
                                   STATION_GROWTH, growth is not None and growth <= STATION_GROWTH))  # fmt: skip
        else:
            goals.append(_goal(f"p95 ≤ {REPORT_P95_X:g}x", name, largest, p95_x, REPORT_P95_X,
                               ok and p95_x <= REPORT_P95_X))  # fmt: skip
    load = results["sizes"][largest].get("load")
    if load:
        for name, share in (("floor-board-drawn", BOARD_DRAWN_SHARE), ("floor-board", BOARD_POLLED_SHARE)):
            ratio = load["pages"].get(name, {}).get("ratio_to_trivial")
            goals.append(_goal(f"≥ {share:.0%} of the yardstick's throughput", name, largest, ratio, share,
                               ratio is not None and ratio >= share))  # fmt: skip
    return goals


def _cell(entry: dict) -> str:
    status = entry.get("status")
    if status == "ok":
        cpu = entry.get("cpu_median_ms", 0.0)
        return (
            f"{entry['median_ms']:7.1f} {entry['p95_ms']:7.1f} {entry.get('median_x', 0):6.1f}x"
            f" {entry.get('p95_x', 0):6.1f}x {cpu:6.1f} {entry['queries']:4d}"
        )
    return str(status or "-")


def _value(goal: dict) -> str:
    value = goal["value"]
    if value is None:
        return "not measured"
    if "throughput" in goal["goal"]:
        return f"{value:.0%}"
    if "within" in goal["goal"]:
        return f"{value:+.0%}"
    if "x" in goal["goal"] and isinstance(value, float):
        return f"{value:g}x"
    return str(value)


def print_table(results: dict) -> None:
    sizes = sorted(results["sizes"], key=int)
    machine = results["machine"]
    print(f"\nServer time through Django's test client, DEBUG off ({machine['cores']} cores, {results['database']})")
    for size in sizes:
        yardstick = results["sizes"][size].get("yardstick")
        if yardstick:
            print(
                f"Machine speed at {int(size):,} visits: the yardstick's median {yardstick['median_ms']:.2f} ms"
                f" (p95 {yardstick['p95_ms']:.2f} ms, {yardstick['queries']} queries, {yardstick['samples']} samples)"
            )
    print("ms: median and 95th percentile; x: the same as multiples of the yardstick's median; median CPU ms; queries")
    width = 44
    print(f"{'':<34}" + "".join(f" | {f'{int(s):,} visits':^{width}}" for s in sizes))
    header = f"{'page':<34}" + "".join(
        f" | {'med':>7} {'p95':>7} {'med':>7} {'p95':>7} {'cpu':>6} {'qry':>4}" for s in sizes
    )
    print(header)
    print("-" * len(header))
    for name, page in _pages(results, sizes).items():
        cells = "".join(f" | {_cell(results['sizes'][s]['pages'].get(name, {})):>{width}}" for s in sizes)
        print(f"{page['label']:<34}{cells}")
    for size in sizes:
        load = results["sizes"][size].get("load")
        if not load:
            continue
        print(f"\nUnder load at {int(size):,} visits: gunicorn, {load['workers']} workers, loopback")
        for name, entry in load["pages"].items():
            print(
                f"  {name:<17} {entry['rps']:8.1f} req/s  p50 {entry['p50_ms']:6.1f} ms  p95 {entry['p95_ms']:6.1f} ms"
                f"  p99 {entry['p99_ms']:6.1f} ms  {100 * entry['ratio_to_trivial']:5.1f} % of the yardstick"
                f"  errors {entry['errors']}"
            )
    goals = results.get("goals", [])
    if goals:
        met = sum(1 for goal in goals if goal["met"])
        print(f"\nGoals: {met} of {len(goals)} met")
        for goal in goals:
            size = goal["size"] if goal["size"] == "all" else f"{int(goal['size']):,}"
            print(
                f"  {'met   ' if goal['met'] else 'MISSED'} {goal['page']:<18} {goal['goal']:<40}"
                f" {_value(goal):>14}  (at {size})"
            )

"""One size of the benchmark, in one process: generate the history, set up a busy floor, then time
every page through Django's test client (production settings, DEBUG off) and count its queries.

Every timed request of a page comes right after a request for the yardstick (``bench.views``) through
the same client, so the yardstick's median is taken over the same minutes as the pages, and every page
is reported as a multiple of it besides milliseconds: the multiples are the machine's speed factored out.

Run by ``bench.run`` as ``python -m bench.measure --size N --out part.json`` against a fresh database;
the environment carries the production settings.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import time
import traceback
from io import StringIO
from typing import Any

import django


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value with at least ``share`` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _timed(send) -> tuple[Any, float, float]:
    """The response, the wall time and the process's CPU time of one request, in milliseconds."""
    started, cpu_started = time.perf_counter(), time.process_time()
    response = send()
    return response, (time.perf_counter() - started) * 1000, (time.process_time() - cpu_started) * 1000


class Yardstick:
    """The trivial request, sent before each timed page request; its timings gathered over the whole size."""

    def __init__(self) -> None:
        from django.urls import reverse

        self.path = reverse("bench-yardstick")
        self.timings: list[float] = []
        self.cpu: list[float] = []

    def send(self, client, *, record: bool) -> float:
        response, elapsed, cpu = _timed(lambda: client.get(self.path))
        if response.status_code != 200:
            raise RuntimeError(f"the yardstick answered {response.status_code}")
        if record:
            self.timings.append(elapsed)
            self.cpu.append(cpu)
        return elapsed

    def summary(self, client) -> dict:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(self.path)
        return {
            "path": self.path,
            "samples": len(self.timings),
            "median_ms": round(statistics.median(self.timings), 3),
            "p95_ms": round(percentile(self.timings, 0.95), 3),
            "cpu_median_ms": round(statistics.median(self.cpu), 3),
            "queries": len(queries.captured_queries),
        }


def multiple(ms: float, yardstick_ms: float) -> float:
    """``ms`` in multiples of the yardstick's median."""
    return round(ms / yardstick_ms, 1) if yardstick_ms > 0 else 0.0


def _request(client, page, state, i):
    from bench.pages import State  # noqa: F401  (the page callables take it)

    path = page.url(state, i)
    headers = {"HX-Request": "true"} if page.htmx else {}
    data = page.data(state, i) if page.data else None
    if page.method == "POST":
        return path, lambda: client.post(path, data or {}, headers=headers)
    return path, lambda: client.get(path, headers=headers)


def measure_page(page, state, clients, *, reps: int, warmup: int, capture: int, yardstick: Yardstick) -> dict:
    """Time ``reps`` requests after ``warmup`` unrecorded ones, then count queries on ``capture`` more.

    Before each timed (and warm-up) request the yardstick is sent through the same client.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.pages import Missing

    result: dict = {"label": page.label, "group": page.group, "method": page.method, "user": page.user}
    client = clients[page.user]
    timings: list[float] = []
    cpu: list[float] = []  # the app's own CPU time: what a busy machine's waiting does not inflate
    sql: list[float] = []
    counts: list[int] = []
    slowest: list[tuple[float, str]] = []
    beside: list[float] = []  # the yardstick's timings interleaved with this page's
    try:
        for i in range(warmup + reps + capture):
            if page.prepare:
                page.prepare(state, i)
            path, send = _request(client, page, state, i)
            result.setdefault("url", path.split("?")[0])
            if i >= warmup + reps:
                with CaptureQueriesContext(connection) as queries:
                    response = send()
                counts.append(len(queries.captured_queries))
                sql.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
                slowest += [(float(q["time"]) * 1000, q["sql"][:400]) for q in queries.captured_queries]
            else:
                trivial = yardstick.send(client, record=i >= warmup)
                response, elapsed, used = _timed(send)
                if i >= warmup:
                    beside.append(trivial)
                    timings.append(elapsed)
                    cpu.append(used)
            error = ""
            if response.status_code != page.status:
                error = f"status {response.status_code}, expected {page.status} ({path})"
            elif page.verify:
                error = page.verify(state, i, response)
            if page.cleanup:
                page.cleanup(state, i)
            if error:
                result.update(status="error", error=error)
                return result
    except Missing as missing:
        result.update(status="missing", error=f"no URL named {missing}")
        return result
    except Exception as exc:  # a page that breaks is a finding, not the end of the benchmark
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        result.update(status="error", error=f"{exc!r} at {frame.filename}:{frame.lineno}")
        return result
    slowest.sort(reverse=True)
    result.update(
        status="ok",
        reps=len(timings),
        median_ms=round(statistics.median(timings), 2),
        p95_ms=round(percentile(timings, 0.95), 2),
        min_ms=round(min(timings), 2),
        max_ms=round(max(timings), 2),
        cpu_median_ms=round(statistics.median(cpu), 2),
        yardstick_median_ms=round(statistics.median(beside), 3),
        sql_ms=round(min(sql), 2),
        queries=max(counts),
        queries_min=min(counts),
        slowest_queries=[{"ms": round(ms, 2), "sql": sql} for ms, sql in slowest[:3]],
    )
    return result


def _near(code: str, taken: set[str], rng: random.Random) -> str | None:
    from visits import codes

    parsed = codes.parse(code)
    if parsed is None:
        return None
    for _ in range(20):
        letters = list(parsed.letters)
        letters[rng.randrange(len(letters))] = rng.choice("ABDEGHIKLMNOPRSTUV")
        candidate = codes.build("".join(letters), parsed.birth_year, parsed.gender)
        if candidate not in taken:
            return candidate
    return None


def prepare_state(password: str, seed: int = 3, *, small: bool = False):
    """The cast, the facility open for check-in, a busy floor, the heavy client and codes to search for."""
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from bench.floor import Floor, admit_around_the_clock, make_cast
    from bench.pages import State
    from visits.models import Client, Visit

    cast = make_cast(password)
    admit_around_the_clock(timezone.now())
    floor = Floor(cast)
    floor.clear()
    floor.set_booths()
    occupancy = floor.populate(small=small)
    top = Visit.objects.values("client").annotate(n=Count("pk")).order_by("-n")[0]
    heavy = Client.objects.get(pk=top["client"])
    rng = random.Random(seed)
    with_visits = list(Visit.objects.order_by().values_list("client__code", flat=True).distinct()[:5000])
    codes = rng.sample(with_visits, min(50, len(with_visits)))
    taken = set(Client.objects.filter(code__in=[c for c in codes]).values_list("code", flat=True))
    near = [n for n in (_near(code, taken, rng) for code in codes) if n]
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    state = State(floor=floor, heavy=heavy, codes=codes, near_codes=near or codes, month=month)
    heavy_visits = top["n"]
    return cast, state, {"occupancy": occupancy, "heavy_client_visits": heavy_visits}


def measure_all(cast, state, *, reps: int, warmup: int, capture: int, only: list[str] | None = None) -> dict:
    from django.test import Client as TestClient

    from bench.pages import PAGES

    clients = {}
    for role, user in cast.items():
        clients[role] = TestClient()
        clients[role].force_login(user)
    yardstick = Yardstick()
    for _ in range(warmup):
        yardstick.send(clients["duty"], record=False)
    pages = {}
    for page in PAGES:
        if only and page.name not in only:
            continue
        pages[page.name] = measure_page(
            page, state, clients, reps=reps, warmup=warmup, capture=capture, yardstick=yardstick
        )
        shown = pages[page.name]
        figures = (
            f"median {shown['median_ms']:7.1f} ms  p95 {shown['p95_ms']:7.1f} ms  cpu {shown['cpu_median_ms']:6.1f} ms"
            f"  {shown['queries']:3d} queries  (yardstick {shown['yardstick_median_ms']:5.2f} ms)"
            if shown["status"] == "ok"
            else f"{shown['status']}: {shown.get('error', '')}"
        )
        print(f"    {page.name:<18} {figures}", flush=True)
    if not yardstick.timings:  # every page missing or broken: the yardstick alone, so the run still has it
        for _ in range(max(reps, 1)):
            yardstick.send(clients["duty"], record=True)
    measured = yardstick.summary(clients["duty"])
    speed = measured["median_ms"]
    for shown in pages.values():
        if shown["status"] == "ok":
            shown["median_x"] = multiple(shown["median_ms"], speed)
            shown["p95_x"] = multiple(shown["p95_ms"], speed)
    print(
        f"    {'yardstick':<18} median {speed:7.2f} ms  p95 {measured['p95_ms']:7.2f} ms"
        f"  cpu {measured['cpu_median_ms']:6.2f} ms  {measured['queries']:3d} queries  ({measured['samples']} samples)",
        flush=True,
    )
    return {"yardstick": measured, "pages": pages}


def row_counts() -> dict[str, int]:
    from counseling.models import CounselingSession, Referral
    from health.models import Emergency, HealthService, Intervention
    from visits.models import BoothSession, Client, HandOut, ObservationCheck, Visit, VisitEvent

    models = (
        Client, Visit, VisitEvent, BoothSession, ObservationCheck, HandOut, Emergency, Intervention,
        HealthService, CounselingSession, Referral,
    )  # fmt: skip
    return {model._meta.label: model.objects.count() for model in models}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--years", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--capture", type=int, default=2)
    parser.add_argument("--password", required=True)
    parser.add_argument("--only", help="comma-separated page names")
    parser.add_argument("--skip-generate", action="store_true", help="measure the history already there")
    parser.add_argument("--small-floor", action="store_true", help="fewer people on the floor (the quick run)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    django.setup()
    from django.core.management import call_command, get_commands

    part: dict = {"size": args.size}
    if not args.skip_generate:
        from demo.synthetic import generate_history

        print(f"  generating {args.size:,} visits ...", flush=True)
        summary = generate_history(
            visits=args.size, years=args.years, seed=args.seed, progress=lambda line: print(f"  {line}", flush=True)
        )
        part["generate_seconds"] = round(summary.seconds, 1)
        part["history"] = {
            "visits": summary.visits,
            "clients": summary.clients,
            "open_days": summary.days,
            "booths": summary.booths,
            "first_day": str(summary.first_day),
            "last_day": str(summary.last_day),
            "rows_written": sum(summary.rows.values()),
        }
        print(f"  generated in {part['generate_seconds']} s", flush=True)
    if "rollup_daily" in get_commands():
        # The nightly job production runs (cron), so the dashboard reads the rollup as it would there.
        started = time.monotonic()
        call_command("rollup_daily", stdout=StringIO())
        part["rollup_seconds"] = round(time.monotonic() - started, 1)
        print(f"  rolled up the daily figures in {part['rollup_seconds']} s", flush=True)
    part["rows"] = row_counts()
    cast, state, facts = prepare_state(args.password, small=args.small_floor)
    part.update(facts)
    part["search_codes"] = state.codes
    print(f"  measuring ({args.reps} repetitions each) ...", flush=True)
    only = args.only.split(",") if args.only else None
    part["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    part.update(measure_all(cast, state, reps=args.reps, warmup=args.warmup, capture=args.capture, only=only))
    part["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    with open(args.out, "w") as handle:
        json.dump(part, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())

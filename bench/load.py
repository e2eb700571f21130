"""The app under gunicorn with production settings, loaded by a bounded client on loopback.

Pure Python (``http.client`` and threads), so nothing beyond the requirements is needed. A fixed
number of threads send requests one after another for a fixed time; requests per second and latency
percentiles are reported per page, and each page's throughput as a share of the yardstick's
(``bench.views``: the same middleware as the pages, signed in, one query, a small template) in the same
run, which factors the machine out.
"""

from __future__ import annotations

import contextlib
import http.client
import math
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from bench import YARDSTICK_PATH

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(port: int, path: str, headers: dict | None = None, *, method: str = "GET", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log: Path, preload: bool = False) -> Iterator[int]:
    """Serve the app on a free loopback port until the block ends; yields the port.

    As ``make serve`` runs it; ``preload`` (the quick run) imports the app once before forking, to start faster.
    """
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "bergen_injection.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        *(["--preload"] if preload else []),
    ]
    with open(log, "ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start-up; see {log}")
            with contextlib.suppress(OSError):
                if _get(port, "/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the login form as a person does; returns the Cookie header for the session."""
    status, headers, body = _get(port, "/login/")
    cookies = SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookies.load(value)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or match is None or "csrftoken" not in cookies:
        raise RuntimeError(f"no login form at /login/ (status {status})")
    form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()})
    status, headers, _body = _get(
        port,
        "/login/",
        {"Cookie": f"csrftoken={cookies['csrftoken'].value}", "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=form,
    )
    for name, value in headers:
        if name.lower() == "set-cookie":
            cookies.load(value)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"logging in as {username} failed (status {status})")
    return "; ".join(f"{key}={morsel.value}" for key, morsel in cookies.items())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def hammer(
    port: int,
    path_for: Callable[[int], str],
    headers: dict,
    *,
    seconds: float,
    concurrency: int,
    warmup: float = 1.0,
    answered: Callable[[int, int, dict[str, str], bytes], None] | None = None,
) -> dict:
    """``concurrency`` threads send requests back to back for ``seconds`` (after ``warmup`` unrecorded).

    ``path_for(n)`` gives the thread's next path (``n`` = thread number × 1,000,003 + requests sent);
    ``answered(thread, status, headers, body)``, when given, sees every answer (a board reads its next poll
    from it).
    """
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    start = time.monotonic()
    record_from, stop = start + warmup, start + warmup + seconds

    def worker(number: int) -> None:
        sent = 0
        while True:
            began = time.monotonic()
            if began >= stop:
                return
            try:
                status, answer_headers, body = _get(port, path_for(number * 1_000_003 + sent), headers)
                ok = status in (200, 204)
                if answered is not None:
                    answered(number, status, {k.lower(): v for k, v in answer_headers}, body)
            except OSError:
                ok = False
            ended = time.monotonic()
            sent += 1
            if began >= record_from:
                latencies[number].append((ended - began) * 1000)
                if not ok:
                    errors[number] += 1

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done = [value for values in latencies for value in values]
    return {
        "requests": len(done),
        "errors": sum(errors),
        "seconds": seconds,
        "concurrency": concurrency,
        "rps": round(len(done) / seconds, 1),
        "p50_ms": round(percentile(done, 0.50), 1),
        "p95_ms": round(percentile(done, 0.95), 1),
        "p99_ms": round(percentile(done, 0.99), 1),
    }


class BoardPoller:
    """Each thread polls as a board in a browser does: the URL in the board it last received.

    A board's answer carries the token of its next refresh (for the floor version it shows) in a header,
    which the browser sends back in a header (the token may equally go in the URL); a 204 leaves it as it is.
    """

    def __init__(self, threads: int):
        self.urls = ["/floor/board/"] * threads

    def path(self, n: int) -> str:
        return self.urls[n // 1_000_003]

    def answered(self, thread: int, status: int, headers: dict[str, str], body: bytes) -> None:
        if status == 200 and (token := headers.get("x-board-token")):
            self.urls[thread] = f"/floor/board/?v={quote(token)}"


def load_phase(
    env: dict[str, str], *, usernames: dict[str, str], password: str, codes: list[str], seconds: float,
    concurrency: int, workers: int, log: Path, warmup: float = 1.0, preload: bool = False,
) -> dict:  # fmt: skip
    """The yardstick, the floor board (polled, and drawn every time) and the reception search, in turn."""
    with gunicorn(env, workers=workers, log=log, preload=preload) as port:
        duty = log_in(port, usernames["duty"], password)
        reception = log_in(port, usernames["reception"], password)
        codes = codes or ["AB"]
        board = BoardPoller(concurrency)
        plan = {
            # The yardstick, as the member of staff the board is loaded for.
            "trivial": (f"/{YARDSTICK_PATH}", {"Cookie": duty}, lambda n: f"/{YARDSTICK_PATH}", None),
            # As the boards poll: with the version last shown, "no change" (204) while the floor is as it was.
            "floor-board": ("/floor/board/", {"Cookie": duty, "HX-Request": "true"}, board.path, board.answered),
            # Every poll drawing the whole board, as if the floor changed between any two polls.
            "floor-board-drawn": (
                "/floor/board/",
                {"Cookie": duty, "HX-Request": "true"},
                lambda n: "/floor/board/",
                None,
            ),
            "search": (
                "/reception/search/",
                {"Cookie": reception, "HX-Request": "true"},
                lambda n: f"/reception/search/?q={quote(codes[n % len(codes)])}",
                None,
            ),
        }
        results = {}
        for name, (path, headers, path_for, answered) in plan.items():
            result = hammer(
                port, path_for, headers, seconds=seconds, concurrency=concurrency, warmup=warmup, answered=answered
            )
            result["path"] = path
            results[name] = result
            print(
                f"    load {name:<17} {result['rps']:8.1f} req/s  p50 {result['p50_ms']:6.1f} ms  "
                f"p95 {result['p95_ms']:6.1f} ms  errors {result['errors']}",
                flush=True,
            )
    trivial = results["trivial"]["rps"] or 1.0
    for result in results.values():
        result["ratio_to_trivial"] = round(result["rps"] / trivial, 3)
    return {"workers": workers, "cores": os.cpu_count(), "pages": results}

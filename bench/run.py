"""``make bench``: the benchmark at every size, on fresh databases, under production settings.

For each size (``BENCH_SIZES``, default 10,000 and 2,000,000 visits) it clones a freshly migrated
database, generates the history and times every page (``bench.measure``), then serves the app with
gunicorn and loads the yardstick and two pages (``bench.load``). It writes ``bench/results.json`` and
prints a table, every page in milliseconds and in multiples of the yardstick measured in the same run
(``bench.views``), with the goals met or missed (``bench.report``). The databases are made on the
PostgreSQL server of ``DATABASE_URL`` (127.0.0.1:5432 as postgres when unset or not PostgreSQL) and
dropped at the end; the database that ``DATABASE_URL`` names is never touched. A SQLite URL given
with ``--database-url`` runs everything on SQLite files in a temporary directory (the quick run in
the test suite does that).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import Server
from bench.load import load_phase
from bench.report import evaluate, print_table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _env(database_url: str, static_root: Path) -> dict[str, str]:
    """Production settings from the environment, as ``make serve`` would have them, on loopback."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL=os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _run(command: list[str], env: dict[str, str], log: Path) -> None:
    with open(log, "ab") as output:
        output.write(f"\n$ {' '.join(command)}\n".encode())
        output.flush()
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command[:4])} failed; see {log}")


def _git_commit() -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def _sizes(raw: str) -> list[int]:
    return [int(part.replace("_", "")) for part in raw.split(",") if part.strip()]


QUICK = (2, 0, 1)  # repetitions, warm-up, query counts: enough to see every page work, nothing to time


def _measure_size(args, size: int, env: dict[str, str], work: Path, log: Path, password: str, *, load: bool) -> dict:
    """Generate (unless reusing) and time the pages in a child process, then the load phase here."""
    quick = args.quick
    reps, warmup, capture = QUICK if quick else (args.reps, 3, 2)
    part_file = work / f"part-{size}.json"
    command = [sys.executable, "-m", "bench.measure", "--size", str(size), "--years", str(args.years),
               "--seed", str(args.seed), "--reps", str(reps), "--warmup", str(warmup), "--capture", str(capture),
               f"--password={password}", "--out", str(part_file)]  # fmt: skip  # "=": a password may begin with "-"
    if args.reuse:
        command.append("--skip-generate")
    if quick:
        command.append("--small-floor")
    if subprocess.run(command, cwd=ROOT, env=env).returncode:
        raise RuntimeError(f"measuring {size:,} visits failed")
    part: dict = json.loads(part_file.read_text())
    if load:
        part["load"] = load_phase(
            env,
            usernames={role: f"bench-{role}" for role in ("duty", "reception")},
            password=password,
            codes=part.get("search_codes", []),
            seconds=args.load_seconds,
            concurrency=args.concurrency,
            workers=2 if quick else args.workers,
            log=log,
            warmup=0.2 if quick else 1.0,
            preload=quick,
        )
    part.pop("search_codes", None)
    return part


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10000,2000000"))
    parser.add_argument("--years", type=float, default=float(os.environ.get("BENCH_YEARS", 10)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", 30)))
    parser.add_argument("--load-seconds", type=float, default=float(os.environ.get("BENCH_LOAD_SECONDS", 15)))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--quick", action="store_true", help="few repetitions, load at the largest size only")
    parser.add_argument("--database-url", help="the server to make the databases on (default: DATABASE_URL)")
    parser.add_argument("--template-db", help="an already migrated database on that server to clone")
    parser.add_argument("--keep-db", action="store_true", default=os.environ.get("BENCH_KEEP_DB") == "1")
    parser.add_argument(
        "--reuse", metavar="STAMP", help="measure again the databases a --keep-db run left (bench_STAMP_<size>)"
    )
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args(argv)

    sizes = _sizes(args.sizes)
    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    if not args.database_url and not url.startswith(("postgres", "pgsql")):
        url = DEFAULT_SERVER  # the benchmark is for PostgreSQL unless told otherwise
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    log = work / "bench.log"
    server = Server.from_url(url, work)
    stamp = f"{time.strftime('%Y%m%d_%H%M%S')}_{os.getpid()}"  # unique on a shared server
    password = secrets.token_urlsafe(16)
    reps, warmup, capture = QUICK if args.quick else (args.reps, 3, 2)
    results: dict = {
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
        "git": _git_commit(),
        "database": server.describe(),
        "settings": {"years": args.years, "seed": args.seed, "reps": reps, "warmup": warmup,
                     "load_seconds": args.load_seconds, "concurrency": args.concurrency, "workers": args.workers},
        "sizes": {},
    }  # fmt: skip
    print(f"Benchmark at {', '.join(f'{s:,}' for s in sizes)} visits on {server.describe()}; log in {log}", flush=True)
    made: list[str] = []
    try:
        static_env = _env(server.url_for(args.template_db or "unused"), work / "static")
        _run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], static_env, log)
        template = args.template_db
        if template is None and not args.reuse:
            template = f"bench_{stamp}_base"
            made.append(server.create(template))
            print("  migrating a fresh database ...", flush=True)
            template_env = _env(server.url_for(template), work / "static")
            _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], template_env, log)
        for size in sizes:
            name = f"bench_{args.reuse or stamp}_{size}"
            env = _env(server.url_for(name), work / "static")
            print(f"\n== {size:,} visits ({name})", flush=True)
            if args.reuse:  # the history is there; bring the schema up to date (a new index, say)
                _run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env, log)
                server.vacuum(name)
            else:
                made.append(server.clone(template, name))
            # The quick run loads only the largest size: starting gunicorn is most of its time.
            load = args.load_seconds > 0 and (not args.quick or size == sizes[-1])
            results["sizes"][str(size)] = _measure_size(args, size, env, work, log, password, load=load)
            if not args.keep_db and not args.reuse:
                server.drop(made.pop())
    finally:
        if args.keep_db and made:
            print(f"Kept the databases: {', '.join(made)} (measure again with --reuse {stamp})")
        else:
            for name in reversed(made):
                server.drop(name)
        shutil.rmtree(work / "static", ignore_errors=True)
    results["goals"] = evaluate(results)
    Path(args.out).write_text(json.dumps(results, indent=2, default=str) + "\n")
    print_table(results)
    print(f"\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

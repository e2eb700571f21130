"""Many stations at once against a real server on the embedded default (SQLite), and what each was answered.

    .venv/bin/python tools/rush.py                        # gunicorn with 3 workers, as `make serve` runs it
    .venv/bin/python tools/rush.py --server runserver     # Django's threaded server, as `make run` runs it

A fresh SQLite file (var/rush.sqlite3) is migrated with the default facility, the server is started on it
with DEBUG on (as `make run` does), and each round fires its requests at once from threads released
together, each thread logged in as one of several staff:

- booths: every booth free and 20 clients waiting; 20 "assign the next free booth" at once. Each booth
  must get one client, every other station "No booth is free".
- check-ins: 10 clients, each checked in by two receptionists at once (20 requests). One visit each.

It prints the HTTP statuses and the messages counted, checks the database afterwards, and exits non-zero
on any 5xx or broken invariant.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import http.client
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "rush-password-0123"
TESTIDS = ("board-notice", "board-error", "blockers", "database-busy")


def configure(db: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        DEBUG="true",
        DJANGO_SETTINGS_MODULE="bergen_injection.settings",
        PYTHONUNBUFFERED="1",
    )
    os.environ.update(env)
    return env


def prepare(db: Path, env: dict[str, str]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth.models import Group

    from demo.defaults import facility_load_defaults
    from staff.models import User
    from staff.roles import GROUP_NAMES, Role
    from visits.models import ClosedDay, OpeningHours, OpeningHoursPeriod, SpecialHours
    from visits.models.facility import END_OF_DAY

    facility_load_defaults()
    # The rush runs whenever it is started: the facility admits all day for it, 00:00 to 24:00 (a closing
    # time of 00:00 is the end of the day), every day, with no closed or special day in the way.
    OpeningHours.objects.update(opens=dt.time.min, closes=END_OF_DAY)
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)
    ClosedDay.objects.all().delete()
    SpecialHours.objects.all().delete()
    for name, role in [*((f"health{n}", Role.HEALTH) for n in range(1, 5)), ("reception1", Role.RECEPTION)]:
        user = User.objects.create_user(username=name, password=PASSWORD)
        user.groups.set(Group.objects.filter(name=GROUP_NAMES[role]))
    reception2 = User.objects.create_user(username="reception2", password=PASSWORD)
    reception2.groups.set(Group.objects.filter(name=GROUP_NAMES[Role.RECEPTION]))


class Station:
    """One logged-in browser: its cookies and CSRF token, one connection per request."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        page = self.request("GET", "/login/").body.decode()
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if found is None:
            raise SystemExit("the login page has no CSRF token")
        token = found.group(1)
        answer = self.request(
            "POST", "/login/", {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        if answer.status != 302:
            raise SystemExit(f"{username} could not log in: {answer.status}")

    def request(self, method: str, path: str, form: dict | None = None, htmx: bool = False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        response.body = response.read()  # type: ignore[attr-defined]  # read before the connection closes
        connection.close()
        return response


def at_once(calls) -> list[tuple[int, str]]:
    """Each call in its own thread, released together: (status, what the answer said)."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[int, str]] = [(0, "")] * len(calls)

    def run(index: int, call) -> None:
        barrier.wait()
        try:
            response = call()
        except OSError as error:
            results[index] = (0, f"connection: {error}")
            return
        html = response.body.decode(errors="replace")
        said = [testid for testid in TESTIDS if f'data-testid="{testid}"' in html]
        if said:
            inside = html.split(f'data-testid="{said[0]}"')[1].split(">", 1)[1].split("</div>")[0]
            text = " ".join(re.sub(r"<[^>]+>", " ", inside).split())
            results[index] = (response.status, f"{said[0]}: {text[:90]}")
        else:
            results[index] = (response.status, response.getheader("Location") or "")

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def report(name: str, results: list[tuple[int, str]], seconds: float) -> int:
    print(f"\n{name}: {len(results)} requests in {seconds:.2f} s")
    print("  statuses:", dict(sorted(collections.Counter(status for status, _ in results).items())))
    for said, count in collections.Counter(said for _, said in results).most_common():
        print(f"  {count:3d} x {said}")
    return sum(1 for status, _ in results if status >= 500 or status == 0)


def rush_booths(port: int, stations: list[Station], count: int) -> int:
    from staff.models import User
    from visits.models import Booth, BoothSession, Client, Route, Substance, Visit
    from visits.services.checkin import visit_check_in
    from visits.services.rooms.leaving import visit_check_out

    reception = User.objects.get(username="reception1")
    for visit in Visit.objects.filter(ended_at__isnull=True):  # the last round's clients leave
        visit_check_out(visit=visit, by=User.objects.get(username="health1"), note="Left after the rush")
    substance = Substance.objects.filter(enabled=True)[0]
    route = Route.objects.filter(enabled=True)[0]
    visits = []
    for number in range(count):
        code = f"{chr(65 + number % 26)}{chr(65 + number // 26)}{1960 + number}M"
        client, _ = Client.objects.get_or_create(
            code=code,
            defaults={
                "birth_year": 1960 + number,
                "gender": "M",
                "status": "active",
                "registered_by": reception,
                "registered_at": dt.datetime.now(dt.UTC),
            },
        )
        visits.append(visit_check_in(client=client, by=reception, substance=substance))
    payload = {"route": route.pk, "substance": substance.pk, "panel": "injection", "kit": "1"}
    calls = [
        (lambda s=station, v=visit: s.request("POST", f"/visits/{v.pk}/assign-booth/", payload, True))
        for station, visit in zip(itertools.cycle(stations), visits)
    ]
    started = time.monotonic()
    failures = report("booths", at_once(calls), time.monotonic() - started)
    booths = Booth.objects.filter(active=True).count()
    taken = BoothSession.objects.filter(ended_at__isnull=True, visit__in=visits)
    per_booth = max(collections.Counter(taken.values_list("booth_id", flat=True)).values(), default=0)
    print(f"  database: {taken.count()} of {booths} booths taken, at most {per_booth} client per booth")
    return failures + (taken.count() != min(booths, count)) + (per_booth > 1)


def rush_check_ins(port: int, receptionists: list[Station], count: int, round_number: int) -> int:
    from staff.models import User
    from visits.models import Client, Substance, Visit

    reception = User.objects.get(username="reception1")
    substance = Substance.objects.filter(enabled=True)[0]
    clients = []
    for number in range(count):
        code = f"Q{chr(65 + number % 26)}{chr(65 + round_number % 26)}{1970 + number}K"
        clients.append(
            Client.objects.create(
                code=code,
                birth_year=1970 + number,
                gender="K",
                status="active",
                registered_by=reception,
                registered_at=dt.datetime.now(dt.UTC),
            )
        )
    form = {"substance": substance.pk, "intoxication": "none"}
    calls = [
        (lambda s=station, c=client: s.request("POST", f"/clients/{c.pk}/check-in/", form))
        for client in clients
        for station in receptionists
    ]
    started = time.monotonic()
    failures = report("check-ins", at_once(calls), time.monotonic() - started)
    open_visits = collections.Counter(
        Visit.objects.filter(client__in=clients, ended_at__isnull=True).values_list("client_id", flat=True)
    )
    most = max(open_visits.values(), default=0)
    print(f"  database: {len(open_visits)} of {count} clients checked in, at most {most} visit each")
    return failures + (len(open_visits) != count) + (most > 1)


def serve(kind: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen:
    if kind == "gunicorn":
        command = [str(Path(sys.executable).parent / "gunicorn"), "bergen_injection.wsgi", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    else:
        command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    log = (ROOT / "var" / "rush-server.log").open("w")  # the server's own log: refusals logged as 409
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db", type=Path, default=ROOT / "var" / "rush.sqlite3")
    args = parser.parse_args()

    env = configure(args.db.resolve())
    prepare(args.db.resolve(), env)
    server = serve(args.server, args.port, args.workers, env)
    try:
        health = [Station(args.port, f"health{n}") for n in range(1, 5)]
        reception = [Station(args.port, "reception1"), Station(args.port, "reception2")]
        failures = 0
        for round_number in range(1, args.rounds + 1):
            print(f"\n--- round {round_number} ({args.server}, SQLite {args.db.name})")
            failures += rush_booths(args.port, health, args.requests)
            failures += rush_check_ins(args.port, reception, args.requests // 2, round_number)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"\n{'no 5xx, invariants held' if failures == 0 else f'{failures} failures'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

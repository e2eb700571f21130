"""Load with a database restart in the middle: ``make soak`` (``python -m tests.soak``).

Starts a throwaway PostgreSQL cluster (initdb and pg_ctl as the ``postgres`` OS user, a temporary folder,
a spare port on 127.0.0.1, trust authentication), migrates it and loads the demo data, starts the app
under gunicorn with production settings against it, and drives simulated staff through whole visits
(check-in, booth, observation with a check, release or check-out, some emergencies and referrals) from a
bounded number of threads on loopback, each with its own logged-in session. Halfway through it restarts
PostgreSQL (``pg_ctl restart -m fast``), then reports the requests, errors by kind, how long until
requests succeeded again once the database was back, and checks that every action the app acknowledged
is in the database and that no invariant is broken. The cluster and the server are always removed.

``SOAK_SECONDS`` (default 60) and ``SOAK_STAFF`` (default 20) set the length and the load; the results
also go to ``soak-results.json`` (``SOAK_RESULTS`` to change where). The exit status is 1 when a write
was lost, an invariant broken, a 500 answered outside the outage, or requests did not recover.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("SOAK_PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "soak-password-not-secret"
CLIENTS_PER_STAFF = 40
# After the database is back, requests must succeed again within this many seconds.
RECOVERY_GOAL_SECONDS = 10.0


def spare_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the ``postgres`` OS user (initdb refuses to run as root)."""
    command = list(args)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def can_run() -> str | None:
    """Why the soak cannot run here, or None when it can."""
    if not (PG_BIN / "initdb").exists():
        return f"no initdb under {PG_BIN}"
    if os.geteuid() != 0:
        return "needs root to run PostgreSQL as the postgres OS user"
    if shutil.which("runuser") is None:
        return "no runuser"
    try:
        subprocess.run(["id", "postgres"], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        return "no postgres OS user"
    return None


class Cluster:
    """A PostgreSQL cluster of its own: a temporary folder owned by postgres, 127.0.0.1 only, trust auth."""

    def __init__(self, *, durable: bool = True) -> None:
        # A short run in the test suite may skip fsync: a fast restart is a clean shutdown either way.
        self.durable = durable
        self.folder = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        shutil.chown(self.folder, user="postgres", group="postgres")
        self.data = self.folder / "data"
        self.port = spare_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/soak"
        self.started = False

    def _pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c full_page_writes=off"
        as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "-o", options, *args
        )

    def start(self) -> None:
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self._pg_ctl("start")
        self.started = True
        as_postgres(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "soak")

    def restart(self) -> None:
        self._pg_ctl("-m", "fast", "restart")

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(Exception):
                self._pg_ctl("-m", "immediate", "stop")
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


def app_environment(cluster: Cluster, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bergen_injection.settings",
        "DEBUG": "false",
        "SECRET_KEY": "soak-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "DATABASE_URL": cluster.url,
        "DEMO_PASSWORD": PASSWORD,
        "LOG_LEVEL": "WARNING",
    }


SETUP = """
import datetime as dt, json
from django.utils import timezone
from staff.models import User
from visits.models import Client, OpeningHours, OpeningHoursPeriod, Substance, Route
from counseling.models import ReferralService
# The soak runs at any hour: the facility admits all day.
OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
OpeningHoursPeriod.objects.update(last_admission_minutes=0)
by = User.objects.get(username="reception")
letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
clients = []
for n in range(%(count)d):
    code = letters[n // 676 %% 26] + letters[n // 26 %% 26] + letters[n %% 26] + "SK" + str(1960 + n %% 40) + "M"
    clients.append(Client(code=code, birth_year=1960 + n %% 40, gender="M", status="active",
                          registered_at=timezone.now() - dt.timedelta(days=30), registered_by=by))
Client.objects.bulk_create(clients)
print(json.dumps({
    "clients": list(Client.objects.filter(code__contains="SK").order_by("pk").values_list("pk", "code")),
    "substance": Substance.objects.filter(enabled=True).first().pk,
    "route": Route.objects.filter(enabled=True).first().pk,
    "service": ReferralService.objects.filter(enabled=True).first().pk,
}))
"""


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


# The load generator -------------------------------------------------------------------------------


@dataclass
class Outcome:
    at: float
    method: str
    path: str
    status: int | None  # None: no HTTP answer
    error: str = ""
    ended: float = 0.0


@dataclass
class Log:
    """What every simulated staff member saw, shared between threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    outcomes: list[Outcome] = field(default_factory=list)
    # Actions the app acknowledged: (kind, client code, object id).
    acknowledged: list[tuple[str, str, int]] = field(default_factory=list)

    def request(self, outcome: Outcome) -> None:
        with self.lock:
            self.outcomes.append(outcome)

    def ack(self, kind: str, code: str, pk: int) -> None:
        with self.lock:
            self.acknowledged.append((kind, code, pk))


class Unanswered(Exception):
    """No usable answer: a connection error, a 5xx, or the login page."""


class Staff:
    """One staff member at a station computer: a cookie jar and a keep-alive connection."""

    def __init__(self, port: int, log: Log, username: str) -> None:
        self.port = port
        self.log = log
        self.username = username
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def _send(self, method: str, path: str, data: dict | None = None, htmx: bool = False) -> tuple[int, dict, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        if htmx:
            headers["HX-Request"] = "true"
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            if self.conn is not None:
                self.conn.close()
            self.conn = None
            self.log.request(Outcome(started, method, path, None, type(error).__name__, time.monotonic()))
            raise Unanswered(type(error).__name__) from None
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        self.log.request(Outcome(started, method, path, response.status, ended=time.monotonic()))
        if response.status >= 500:
            raise Unanswered(str(response.status))
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), text

    def get(self, path: str, htmx: bool = False) -> tuple[int, dict, str]:
        return self._send("GET", path, htmx=htmx)

    def post(self, path: str, data: dict, htmx: bool = False) -> tuple[int, dict, str]:
        status, headers, text = self._send("POST", path, data, htmx=htmx)
        if status in (302, 200) and "/login/" in headers.get("location", ""):
            self.login()
            raise Unanswered("logged out")
        return status, headers, text

    def login(self) -> None:
        self.cookies.clear()
        self.get("/login/")
        status, headers, _ = self.post_login()
        if status != 302:
            raise Unanswered(f"login answered {status}")

    def post_login(self) -> tuple[int, dict, str]:
        return self._send("POST", "/login/", {"username": self.username, "password": PASSWORD})


NOTICE = re.compile(r'data-testid="board-notice"')


class Shift(threading.Thread):
    """A staff member taking their own clients through whole visits until the time is up."""

    def __init__(self, number: int, port: int, log: Log, db_url: str, setup: dict, deadline: float) -> None:
        super().__init__(daemon=True, name=f"staff-{number}")
        self.staff = Staff(port, log, "duty")
        self.log = log
        self.db_url = db_url
        self.setup = setup
        self.deadline = deadline
        self.random = random.Random(number)
        mine = setup["clients"][number * CLIENTS_PER_STAFF : (number + 1) * CLIENTS_PER_STAFF]
        self.clients: list[tuple[int, str]] = [tuple(c) for c in mine]
        self.db = None

    # Ids staff would read off the boards; read straight from the database to keep the script short.
    def lookup(self, sql: str, *params: object) -> int | None:
        import psycopg2

        try:
            if self.db is None or self.db.closed:
                self.db = psycopg2.connect(self.db_url.replace("postgres://", "postgresql://"), connect_timeout=3)
                self.db.autocommit = True
            with self.db.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        except psycopg2.Error:
            with contextlib.suppress(Exception):
                self.db.close()
            self.db = None
            raise Unanswered("lookup") from None
        return row[0] if row else None

    def open_visit(self, client_pk: int) -> int | None:
        return self.lookup("SELECT id FROM visits_visit WHERE client_id = %s AND ended_at IS NULL", client_pk)

    def pause(self, seconds: float = 0.05) -> None:
        time.sleep(seconds)

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            try:
                if not self.staff.cookies.get("sessionid"):
                    self.staff.login()
                pk, code = self.random.choice(self.clients)
                self.visit(pk, code)
            except Unanswered:
                time.sleep(0.25)  # the outage, most likely: wait a moment as staff would, then go on
        with contextlib.suppress(Exception):
            self.db.close()

    def visit(self, pk: int, code: str) -> None:
        s = self.setup
        leftover = self.open_visit(pk)
        if leftover:  # a visit left open by a failed step: check it out from the floor
            status, _, _ = self.staff.post(f"/visits/{leftover}/check-out/", {"panel": "floor"}, htmx=True)
            if status == 200 and self.open_visit(pk) is None:
                self.log.ack("check_out", code, leftover)
            return
        status, headers, _ = self.staff.post(
            f"/clients/{pk}/check-in/", {"substance": s["substance"], "intoxication": "none"}
        )
        if status != 302:
            return
        visit = self.open_visit(pk)
        self.log.ack("check_in", code, visit or 0)
        if visit is None:
            return
        self.pause()
        # A booth: the next free one, with the default kit some of the time; wait when all are taken.
        for _attempt in range(20):
            data = {"route": s["route"], "substance": s["substance"], "panel": "injection"}
            if self.random.random() < 0.5:
                data["kit"] = "on"
            status, _, text = self.staff.post(f"/visits/{visit}/assign-booth/", data, htmx=True)
            if status == 200 and NOTICE.search(text):
                break
            if time.monotonic() > self.deadline:
                return
            time.sleep(0.2)
        else:
            self.check_out(visit, code)
            return
        session = self.lookup("SELECT id FROM visits_boothsession WHERE visit_id = %s AND ended_at IS NULL", visit)
        self.log.ack("booth", code, session or 0)
        if session is None:
            return
        self.pause(0.2)
        if self.random.random() < 0.03:
            self.emergency(pk, code)
        status, _, text = self.staff.post(
            f"/booth-sessions/{session}/end/", {"next_location": "observation", "panel": "injection"}, htmx=True
        )
        if not (status == 200 and NOTICE.search(text)):
            return
        self.log.ack("booth_end", code, session)
        observation = self.lookup("SELECT id FROM visits_observation WHERE visit_id = %s AND ended_at IS NULL", visit)
        if observation is None:
            return
        self.pause()
        status, _, text = self.staff.post(
            f"/visits/{visit}/check/", {"state": "alert", "note": "", "panel": "observation"}, htmx=True
        )
        if status == 200 and NOTICE.search(text):
            self.log.ack("check", code, observation)
        if self.random.random() < 0.1:
            status, headers, _ = self.staff.post(
                "/interview/referrals/new/", {"client": code, "service": s["service"], "note": "soak"}
            )
            if status == 302:
                referral = self.lookup(
                    "SELECT id FROM counseling_referral WHERE client_id = %s ORDER BY id DESC LIMIT 1", pk
                )
                self.log.ack("referral", code, referral or 0)
        self.pause()
        if self.random.random() < 0.8:
            status, _, text = self.staff.post(
                f"/observations/{observation}/release/",
                {"next_location": "gone", "reason": "soak: released early", "panel": "observation"},
                htmx=True,
            )
            if status == 200 and NOTICE.search(text):
                self.log.ack("release", code, observation)
                self.log.ack("visit_ended", code, visit)
        else:
            self.check_out(visit, code)

    def check_out(self, visit: int, code: str) -> None:
        status, _, text = self.staff.post(f"/visits/{visit}/check-out/", {"panel": "floor"}, htmx=True)
        if status == 200 and NOTICE.search(text):
            self.log.ack("visit_ended", code, visit)

    def emergency(self, pk: int, code: str) -> None:
        status, headers, _ = self.staff.post("/health/emergencies/open/", {"client_id": pk})
        match = re.search(r"/health/emergencies/(\d+)/", headers.get("location", ""))
        if status != 302 or not match:
            return
        emergency = int(match.group(1))
        self.log.ack("emergency", code, emergency)
        status, _, _ = self.staff.post(f"/health/emergencies/{emergency}/close/", {"outcome": "recovered"})
        if status == 302:
            self.log.ack("emergency_closed", code, emergency)


# Checks after the run -----------------------------------------------------------------------------

ACK_QUERIES = {
    # kind: SQL that finds the acknowledged record by its id and the client's code
    "check_in": "SELECT 1 FROM visits_visit v JOIN visits_client c ON c.id = v.client_id "
    "WHERE v.id = %s AND c.code = %s",
    "booth": "SELECT 1 FROM visits_boothsession s JOIN visits_visit v ON v.id = s.visit_id "
    "JOIN visits_client c ON c.id = v.client_id WHERE s.id = %s AND c.code = %s",
    "booth_end": "SELECT 1 FROM visits_boothsession s JOIN visits_visit v ON v.id = s.visit_id "
    "JOIN visits_client c ON c.id = v.client_id WHERE s.id = %s AND c.code = %s AND s.ended_at IS NOT NULL",
    "check": "SELECT 1 FROM visits_observationcheck k JOIN visits_observation o ON o.visit_id = k.visit_id "
    "JOIN visits_visit v ON v.id = o.visit_id JOIN visits_client c ON c.id = v.client_id "
    "WHERE o.id = %s AND c.code = %s",
    "release": "SELECT 1 FROM visits_observation o JOIN visits_visit v ON v.id = o.visit_id "
    "JOIN visits_client c ON c.id = v.client_id WHERE o.id = %s AND c.code = %s AND o.ended_at IS NOT NULL",
    "visit_ended": "SELECT 1 FROM visits_visit v JOIN visits_client c ON c.id = v.client_id "
    "WHERE v.id = %s AND c.code = %s AND v.ended_at IS NOT NULL",
    "check_out": "SELECT 1 FROM visits_visit v JOIN visits_client c ON c.id = v.client_id "
    "WHERE v.id = %s AND c.code = %s AND v.ended_at IS NOT NULL",
    "emergency": "SELECT 1 FROM health_emergency e JOIN visits_client c ON c.id = e.client_id "
    "WHERE e.id = %s AND c.code = %s",
    "emergency_closed": "SELECT 1 FROM health_emergency e JOIN visits_client c ON c.id = e.client_id "
    "WHERE e.id = %s AND c.code = %s AND e.ended_at IS NOT NULL",
    "referral": "SELECT 1 FROM counseling_referral r JOIN visits_client c ON c.id = r.client_id "
    "WHERE r.id = %s AND c.code = %s",
}

INVARIANTS = {
    "client with two open visits": "SELECT count(*) FROM (SELECT client_id FROM visits_visit "
    "WHERE ended_at IS NULL GROUP BY client_id HAVING count(*) > 1) x",
    "booth with two open sessions": "SELECT count(*) FROM (SELECT booth_id FROM visits_boothsession "
    "WHERE ended_at IS NULL GROUP BY booth_id HAVING count(*) > 1) x",
    "visit with two open booth sessions": "SELECT count(*) FROM (SELECT visit_id FROM visits_boothsession "
    "WHERE ended_at IS NULL GROUP BY visit_id HAVING count(*) > 1) x",
    "visit with two open observations": "SELECT count(*) FROM (SELECT visit_id FROM visits_observation "
    "WHERE ended_at IS NULL GROUP BY visit_id HAVING count(*) > 1) x",
    "ended visit with a running booth timer": "SELECT count(*) FROM visits_boothsession s "
    "JOIN visits_visit v ON v.id = s.visit_id WHERE v.ended_at IS NOT NULL AND s.ended_at IS NULL",
    "ended visit with a running observation": "SELECT count(*) FROM visits_observation o "
    "JOIN visits_visit v ON v.id = o.visit_id WHERE v.ended_at IS NOT NULL AND o.ended_at IS NULL",
    "closed booth timer without its duration or ending before it began": "SELECT count(*) FROM visits_boothsession "
    "WHERE ended_at IS NOT NULL AND (duration_seconds IS NULL OR ended_at < started_at)",
    "closed observation without its duration or ending before it began": "SELECT count(*) FROM visits_observation "
    "WHERE ended_at IS NOT NULL AND (duration_seconds IS NULL OR ended_at < started_at)",
    "client with two open emergencies": "SELECT count(*) FROM (SELECT client_id FROM health_emergency "
    "WHERE ended_at IS NULL GROUP BY client_id HAVING count(*) > 1) x",
    "stock level differing from its ledger": "SELECT count(*) FROM visits_equipmentitem i "
    "LEFT JOIN visits_stockbalance b ON b.item_id = i.id WHERE COALESCE(b.level, 0) <> "
    "COALESCE((SELECT sum(quantity) FROM visits_stockmovement m WHERE m.item_id = i.id), 0) "
    "- COALESCE((SELECT sum(quantity) FROM visits_handout h WHERE h.item_id = i.id), 0)",
}


def consistency(db_url: str, acknowledged: list[tuple[str, str, int]]) -> dict:
    import psycopg2

    lost: list[tuple[str, str, int]] = []
    broken: dict[str, int] = {}
    with psycopg2.connect(db_url.replace("postgres://", "postgresql://")) as db, db.cursor() as cursor:
        for kind, code, pk in acknowledged:
            cursor.execute(ACK_QUERIES[kind], (pk, code))
            if cursor.fetchone() is None:
                lost.append((kind, code, pk))
        for name, sql in INVARIANTS.items():
            cursor.execute(sql)
            count = cursor.fetchone()[0]
            if count:
                broken[name] = count
        cursor.execute("SELECT count(*) FROM visits_visit")
        visits = cursor.fetchone()[0]
    db.close()
    return {"lost": lost, "broken": broken, "visits_in_database": visits}


# The run -----------------------------------------------------------------------------------------


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": f"127.0.0.1:{port}"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz")


def summarise(log: Log, restart: dict, started: float, ended: float, checks: dict) -> dict:
    down, back = restart["began"], restart["back"]
    by_kind: Counter[str] = Counter()
    in_outage: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for outcome in log.outcomes:
        if outcome.status is not None and outcome.status < 500:
            continue
        kind = f"HTTP {outcome.status}" if outcome.status is not None else f"connection: {outcome.error}"
        by_kind[kind] += 1
        # The outage window: from the restart's start until the recovery goal after the database is back.
        (in_outage if down <= outcome.ended and outcome.at <= back + RECOVERY_GOAL_SECONDS else outside)[kind] += 1
    # Recovery: from the database being back to the first success after the outage's last failure.
    failures = [o.ended for o in log.outcomes if (o.status is None or o.status >= 500) and down <= o.ended]
    last_failure = max(failures, default=back)
    successes = [o.ended for o in log.outcomes if o.status is not None and o.status < 500 and o.ended >= last_failure]
    recovery = round(max(0.0, min(successes) - back), 2) if successes else None
    acknowledged = Counter(kind for kind, _, _ in log.acknowledged)
    times = sorted(o.ended - o.at for o in log.outcomes if o.status is not None and o.status < 500)
    return {
        "duration_seconds": round(ended - started, 1),
        "requests": len(log.outcomes),
        "requests_per_second": round(len(log.outcomes) / max(ended - started, 0.001), 1),
        "latency_ms_median": round(1000 * times[len(times) // 2]) if times else None,
        "latency_ms_p95": round(1000 * times[int(len(times) * 0.95)]) if times else None,
        "errors_by_kind": dict(by_kind),
        "errors_in_outage_window": dict(in_outage),
        "errors_outside_outage_window": dict(outside),
        "server_errors_500_outside_outage": outside.get("HTTP 500", 0),
        "database_down_seconds": round(back - down, 2),
        "recovery_seconds_after_database_back": recovery,
        "acknowledged_writes": dict(acknowledged),
        "acknowledged_total": len(log.acknowledged),
        "lost_writes": [list(x) for x in checks["lost"]],
        "broken_invariants": checks["broken"],
        "visits_in_database": checks["visits_in_database"],
    }


def run(seconds: float, staff: int, results_path: Path | None = None, quiet: bool = False) -> dict:
    say = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    cluster = Cluster(durable=not quiet)
    static_root = Path(tempfile.mkdtemp(prefix="soak-static-"))
    gunicorn: subprocess.Popen | None = None

    def clean_up() -> None:
        nonlocal gunicorn
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            try:
                gunicorn.wait(timeout=10)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        gunicorn = None
        cluster.stop()
        shutil.rmtree(static_root, ignore_errors=True)

    atexit.register(clean_up)
    try:
        say(f"PostgreSQL: a throwaway cluster on 127.0.0.1:{cluster.port} in {cluster.folder}")
        cluster.start()
        env = app_environment(cluster, static_root)
        say("migrate, demo data, collectstatic")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--password", PASSWORD)
        manage(env, "collectstatic", "--noinput")
        setup = json.loads(manage(env, "shell", "-c", SETUP % {"count": staff * CLIENTS_PER_STAFF}).splitlines()[-1])
        port = spare_port()
        (ROOT / "var").mkdir(exist_ok=True)
        server_log = (ROOT / "var" / "soak-gunicorn.log").open("w")
        workers = os.environ.get("SOAK_WORKERS", "4")
        say(f"gunicorn: {workers} workers on 127.0.0.1:{port}, DEBUG off, persistent connections with health checks")
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "bergen_injection.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", workers, "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=server_log,
        )
        wait_until_up(port, gunicorn)
        log = Log()
        started = time.monotonic()
        deadline = started + seconds
        say(f"load: {staff} staff for {seconds:.0f} s; PostgreSQL restarts at {seconds / 2:.0f} s")
        shifts = [Shift(n, port, log, cluster.url, setup, deadline) for n in range(staff)]
        for shift in shifts:
            shift.start()
        time.sleep(seconds / 2)
        restart = {"began": time.monotonic()}
        cluster.restart()
        restart["back"] = time.monotonic()
        say(f"PostgreSQL restarted in {restart['back'] - restart['began']:.2f} s")
        for shift in shifts:
            shift.join(timeout=seconds + 60)
        ended = time.monotonic()
        if gunicorn.poll() is not None:
            raise RuntimeError("gunicorn died during the run")
        checks = consistency(cluster.url, log.acknowledged)
        summary = summarise(log, restart, started, ended, checks)
        summary["staff"] = staff
        summary["gunicorn_workers"] = int(workers)
        summary["app_restarted"] = False
        summary["server_log"] = str(ROOT / "var" / "soak-gunicorn.log")
        summary["ok"] = (
            not summary["lost_writes"]
            and not summary["broken_invariants"]
            and summary["server_errors_500_outside_outage"] == 0
            and summary["errors_outside_outage_window"] == {}
            and summary["recovery_seconds_after_database_back"] is not None
            and summary["recovery_seconds_after_database_back"] <= RECOVERY_GOAL_SECONDS
        )
        if results_path is not None:
            results_path.write_text(json.dumps(summary, indent=2) + "\n")
        return summary
    finally:
        clean_up()
        atexit.unregister(clean_up)


def table(summary: dict) -> str:
    rows = [
        (
            "duration",
            f"{summary['duration_seconds']} s, {summary['staff']} staff, {summary['gunicorn_workers']} workers",
        ),
        ("requests", f"{summary['requests']} ({summary['requests_per_second']}/s)"),
        ("latency", f"median {summary['latency_ms_median']} ms, 95th percentile {summary['latency_ms_p95']} ms"),
        ("errors by kind", ", ".join(f"{k}: {v}" for k, v in summary["errors_by_kind"].items()) or "none"),
        (
            "  in the outage window",
            ", ".join(f"{k}: {v}" for k, v in summary["errors_in_outage_window"].items()) or "none",
        ),
        ("  outside it", ", ".join(f"{k}: {v}" for k, v in summary["errors_outside_outage_window"].items()) or "none"),
        ("database down", f"{summary['database_down_seconds']} s (pg_ctl restart -m fast)"),
        ("recovered after the database was back", f"{summary['recovery_seconds_after_database_back']} s"),
        (
            "acknowledged writes",
            f"{summary['acknowledged_total']} "
            + "("
            + ", ".join(f"{k} {v}" for k, v in summary["acknowledged_writes"].items())
            + ")",
        ),
        ("lost writes", str(len(summary["lost_writes"]))),
        ("broken invariants", ", ".join(f"{k}: {v}" for k, v in summary["broken_invariants"].items()) or "none"),
        ("visits in the database", str(summary["visits_in_database"])),
        ("result", "OK" if summary["ok"] else "FAILED"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main() -> int:
    reason = can_run()
    if reason:
        print(f"soak: cannot run here: {reason}", file=sys.stderr)
        return 2
    seconds = float(os.environ.get("SOAK_SECONDS", "60"))
    staff = int(os.environ.get("SOAK_STAFF", "20"))
    results = Path(os.environ.get("SOAK_RESULTS", ROOT / "soak-results.json"))
    summary = run(seconds, staff, results)
    print()
    print(table(summary))
    print(f"\nwritten to {results}")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())

"""Every view of a client's record writes an access entry: an invariant over every page, record and role.

Three clients (one in observation with an emergency under way, one banned, one in a booth) get every
kind of record that names a client (found by walking the models, not listed by hand), and every
free-text field of every such record holds its own marker. Then every URL pattern is
opened, with each of its path parameters filled with the id of each seeded record of the right kind,
with and without the query parameters the pages read (with them on PostgreSQL only: the SQLite pass
opens each address plainly), by GET and by an (empty or refused) POST, as every role, a superuser and a
wall display. Whenever a response shows a planted marker, an access entry
for that user and the marker's client must have been written by that very request (each request runs in
a savepoint that is rolled back, so the log is empty before it). A board that shows a code and a place
holds no marker, so it passes; a wall display may show no marker at all, as it has no user to log.

Not only free text tells about a client: each client's referral goes to a service of its own whose name is
a marker of another pattern (a structured detail, chosen from a list: a referral to LAR or detox is health
data). A page that shows such a name near its client's code (in a row, a record's header) shows it for
that client and must log the view too; a name away from any code (a report's count per service, the
admin's list) tells of nobody.

The records are planted by tests.support.scenes.records; the pages' addresses come from
tests.support.urls.urls_to_open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import Client as HttpClient

from audit.models import AccessLogEntry
from counseling.models import CounselingSession, Referral
from duty.models import Handover
from health.models import Emergency
from staff.displays import DISPLAY_COOKIE
from staff.models import Display, User
from staff.roles import Role
from staff.services.displays import display_create
from tests.support.factories import heroin
from tests.support.scenes.records import Seed, client_linked_models, free_text_fields, plant_records
from tests.support.time import NOON
from tests.support.urls import urls_to_open
from visits.models import Client, Incident, Visit

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Ending the session shows no record, and would log the viewer out for the requests after it.
NOT_POSTED = {"staff:logout", "staff:switch-user", "admin:logout"}

# A structured detail is shown for a client when their code is this near (characters of HTML): a table
# row, a record's header; a report's count per service beside an unrelated list of codes is not.
NEAR = 600

VIEWERS = [role.value for role in Role] + ["norole", "superuser", "display"]


@pytest.fixture
def seed(cast, facility) -> Seed:
    """Clients with every kind of record: one in observation with an emergency under way, one banned,
    one in a booth."""
    return plant_records(cast)


@pytest.fixture
def viewers(cast, seed) -> dict[str, HttpClient]:
    """A logged-in test client per role, a superuser's, and a registered wall display's."""
    cast["superuser"] = User.objects.create_superuser(username="superuser", password="unused-here-9")
    out = {}
    for name in VIEWERS:
        http = HttpClient(raise_request_exception=False)
        if name == "display":
            token = display_create(display=Display(name="Staff room"), by=cast["admin"])
            http.cookies[DISPLAY_COOKIE] = token
            http.display_token = token
        else:
            http.force_login(cast[name])
        out[name] = http
    return out


@pytest.fixture
def clock(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def _query(seed: Seed, person: Client) -> str:
    """Every query parameter a page reads, naming ``person`` or the day of the seed."""
    day = NOON.date()
    return urlencode(
        {
            "client": person.pk,
            "code": person.code,
            "q": person.code,
            "month": f"{day:%Y-%m}",
            "date": day.isoformat(),
            "week": (day - dt.timedelta(days=day.weekday())).isoformat(),
            "date_from": (day - dt.timedelta(days=7)).isoformat(),
            "date_to": day.isoformat(),
            "start": (day - dt.timedelta(days=7)).isoformat(),
            "end": day.isoformat(),
            "incident": seed.rows[Incident][0].pk,
            "place": Emergency.Place.OBSERVATION,
        }
    )


# The refused POSTs that draw a client's record again, beside the empty POST every URL gets.
def _refused_posts(name: str) -> list[dict]:
    if name == "visits:client-check-in":
        return [{"substance": heroin().pk, "intoxication": "none", "dose": "0.1 g"}]
    if name == "visits:client-refuse":
        return [{"reason": "no-such-reason"}]
    return []


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


def test_it_seeds_every_kind_of_client_record_with_a_marker_in_every_free_text_field(seed):
    linked = client_linked_models()
    unseeded = sorted(m._meta.label for m in linked if not seed.rows.get(m))
    planted = {where for _client, where in seed.markers.values()}
    unmarked = sorted(
        f"{m._meta.label}.{f.name}"
        for m in linked
        for f in free_text_fields(m)
        if f"{m._meta.label}.{f.name}" not in planted
    )

    assert not unseeded, f"Client-linked models without a seeded row (add them to the seed): {unseeded}"
    assert not unmarked, f"Free-text fields without a marker (add them to the seed): {unmarked}"
    assert {Visit, Emergency, CounselingSession, Referral, Incident, Handover} <= linked


def test_it_has_a_record_for_every_path_parameter(seed):
    _urls, undecided = urls_to_open(seed.rows, "token")

    assert not undecided, f"Path parameters with no seeded record to fill them (add to RECORD_BY_SEGMENT): {undecided}"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_that_shows_a_clients_record_logs_the_view(seed, viewers, cast, clock, viewer):
    if POSTGRES:
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    urls, _undecided = urls_to_open(seed.rows, viewers["display"].display_token)
    # The query parameters a page reads, naming each of two clients: on PostgreSQL. Logging a view does not
    # depend on the database, and the SQLite pass opens every address without them (half the requests).
    queries = [_query(seed, person) for person in seed.rows[Client][:2]] if POSTGRES else []
    offenders: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    requests = answered = showing = 0
    failed: list[str] = []

    def check(method: str, path: str, data: dict | None = None) -> int:
        nonlocal requests, answered, showing
        http = viewers[viewer]
        with transaction.atomic():
            response = http.get(path) if method == "GET" else http.post(path, data or {})
            body = _body(response)
            logged = set(AccessLogEntry.objects.values_list("user_id", "client_id"))
            transaction.set_rollback(True)
        requests += 1
        answered += response.status_code == 200
        if response.status_code >= 500:
            failed.append(f"{method} {path}")
        user = cast.get(viewer)
        # The rest of the crawl would be an anonymous visitor's, and would prove nothing.
        assert user is None or http.session.get("_auth_user_id") == str(user.pk), f"{method} {path} logged out"
        markers = {seed.markers[m] for m in re.findall(r"Qz\d{4}x", body, flags=re.I)}
        for found in re.finditer(r"Qd\d{4}x", body, flags=re.I):
            person, where = seed.details[found.group()]
            if person.code in body[found.start() - NEAR : found.end() + NEAR]:
                markers.add((person, where))
        showing += bool(markers)
        for person, where in markers:
            if user is None or (user.pk, person.pk) not in logged:
                offenders[(f"{method} {path}", viewer, person.code)].add(where)
        return response.status_code

    for name, path in urls:
        if check("GET", path) == 200:
            for query in queries:
                check("GET", f"{path}?{query}")
        if name not in NOT_POSTED:
            check("POST", path)
            for data in _refused_posts(name):
                check("POST", path, data)

    print(f"\n{len(urls)} URLs as {viewer}: {requests} requests, {answered} pages, {showing} showing a record")
    if failed:  # answered 500: not crawled; the hostile-input tests are the place for the error itself
        print(f"{len(failed)} answered 500: {failed}")
    # The crawl reaches the pages: staff see records somewhere, a display sees its board.
    assert answered > 0
    assert showing > 0 or viewer in ("admin", "norole", "display")
    report = "\n".join(
        f"  {request} as {viewer}: {code} ({', '.join(sorted(where))})"
        for (request, viewer, code), where in sorted(offenders.items())
    )
    assert not offenders, f"Pages that show a client's record without logging the view:\n{report}"

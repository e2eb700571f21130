"""Every view of a client's record writes an access entry: an invariant over every page, record and role.

Three clients (one in observation with an emergency under way, one banned, one in a booth) get every
kind of record that names a client (found by walking the models, not listed by hand), and every
free-text field of every such record holds its own marker. Then every URL pattern is
opened, with each of its path parameters filled with the id of each seeded record of the right kind,
with and without the query parameters the pages read, by GET and by an (empty or refused) POST, as
every role, a superuser and a wall display. Whenever a response shows a planted marker, an access entry
for that user and the marker's client must have been written by that very request (each request runs in
a savepoint that is rolled back, so the log is empty before it). A board that shows a code and a place
holds no marker, so it passes; a wall display may show no marker at all, as it has no user to log.

Not only free text tells about a client: each client's referral goes to a service of its own whose name is
a marker of another pattern (a structured detail, chosen from a list: a referral to LAR or detox is health
data). A page that shows such a name near its client's code (in a row, a record's header) shows it for
that client and must log the view too; a name away from any code (a report's count per service, the
admin's list) tells of nobody.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.test import Client as HttpClient
from django.urls import resolve, reverse

from audit.models import AccessLogEntry
from counseling.models import (
    CounselingSession,
    Intake,
    Referral,
    ReferralFollowUpChange,
    ReferralService,
    ReferralStatusChange,
)
from duty.models import Handover, HandoverAcknowledgement, Shift
from health.models import Emergency, EmergencyResponder, HealthService, Intervention, VitalSigns
from staff.displays import DISPLAY_COOKIE
from staff.models import Display, User
from staff.roles import Role
from staff.services.displays import display_create
from tests.support.factories import heroin
from tests.support.time import NOON
from tests.support.urls import PAGES
from visits.models import (
    Ban,
    Booth,
    BoothSession,
    Client,
    Contact,
    EquipmentItem,
    HandOut,
    Incident,
    Observation,
    ObservationCheck,
    Refusal,
    Route,
    Visit,
    VisitEvent,
)

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

# Text fields that are codes, not free text: the client's code is what a board may show.
NOT_FREE_TEXT = {"visits.Client.code", "visits.Visit.overridden_rules"}

# The model a path parameter names, by the path segment before it ("clients/<int:pk>/" is a client).
RECORD_BY_SEGMENT: dict[str, type[models.Model]] = {
    "clients": Client,
    "intake": Client,
    "bans": Ban,
    "visits": Visit,
    "booth-sessions": BoothSession,
    "observations": Observation,
    "referrals": Referral,
    "emergencies": Emergency,
    "interventions": Intervention,
    "vitals": VitalSigns,
    "shifts": Shift,
    "handovers": Handover,
    "incidents": Incident,
}
# Other path parameters: the values each page acts on.
# A stocktake's result shows counts of equipment, no client: any stocktake will do, one that is not there too.
VALUES_BY_PARAMETER = {
    "what": ["ambulance_arrived", "police"],
    "stocktake_id": ["00000000-0000-4000-8000-000000000000"],
}

# Ending the session shows no record, and would log the viewer out for the requests after it.
NOT_POSTED = {"staff:logout", "staff:switch-user", "admin:logout"}

# A structured detail is shown for a client when their code is this near (characters of HTML): a table
# row, a record's header; a report's count per service beside an unrelated list of codes is not.
NEAR = 600

VIEWERS = [role.value for role in Role] + ["norole", "superuser", "display"]


def _is_history_copy(model: type[models.Model]) -> bool:
    return model._meta.model_name.startswith("historical") or model._meta.auto_created


def client_linked_models() -> set[type[models.Model]]:
    """Every model whose rows name a client: by a key to the client, or to a record that does."""
    linked: set[type[models.Model]] = {Client}
    candidates = [m for m in apps.get_models() if not _is_history_copy(m) and m is not AccessLogEntry]
    grew = True
    while grew:
        grew = False
        for model in candidates:
            if model in linked:
                continue
            relations = [f for f in model._meta.get_fields() if f.is_relation and not f.auto_created]
            if any(f.related_model in linked for f in relations if f.many_to_one or f.one_to_one or f.many_to_many):
                linked.add(model)
                grew = True
    return linked


def free_text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.EmailField)
        and f"{model._meta.label}.{f.name}" not in NOT_FREE_TEXT
    ]


@dataclass
class Seed:
    """What was planted: each marker's client and field, and the rows made of each model."""

    markers: dict[str, tuple[Client, str]] = field(default_factory=dict)
    # Structured details (a list entry's name) and their client: they count next to the client's code.
    details: dict[str, tuple[Client, str]] = field(default_factory=dict)
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=lambda: defaultdict(list))
    counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    def make(self, model: type[models.Model], owner: Client, **values):
        """A row of ``model`` with a fresh marker in every free-text field not given."""
        for f in free_text_fields(model):
            if f.name not in values:
                marker = f"Qz{next(self.counter):04d}x"
                self.markers[marker] = (owner, f"{model._meta.label}.{f.name}")
                values[f.name] = marker
        row = model.objects.create(**values)
        self.rows[model].append(row)
        return row

    def detail(self, owner: Client, where: str) -> str:
        marker = f"Qd{next(self.counter):04d}x"
        self.details[marker] = (owner, where)
        return marker

    def client(self, code: str, by: User) -> Client:
        person = Client.objects.create(
            code=code,
            birth_year=int(code[-5:-1]),
            gender=code[-1],
            registered_at=NOON - dt.timedelta(days=60),
            registered_by=by,
            status=Client.Status.ACTIVE,
        )
        self.rows[Client].append(person)
        return person


def _visit_with_rooms(seed: Seed, person: Client, cast, *, at: dt.datetime, booth: Booth, where: str) -> Visit:
    """A visit through a booth to observation: still in the booth or in observation, or gone."""
    health = cast["health"]
    gone = where == Visit.Location.GONE
    ended = at + dt.timedelta(hours=1) if gone else None
    visit = seed.make(
        Visit,
        person,
        client=person,
        checked_in_at=at,
        checked_in_by=cast["reception"],
        location=where,
        location_since=at + dt.timedelta(minutes=25),
        ended_at=ended,
        ended_by=health if gone else None,
        duration_seconds=3600 if gone else None,
        substance=heroin(),
        override_by=cast["duty"],
    )
    seed.make(
        VisitEvent,
        person,
        visit=visit,
        kind=VisitEvent.Kind.CHECKED_IN,
        at=at,
        by=cast["reception"],
        location=Visit.Location.QUEUE,
    )
    in_booth = where == Visit.Location.BOOTH
    session = seed.make(
        BoothSession,
        person,
        visit=visit,
        booth=booth,
        route=Route.objects.get(name_en="Injection"),
        substance=heroin(),
        started_at=at + dt.timedelta(minutes=5),
        started_by=health,
        time_limit_minutes=30,
        ended_at=None if in_booth else at + dt.timedelta(minutes=25),
        ended_by=None if in_booth else health,
        outcome="" if in_booth else BoothSession.Outcome.OBSERVATION,
        duration_seconds=None if in_booth else 1200,
    )
    seed.make(HandOut, person, visit=visit, item=EquipmentItem.objects.first(), quantity=2, at=at, by=health)
    if in_booth:
        seed.make(
            ObservationCheck,
            person,
            visit=visit,
            booth_session=session,
            at=at + dt.timedelta(minutes=10),
            by=health,
            state=ObservationCheck.State.ALERT,
        )
        return visit
    observation = seed.make(
        Observation,
        person,
        visit=visit,
        booth_session=session,
        started_at=at + dt.timedelta(minutes=25),
        started_by=health,
        min_minutes=15,
        ended_at=ended,
        released_by=health if gone else None,
        released_to=Visit.Location.GONE if gone else "",
        duration_seconds=35 * 60 if gone else None,
    )
    seed.make(
        ObservationCheck,
        person,
        visit=visit,
        observation=observation,
        at=at + dt.timedelta(minutes=30),
        by=health,
        state=ObservationCheck.State.DROWSY,
    )
    return visit


def _emergency(seed: Seed, person: Client, cast, *, visit: Visit, at: dt.datetime, open_: bool) -> Emergency:
    health = cast["health"]
    emergency = seed.make(
        Emergency,
        person,
        client=person,
        visit=visit,
        kind=Emergency.Kind.OPIOID_OVERDOSE,
        place=Emergency.Place.OBSERVATION,
        started_at=at,
        started_by=health,
        ended_at=None if open_ else at + dt.timedelta(minutes=20),
        ended_by=None if open_ else health,
        outcome="" if open_ else Emergency.Outcome.RECOVERED,
        duration_seconds=None if open_ else 20 * 60,
        ambulance_called_at=at + dt.timedelta(minutes=2),
    )
    seed.make(EmergencyResponder, person, emergency=emergency, by=cast["duty"], at=at)
    seed.make(
        Intervention,
        person,
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=at,
        by=health,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal("1.8"),
        withdrawn_reason="",
    )
    seed.make(
        Intervention,
        person,
        emergency=emergency,
        kind=Intervention.Kind.OXYGEN,
        at=at,
        by=health,
        route="",
        withdrawn_at=at + dt.timedelta(minutes=1),
        withdrawn_by=health,
    )
    seed.make(
        VitalSigns,
        person,
        emergency=emergency,
        at=at,
        by=health,
        pulse=58,
        breathing_rate=6,
        consciousness=VitalSigns.Consciousness.PAIN,
        withdrawn_reason="",
    )
    seed.make(
        VitalSigns,
        person,
        emergency=emergency,
        at=at,
        by=health,
        oxygen_saturation=91,
        consciousness="",
        withdrawn_at=at + dt.timedelta(minutes=1),
        withdrawn_by=health,
    )
    return emergency


def _counseling(seed: Seed, person: Client, cast, *, at: dt.datetime, accepted: bool):
    counselor = cast["counselor"]
    # A service of the client's own, its name a structured marker; no longer offered for new referrals.
    name = seed.detail(person, "counseling.Referral.service")
    service = ReferralService.objects.create(name=name, name_en=name, enabled=False)
    seed.make(
        Intake,
        person,
        client=person,
        at=person.registered_at,
        by=counselor,
        is_adult=True,
        long_term_heroin_dependence=True,
        harmful_injection_practice=True,
        consent_given=True,
        house_rules_explained=True,
        harm_reduction_advice_given=True,
        outcome=Intake.Outcome.ACCEPTED if accepted else Intake.Outcome.REFUSED,
        **({"refusal_reason": ""} if accepted else {}),
    )
    seed.make(
        CounselingSession,
        person,
        client=person,
        counselor=counselor,
        started_at=at,
        ended_at=at + dt.timedelta(minutes=45),
        duration_seconds=45 * 60,
        recorded_at=at + dt.timedelta(hours=1),
    )
    referral = seed.make(
        Referral,
        person,
        client=person,
        service=service,
        created_at=at,
        created_by=counselor,
        status=Referral.Status.SENT,
        status_changed_at=at,
        follow_up_on=NOON.date(),
    )
    seed.make(
        ReferralStatusChange,
        person,
        referral=referral,
        from_status=Referral.Status.PROPOSED,
        to_status=Referral.Status.SENT,
        at=at,
        by=counselor,
    )
    seed.make(ReferralFollowUpChange, person, referral=referral, to_date=NOON.date(), at=at, by=counselor)


@pytest.fixture
def seed(cast, facility) -> Seed:
    """Clients with every kind of record: one in observation with an emergency under way, one banned,
    one in a booth."""
    seed = Seed()
    reception, health, duty = cast["reception"], cast["health"], cast["duty"]
    inside, banned = seed.client("MAKO1990K", reception), seed.client("BEKA1985M", reception)
    booths = list(Booth.objects.order_by("position"))
    earlier = NOON - dt.timedelta(hours=2)
    yesterday = NOON - dt.timedelta(days=1)

    in_booth = seed.client("BOTA1992K", reception)
    visit = _visit_with_rooms(seed, inside, cast, at=earlier, booth=booths[0], where=Visit.Location.OBSERVATION)
    old_visit = _visit_with_rooms(seed, banned, cast, at=yesterday, booth=booths[1], where=Visit.Location.GONE)
    _visit_with_rooms(
        seed, in_booth, cast, at=NOON - dt.timedelta(minutes=10), booth=booths[2], where=Visit.Location.BOOTH
    )
    _emergency(seed, inside, cast, visit=visit, at=earlier + dt.timedelta(minutes=40), open_=True)
    _emergency(seed, banned, cast, visit=old_visit, at=yesterday + dt.timedelta(minutes=30), open_=False)
    for person, accepted in ((inside, True), (banned, False)):
        _counseling(seed, person, cast, at=earlier - dt.timedelta(hours=1), accepted=accepted)
        seed.make(
            HealthService,
            person,
            client=person,
            kind=HealthService.Kind.WOUND_CARE,
            at=earlier,
            by=health,
            severity=HealthService.Severity.MODERATE,
            condition="",
        )
        seed.make(Refusal, person, client=person, at=yesterday, by=reception, reason=Refusal.Reason.TOO_INTOXICATED)
        seed.make(Contact, person, client=person, gender="", at=earlier, by=reception, equipment=True)
    seed.make(
        Ban,
        inside,
        client=inside,
        starts_at=NOON - dt.timedelta(days=30),
        ends_at=NOON - dt.timedelta(days=23),
        created_at=NOON - dt.timedelta(days=30),
        created_by=duty,
        lifted_at=NOON - dt.timedelta(days=25),
        lifted_by=duty,
    )
    incident = seed.make(
        Incident,
        banned,
        kind=Incident.Kind.THREATS,
        occurred_at=earlier,
        area=Incident.Area.OUTSIDE,
        room=None,
        recorded_at=earlier,
        recorded_by=duty,
    )
    incident.clients.set([banned])
    seed.make(
        Ban,
        banned,
        client=banned,
        starts_at=yesterday,
        ends_at=NOON + dt.timedelta(days=6),
        created_at=yesterday,
        created_by=duty,
        lift_reason="",
        incident=incident,
    )
    # The shift names no client: a plain row, no markers.
    shift = Shift.objects.create(
        starts_at=yesterday,
        ends_at=yesterday + dt.timedelta(hours=8),
        created_at=yesterday,
        created_by=cast["coordinator"],
    )
    seed.rows[Shift].append(shift)
    handover = seed.make(
        Handover,
        banned,
        shift=shift,
        written_at=earlier,
        written_by=duty,
        open_visits=[{"code": inside.code, "location": Visit.Location.OBSERVATION}],
    )
    handover.clients_of_concern.set([banned])
    handover.incidents.set([incident])
    seed.make(HandoverAcknowledgement, banned, handover=handover, user=cast["coordinator"], acknowledged_at=NOON)
    return seed


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


def _admin_model(route: str) -> type[models.Model] | None:
    match = re.match(r"admin/(\w+)/(\w+)/<path:object_id>", route)
    return apps.get_model(match.group(1), match.group(2)) if match else None


def _segment_before(route: str, parameter: str) -> str:
    match = re.search(rf"([\w-]+)/<(?:\w+:)?{parameter}>", route)
    return match.group(1) if match else ""


def urls_to_open(seed: Seed, display_token: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(URL name, path) for every pattern, a path per seeded record for each id, and the undecided."""
    out: list[tuple[str, str]] = []
    undecided = []
    for page in PAGES:
        match = resolve(page.url)
        if match.func is not page.callback:
            continue  # answered by another pattern (tests/staff/test_permission_matrix.py: SHADOWED)
        if not match.kwargs:
            out.append((page.name, page.url))
            continue
        choices: dict[str, list] = {}
        for parameter in match.kwargs:
            if parameter in VALUES_BY_PARAMETER:
                choices[parameter] = VALUES_BY_PARAMETER[parameter]
            elif parameter == "token":
                choices[parameter] = [display_token]
            elif parameter == "object_id" and (model := _admin_model(match.route)) is not None:
                # The admin holds no client-linked model: its first row, as the test database numbers it.
                first = model.objects.order_by("pk").first()
                choices[parameter] = [str(first.pk) if first else match.kwargs[parameter]]
            elif match.route.startswith("admin/") or parameter in ("month", "day"):
                # The sample: the admin's other addresses; the month and the day are the seed's (10 March 2026).
                choices[parameter] = [match.kwargs[parameter]]
            elif (model := RECORD_BY_SEGMENT.get(_segment_before(match.route, parameter))) is not None:
                choices[parameter] = [row.pk for row in seed.rows[model]]
            else:
                undecided.append(f"{page.name} {match.route} <{parameter}>")
        if len(choices) < len(match.kwargs):
            continue
        for values in itertools.product(*choices.values()):
            kwargs = dict(zip(choices, values, strict=True))
            if match.route.startswith("admin/") and not page.name:
                path = page.url  # unnamed: the admin's catch-all
            else:
                path = reverse(page.name, kwargs=kwargs)
            out.append((page.name, path))
    return out, undecided


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
    _urls, undecided = urls_to_open(seed, "token")

    assert not undecided, f"Path parameters with no seeded record to fill them (add to RECORD_BY_SEGMENT): {undecided}"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_that_shows_a_clients_record_logs_the_view(seed, viewers, cast, clock, viewer):
    if POSTGRES:
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    urls, _undecided = urls_to_open(seed, viewers["display"].display_token)
    queries = [_query(seed, person) for person in seed.rows[Client][:2]]
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

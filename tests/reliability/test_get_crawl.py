"""Every address answered for GET with hostile path and query values, as every role: never a 500.

The addresses are found by walking the URLconf (the admin's too), so a page added later is crawled
without being listed here. Each path converter is filled with values it was not written for: ids at
and past what the database holds, long and odd strings, months and dates at the ends of the calendar.
The query parameters are the ones the views read (found in their source and in the forms they bind to
``request.GET``) plus a fixed list of likely names, each given calendar extremes, huge and negative
numbers, long and odd strings, nothing, or several values at once.

Each request is made as each role of staff/roles.py, as a member of staff without a role, as a
superuser and anonymously. The answer must be below 500, and a 400, 404 or 405 must say something.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
import time_machine
from django import forms
from django.conf import settings as django_settings
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from counseling.models import ReferralService, Topic
from counseling.services.referrals import referral_create
from counseling.services.sessions import counseling_session_record
from duty.services.handover import handover_write
from duty.services.roster import shift_create
from health import services as health_services
from staff.models import User
from staff.roles import Role
from tests.support.cast import make_user
from tests.support.pages import text_of
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Booth, Substance
from visits.services.incidents import incident_record

# Addresses that end the session: crawling them would log the crawler out halfway.
SESSION_ENDING = {"staff:logout", "staff:switch-user", "admin:logout"}

INTS = ["0", "1", "-1", str(2**31), str(2**63), str(10**30)]
STRINGS = [
    "x" * 3000,
    "æøå-ÆØÅ",
    "💉🔥",
    "\u202eevil",
    "..",
    "%00",
    "%2e%2e%2f",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9999-12",
    "0001-01",
    "0000-00",
    "2026-13",
    "9999-12-31",
    "0001-01-01",
    "answered",
    "",
]
MONTHS = ["9999-12", "0001-01", "0000-00", "2026-13", "2026-00", "1999-12", "2101-01", "2000-01", "2100-12"]
# What a query parameter is given: calendar extremes, impossible dates, numbers past any column's range,
# long and odd text, nothing at all.
VALUES = [
    "0001-01-01",
    "9999-12-31",
    "9999-12",
    "0001-01",
    "0000-00",
    "0000-00-00",
    "2026-13",
    "2026-02-30",
    "10000-01-01",
    "-0001-01-01",
    "1899-12-31",
    "2101-01-01",
    "9999-W52",
    "9999-12-31T23:59:59",
    "0001-01-01T00:00",
    "31.12.9999",
    "01.01.0001",
    "0",
    "-1",
    str(2**31),
    str(2**63),
    str(10**30),
    "-" + str(10**30),
    "1e309",
    "NaN",
    "x" * 10_000,
    "ÆØÅ" * 1000,
    "💉" * 50,
    "\u202e\u200b",
    "\x00",
    "",
    " ",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "//evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "external",
    "internal",
    "custom",
    "week",
    "1",
    "on",
]
# The values each page is swept with, one at a time in all its parameters: one of each kind above.
SWEEP = [
    value
    for value in VALUES
    if value
    not in {"9999-W52", "0001-01-01T00:00", "01.01.0001", "-0001-01-01", "1e309", "\u202e\u200b", "//evil.example"}
    and value not in {"' OR 1=1 --", "https://evil.example/", "javascript:alert(1)", "week", "1", "on", str(2**31)}
    and value not in {"9999-12-31T23:59:59", "ÆØÅ" * 1000, " ", "../../etc/passwd", "<script>alert(1)</script>"}
]
# Names a view may read that the source scan below does not see (the admin's, and likely ones).
LIKELY_PARAMETERS = [
    "date",
    "week",
    "month",
    "year",
    "day",
    "date_from",
    "date_to",
    "start",
    "end",
    "period",
    "page",
    "q",
    "code",
    "go",
    "client",
    "room",
    "kind",
    "status",
    "sort",
    "version",
    "next",
    "place",
    "incident",
    "user",
    "v",
    "o",
    "p",
    "e",
    "all",
    "date__year",
    "date__month",
    "date__day",
    "_changelist_filters",
    "_popup",
    "_to_field",
]
# Read by many pages: where to go back to, a page of a list, a board's version token.
COMMON_PARAMETERS = {"next", "page", "v"}
APPS = ("audit", "oversight", "counseling", "health", "reports", "staff", "stations", "visits", "bergen_injection")


def _read_in(path) -> set[str]:
    """The GET parameters a module reads: ``request.GET.get("name")`` and the forms bound to ``request.GET``."""
    source = path.read_text(encoding="utf-8")
    names = set(re.findall(r"GET\.get\(\s*[\"'](\w+)[\"']", source))
    bound = re.findall(r"(\w+Form)\(request\.GET", source)
    if bound:
        module = importlib.import_module(".".join(path.relative_to(django_settings.BASE_DIR).with_suffix("").parts))
        for form_name in bound:
            form = getattr(module, form_name)
            assert inspect.isclass(form) and issubclass(form, forms.BaseForm), form_name
            names.update(form.base_fields)
    return names


def _source_of(module_name: str):
    return django_settings.BASE_DIR.joinpath(*module_name.split(".")).with_suffix(".py")


def _parameters_read() -> list[str]:
    """Every GET parameter any view of the app reads."""
    names: set[str] = set()
    for app in APPS:
        for path in (django_settings.BASE_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts:
                names |= _read_in(path)
    return sorted(names)


PARAMETERS = sorted(set(_parameters_read()) | set(LIKELY_PARAMETERS))


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    template: str  # the address with a "{slot}" for each converter or regex group
    slots: tuple[tuple[str, str], ...]  # (slot, kind) with kind one of int, str, month, choice:<first>
    module: str  # where the view is written

    @property
    def parameters(self) -> list[str]:
        """The GET parameters the view's module reads, and those every page may be sent."""
        source = _source_of(self.module)
        return sorted((_read_in(source) if source.exists() else set()) | COMMON_PARAMETERS)

    @property
    def is_admin(self) -> bool:
        return self.name.startswith("admin:") or self.template.startswith("/admin/")

    def fill(self, values: dict[str, str]) -> str:
        return self.template.format(**{slot: quote(values[slot], safe="") for slot, _kind in self.slots})


_ROUTE_SLOT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_SLOT = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^()]*)\)")


def _route_template(pattern: RoutePattern, slots: list[tuple[str, str]]) -> str:
    def slot(match: re.Match) -> str:
        kind = {"int": "int", "month": "month"}.get(match.group("converter") or "str", "str")
        name = f"s{len(slots)}"
        slots.append((name, kind))
        return "{" + name + "}"

    return _ROUTE_SLOT.sub(slot, str(pattern))


def _regex_template(pattern: RegexPattern, slots: list[tuple[str, str]]) -> str:
    def slot(match: re.Match) -> str:
        body = match.group("body")
        if "|" in body or body.isalnum():
            kind = "choice:" + body.split("|")[0].replace("\\", "")
        else:
            kind = "int" if body in (r"\d+", "[0-9]+") else "str"
        name = f"s{len(slots)}"
        slots.append((name, kind))
        return "{" + name + "}"

    text = str(pattern).lstrip("^").rstrip("$").replace("\\Z", "")
    return _REGEX_SLOT.sub(slot, text).replace("\\", "")


def _walk(patterns, prefix: str = "", namespace: str = "", slots=()) -> Iterator[Route]:
    for entry in patterns:
        own: list[tuple[str, str]] = list(slots)
        if isinstance(entry.pattern, RoutePattern):
            part = _route_template(entry.pattern, own)
        else:
            part = _regex_template(entry.pattern, own)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, prefix + part, inner, tuple(own))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            if name not in SESSION_ENDING:
                module = getattr(entry.callback, "__module__", "")
                yield Route(name=name, template="/" + prefix + part, slots=tuple(own), module=module)


ROUTES = list(_walk(get_resolver().url_patterns))
APP_ROUTES = [route for route in ROUTES if not route.is_admin]
ADMIN_ROUTES = [route for route in ROUTES if route.is_admin]
ROLES = [*(role.value for role in Role), "norole", "superuser", "anonymous"]


def _slot_values(kind: str, *, admin: bool = False) -> list[str]:
    if kind == "int":
        return INTS
    if kind == "month":
        return MONTHS
    if kind.startswith("choice:"):
        return [kind.removeprefix("choice:"), "nosuchapp"]
    if admin:  # Django's own object pages, a sample: a hundred patterns alike
        return [*INTS[::2], *STRINGS[:6]]
    return [*STRINGS, *INTS]


def _sample_path(route: Route, ids: list[int], turn: int = 0) -> str:
    """A path with ordinary values: a real id (the ``turn``-th), a month in range, a word."""
    ordinary = {"int": [str(pk) for pk in ids], "month": ["2024-03"], "str": [*map(str, ids), "answered"]}
    values = {}
    for slot, kind in route.slots:
        options = [kind.removeprefix("choice:")] if kind.startswith("choice:") else ordinary[kind]
        values[slot] = options[turn % len(options)]
    return route.fill(values)


def _hostile_query(turn: int) -> str:
    """Every parameter at once, each with a different hostile value, shifted by ``turn``."""
    pairs = [(name, VALUES[(turn + i) % len(VALUES)]) for i, name in enumerate(PARAMETERS)]
    return urlencode(pairs)


# Checking the answer ---------------------------------------------------------------------------------


def _problem(response, url: str) -> str | None:
    """What is wrong with the answer, or None."""
    if response.status_code >= 500:
        return f"{response.status_code} {url[:300]}"
    if response.status_code in (400, 404, 405) and len(text_of(response.content)) < 10:
        return f"{response.status_code} without a message {url[:300]}"
    return None


@pytest.fixture
def world(cast):
    """Something of each kind for the ids to point at, and the browsers: one per role, logged in."""
    with time_machine.travel(NOON, tick=False):
        waiting = checked_in("WA1980M", cast["reception"])
        session = in_booth("BO1980M", cast["health"], label="2")
        observation = in_observation("OB1980M", cast["health"], label="3")
        emergency, _ = health_services.emergency_open(client=session.visit.client, by=cast["health"])
        referral = referral_create(
            client=waiting.client, service=ReferralService.objects.filter(enabled=True).first(), by=cast["counselor"]
        )
        talk = counseling_session_record(
            client=waiting.client,
            by=cast["counselor"],
            started_at=NOON - dt.timedelta(minutes=40),
            ended_at=NOON - dt.timedelta(minutes=10),
            topics=Topic.objects.filter(enabled=True)[:1],
            notes="Talked about housing",
        )
        shift = shift_create(
            starts_at=NOON - dt.timedelta(hours=4),
            ends_at=NOON + dt.timedelta(hours=4),
            duty_officer=cast["duty"],
            by=cast["coordinator"],
        )
        incident = incident_record(
            kind="threats",
            occurred_at=NOON - dt.timedelta(hours=1),
            area="entrance",
            room=None,
            clients=[waiting.client],
            staff=[],
            other_party="",
            description="Shouted at the door",
            action_taken="Talked him down",
            by=cast["duty"],
        )
        handover = handover_write(by=cast["duty"], client_codes=[waiting.client.code], other_notes="Quiet day")
    superuser = User.objects.create_superuser(username="root", password="x", email="")
    browsers = {}
    for role in ROLES:
        browser = HttpClient(raise_request_exception=False)
        if role == "superuser":
            browser.force_login(superuser)
        elif role != "anonymous":
            browser.force_login(cast[role])
        browsers[role] = browser
    ids = sorted(
        {
            waiting.pk,
            waiting.client_id,
            session.pk,
            observation.pk,
            emergency.pk,
            referral.pk,
            talk.pk,
            shift.pk,
            incident.pk,
            handover.pk,
            Booth.objects.first().pk,
            Substance.objects.first().pk,
        }
    )
    return {"browsers": browsers, "ids": ids, "everyone": make_user("everyone", *Role)}


def _get(browser, url: str, problems: list[str], who: str = "", **headers) -> None:
    problem = _problem(browser.get(url, **headers), url)
    if problem:
        problems.append(f"{who}: {problem}" if who else problem)


# The addresses the report of the fault named ----------------------------------------------------------

NAMED = [
    "/reports/monthly/9999-12/",
    "/reports/monthly/0001-01/",
    "/reports/monthly/0001-01/csv/",
    "/reports/monthly/9999-12/csv/",
    "/reports/monthly/?month=9999-12",
    "/reports/monthly/?month=0001-01",
    "/roster/?week=9999-12-31",
    "/roster/?week=0001-01-01",
    "/roster/shifts/new/?date=9999-12-31",
    "/roster/shifts/new/?date=0001-01-01",
    "/handovers/?date=9999-12-31",
    "/handovers/?date=0001-01-01",
    "/incidents/?date_from=0001-01-01&date_to=9999-12-31",
    "/incidents/?date_from=9999-12-31",
    "/incidents/?date_to=0001-01-01",
    "/dashboard/?period=custom&start=0001-01-01&end=9999-12-31",
    "/access-log/staff/?start=0001-01-01&end=9999-12-31",
    "/access-log/staff/?start=9999-12-31&end=9999-12-31&page=99999999999999999999",
]


def test_it_answers_the_named_addresses_as_every_role(world):
    problems: list[str] = []
    for url in NAMED:
        for role in ROLES:
            _get(world["browsers"][role], url, problems, role)

    assert not problems, "\n".join(problems)


# Every address as every role -----------------------------------------------------------------------


def test_it_answers_every_address_as_every_role(world):
    """Each address with ordinary path values and every parameter hostile, for each role."""
    problems: list[str] = []
    for number, route in enumerate(ROUTES):
        roles = ("admin", "superuser") if route.is_admin else ROLES
        for turn, role in enumerate(roles):
            # Without a query each page and role is tests/staff/test_permission_matrix.py's business.
            path = _sample_path(route, world["ids"], turn)
            _get(world["browsers"][role], f"{path}?{_hostile_query(number + turn)}", problems, role)

    print(f"\n{len(APP_ROUTES)} app patterns x {len(ROLES)} roles, {len(ADMIN_ROUTES)} admin patterns x 2 roles")
    assert not problems, "\n".join(problems)


def test_it_answers_every_hostile_path_value(world):
    """Each converter of each address filled with each hostile value, as staff holding every role."""
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(world["everyone"])
    superuser = world["browsers"]["superuser"]
    problems: list[str] = []
    for route in ROUTES:
        for slot, kind in route.slots:
            for value in _slot_values(kind, admin=route.is_admin):
                values = dict(zip((s for s, _k in route.slots), _sample_path_values(route, world["ids"]), strict=True))
                values[slot] = value
                url = route.fill(values)
                _get(superuser if route.is_admin else browser, url, problems)

    assert not problems, "\n".join(problems)


def _sample_path_values(route: Route, ids: list[int]) -> list[str]:
    return [
        kind.removeprefix("choice:")
        if kind.startswith("choice:")
        else {"int": str(ids[0]), "month": "2024-03"}.get(kind, "answered")
        for _s, kind in route.slots
    ]


def test_it_answers_every_value_in_every_parameter_a_page_reads(world):
    """Each value in every parameter a page's view reads, at once, as staff holding every role."""
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(world["everyone"])
    problems: list[str] = []
    for route in APP_ROUTES:
        if set(route.parameters) <= COMMON_PARAMETERS:
            continue  # those every address is sent in the crawl above and below
        path = _sample_path(route, world["ids"])
        if browser.get(path).status_code == 405:
            continue  # an action, POST only: it reads no query
        for value in SWEEP:
            _get(browser, f"{path}?{urlencode({name: value for name in route.parameters})}", problems)

    assert not problems, "\n".join(problems)


# Hypothesis: any address, any role, any values -------------------------------------------------------

QUERY_VALUES = st.one_of(
    st.sampled_from(VALUES),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda day: day.strftime("%Y-%m")),
)
QUERIES = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=10)), QUERY_VALUES), max_size=6
)


def _path_value(kind: str, ids: list[int]) -> st.SearchStrategy[str]:
    if kind == "int":
        return st.one_of(st.sampled_from([*map(str, ids), *INTS]), st.integers(min_value=0, max_value=10**30).map(str))
    if kind == "month":
        return st.one_of(
            st.sampled_from(MONTHS),
            st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
        )
    if kind.startswith("choice:"):
        return st.just(kind.removeprefix("choice:"))
    return st.one_of(st.sampled_from(STRINGS), st.text(min_size=1, max_size=40))


def test_it_never_answers_500_to_any_get(world):
    ids = world["ids"]

    @hypothesis_settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.data())
    def crawl(data):
        route = data.draw(st.sampled_from(ROUTES))
        role = data.draw(st.sampled_from(("admin", "superuser") if route.is_admin else ROLES))
        values = {slot: data.draw(_path_value(kind, ids)) for slot, kind in route.slots}
        url = route.fill(values)
        query = data.draw(QUERIES)
        if query:
            url += "?" + urlencode(query)
        headers = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans()) else {}
        response = world["browsers"][role].get(url, **headers)
        assert _problem(response, url) is None, (role, _problem(response, url))

    crawl()

"""Hostile and malformed input on every POST endpoint (Hypothesis): never a 500, never a partial write.

Every URL of the app (Django's admin aside) is found by walking the resolver and is sent POSTs built by
Hypothesis: random and oversized strings, control characters, wrong types, missing and extra fields,
unknown, foreign and out-of-range ids in the path and in the fields, values at and past the bounds,
times in the wrong order, the same submission twice. The member of staff holds every role, so each form
is reached. A refusal (4xx, or a board showing an error) must leave every table as it was and show a
message; nothing may answer 500.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counseling.models import ReferralService
from counseling.services.referrals import referral_create
from health import services as health_services
from staff.roles import Role
from tests.support.cast import make_user
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Booth, Client, EquipmentItem, Substance, Visit

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
settings.load_profile("ci")

# Addresses that end the session or belong to Django's admin, which the app does not own.
SKIPPED = ("admin/", "logout/", "switch-user/")


def _walk(patterns, prefix: str = "") -> list[tuple[str, list[str]]]:
    """Every route as (template with {name} placeholders, the names of its parameters)."""
    routes: list[tuple[str, list[str]]] = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if not route.startswith(SKIPPED):
                routes.extend(_walk(pattern.url_patterns, route))
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED) and not route.endswith(SKIPPED):
            names = list(pattern.pattern.converters)
            template = route
            for name, converter in pattern.pattern.converters.items():
                kind = {"IntConverter": "int", "StringConverter": "str", "SlugConverter": "slug"}.get(
                    type(converter).__name__, type(converter).__name__
                )
                template = template.replace(f"<{kind}:{name}>", "{" + name + "}").replace(f"<{name}>", "{" + name + "}")
            routes.append(("/" + template.lstrip("^").rstrip("$"), names))
    return routes


ROUTES = sorted(set((t, tuple(n)) for t, n in _walk(get_resolver().url_patterns)))

# Field names the app's forms use, so that random values reach the validation, and some it never uses.
FIELDS = [
    "q",
    "letters",
    "birth_year",
    "gender",
    "age_proof_seen",
    "confirmed_code",
    "substance",
    "dose",
    "last_use",
    "other_substances",
    "other_substances_note",
    "intoxication",
    "override_reason",
    "reason",
    "note",
    "code",
    "advice",
    "booth",
    "route",
    "kit",
    "started_at",
    "next_location",
    "state",
    "to",
    "panel",
    "client",
    "client_id",
    "service",
    "follow_up_on",
    "to_status",
    "kind",
    "dose_mg",
    "outcome",
    "date",
    "start",
    "end",
    "starts_at",
    "ends_at",
    "begins",
    "ended_at",
    "lift_reason",
    "item",
    "quantity",
    "counted",
    "next",
    "language",
    "week",
    "duty",
    "role",
    "user",
    "other_notes",
    "outcome_note",
    "client_codes",
    "staff",
    "description",
    "topics",
    "accepted",
    "criteria",
    "visit",
    "signs",
    "place",
    "minutes",
    "item_1",
    "qty_1",
    "username",
    "password",
    "id",
    "pk",
    "__proto__",
    "csrfmiddlewaretoken",
]

TEXT = st.one_of(
    st.text(max_size=30),
    st.text(min_size=2_000, max_size=5_000, alphabet=st.characters(codec="utf-8")),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "1",
            "2",
            "999999999",
            "99999999999999999999999",
            "1e309",
            "NaN",
            "-0",
            "1.5",
            "None",
            "null",
            "true",
            "on",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00",
            "\u202e",
            "💉",
            "AB",
            "ABCDEFGHIJ1990M",
            "MAKO1993K",
            "25:61",
            "23:59",
            "00:00",
            "2024-02-30",
            "2024-03-05",
            "1900-01-01",
            "9999-12-31",
            "2024-03-05T12:00",
            "2024-03-05T11:00",
            "12:00",
            "11:00",
            "1899",
            "3000",
            "M",
            "K",
            "A",
            "X",
            "gone",
            "observation",
            "queue",
            "booth",
            "floor",
            "naloxone",
            "hospital",
            "recovered",
            "proposed",
            "sent",
            "attended",
            "unresponsive",
            "alert",
            "heavy",
            "none",
            "https://evil.example/",
            "//evil.example",
            "javascript:alert(1)",
            "/reception/",
        ]
    ),
    st.integers(min_value=-(2**64), max_value=2**64).map(str),
)
VALUES = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=3))
FORMS = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), VALUES, max_size=8)


def _counts() -> dict[str, int]:
    """Every table's row count, in one query."""
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    sql = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*) FROM {connection.ops.quote_name(m._meta.db_table)}" for i, m in enumerate(models)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {models[i]._meta.label: n for i, n in cursor.fetchall()}


# Tables a refused request may still touch: the session (messages live there), the login record, and
# the access log (a refused form is drawn again on the record's page, which is a view of the record).
VOLATILE = {"sessions.Session", "staff.User", "audit.AccessLogEntry"}


def _changed(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k] and k not in VOLATILE}


@pytest.fixture
def world(cast):
    """Something of each kind for the ids to point at, and a member of staff with every role."""
    with time_machine.travel(NOON, tick=False):
        waiting = checked_in("WA1980M", cast["reception"])
        session = in_booth("BO1980M", cast["health"], label="2")
        observation = in_observation("OB1980M", cast["health"], label="3")
        emergency, _ = health_services.emergency_open(client=session.visit.client, by=cast["health"])
        referral = referral_create(
            client=waiting.client, service=ReferralService.objects.filter(enabled=True).first(), by=cast["counselor"]
        )
    everyone = make_user("everyone", *Role)
    ids = sorted(
        {
            waiting.pk,
            waiting.client_id,
            session.pk,
            observation.pk,
            emergency.pk,
            referral.pk,
            Booth.objects.first().pk,
            Substance.objects.first().pk,
            EquipmentItem.objects.first().pk,
            everyone.pk,
        }
    )
    return {"user": everyone, "ids": ids}


def _ids(world) -> st.SearchStrategy[int]:
    # Real ids of other kinds (foreign), unknown ones, zero, and past what the database can hold.
    return st.one_of(st.sampled_from(world["ids"]), st.sampled_from([0, 987654, 2**31, 2**63, 10**25]))


def _is_refusal(response) -> bool:
    if response.status_code == 303:
        return True  # See Other: refused, and sent to the page that says why (followed by ``_shown``)
    html = response.content.decode(errors="replace")
    return 400 <= response.status_code < 500 or (
        'data-testid="board-error"' in html and 'data-testid="board-notice"' not in html
    )


def _shown(http, response):
    """The page that says why: the answer itself, or the page a refusal's redirect leads to."""
    return http.get(response.url) if response.status_code == 303 else response


def _has_message(response) -> bool:
    if response.status_code in (403, 404, 405):
        return True  # Django's own pages: the address or the method is wrong, nothing to act on in a form
    html = response.content.decode(errors="replace").lower()
    return any(marker in html for marker in ("invalid-feedback", "errorlist", "alert", "board-error", 'role="alert"'))


@pytest.mark.parametrize(("template", "names"), ROUTES, ids=[r[0] for r in ROUTES])
def test_it_never_answers_500_nor_half_writes_on_hostile_posts(template, names, world):
    http = HttpClient(raise_request_exception=False)
    http.force_login(world["user"])
    ids = _ids(world)

    @settings(max_examples=5)
    @given(st.data())
    def hostile(draw):
        path = template.format(**{name: draw.draw(ids) for name in names})
        form = draw.draw(FORMS)
        htmx = draw.draw(st.booleans())
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        with time_machine.travel(NOON + dt.timedelta(minutes=draw.draw(st.integers(0, 600))), tick=False):
            before = _counts()
            response = http.post(path, form, **headers)
            assert response.status_code < 500, (path, form, response.status_code)
            if _is_refusal(response):
                assert _changed(before, _counts()) == {}, (path, form)
                assert _has_message(_shown(http, response)), (path, form, response.status_code)
            again = http.post(path, form, **headers)  # the same submission twice
            assert again.status_code < 500, (path, form, again.status_code)

    hostile()


# Forms with bounds, each drawn at, inside and past them ------------------------------------------


def _staff_browser(world) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    http.force_login(world["user"])
    return http


def _submit(http, path: str, form: dict, *, htmx: bool = False):
    """POST once and again; both below 500; a refusal leaves every table as it was and says why."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    before = _counts()
    response = http.post(path, form, **headers)
    assert response.status_code < 500, (path, form, response.status_code)
    if _is_refusal(response):
        assert _changed(before, _counts()) == {}, (path, form)
        assert _has_message(_shown(http, response)), (path, form, response.status_code)
    again = http.post(path, form, **headers)
    assert again.status_code < 500, (path, form, again.status_code)
    return response


def _open_visits_per_client() -> int:
    from django.db.models import Count

    counts = Visit.objects.filter(ended_at__isnull=True).values("client").annotate(n=Count("pk")).values_list("n")
    return max([n for (n,) in counts], default=0)


YEARS = st.sampled_from(["1899", "1900", "1901", "2008", "2024", "2025", "99999", "-1", "", "19x0", "1990.5"])


def test_it_registers_or_refuses_whole_any_registration(world):
    http = _staff_browser(world)
    forms = st.fixed_dictionaries(
        {
            "letters": st.one_of(TEXT, st.sampled_from(["A", "AB", "ABCDEFGH", "ABCDEFGHI", "Å Ø", "ab cd", "12"])),
            "birth_year": YEARS,
            "gender": st.sampled_from(["M", "K", "A", "X", "", "mann"]),
        },
        optional={"age_proof_seen": st.sampled_from(["on", "", "0"]), "confirmed_code": TEXT},
    )

    @given(forms)
    def register(form):
        with time_machine.travel(NOON, tick=False):
            before = Client.objects.count()
            response = _submit(http, "/clients/new/", form)
            after = Client.objects.count()
            assert after - before in (0, 1)
            if after == before:
                assert response.status_code in (200, 400) and _has_message(response), form

    register()


def test_it_checks_in_or_refuses_whole_whatever_the_form_says(world):
    http = _staff_browser(world)
    clients = list(Client.objects.values_list("pk", flat=True)) + [987654]
    forms = st.fixed_dictionaries(
        {
            "substance": st.one_of(st.sampled_from(world["ids"]).map(str), TEXT),
            "intoxication": st.sampled_from(["none", "mild", "heavy", "", "drunk"]),
        },
        optional={
            "last_use": st.sampled_from(["", "11:59", "12:00", "12:01", "23:59", "24:00", "-1:00", "noon"]),
            "dose": TEXT,
            "other_substances": st.lists(st.sampled_from(world["ids"]).map(str), max_size=3),
            "override_reason": TEXT,
        },
    )

    @given(st.sampled_from(clients), forms)
    def check_in(pk, form):
        with time_machine.travel(NOON, tick=False):
            _submit(http, f"/clients/{pk}/check-in/", form)
            assert _open_visits_per_client() <= 1

    check_in()


def test_it_assigns_a_booth_or_refuses_whole_with_any_booth_route_and_start(world):
    http = _staff_browser(world)
    visits = list(Visit.objects.values_list("pk", flat=True)) + [987654, 10**25]
    forms = st.fixed_dictionaries(
        {
            "booth": st.one_of(st.sampled_from(world["ids"]).map(str), st.sampled_from(["", "0", "x", "-3"])),
            "route": st.one_of(st.sampled_from(world["ids"]).map(str), TEXT),
            "substance": st.one_of(st.sampled_from(world["ids"]).map(str), TEXT),
            "panel": st.sampled_from(["injection", "floor", "observation", "nowhere", ""]),
        },
        optional={
            "kit": st.sampled_from(["on", ""]),
            "started_at": st.sampled_from(["11:30", "12:00", "12:30", "25:00", "x"]),
        },
    )

    @given(st.sampled_from(visits), forms, st.booleans())
    def assign(pk, form, htmx):
        with time_machine.travel(NOON, tick=False):
            _submit(http, f"/visits/{pk}/assign-booth/", form, htmx=htmx)
            from visits.models import BoothSession

            open_sessions = BoothSession.objects.filter(ended_at__isnull=True)
            assert open_sessions.values("booth").distinct().count() == open_sessions.count()
            assert open_sessions.values("visit").distinct().count() == open_sessions.count()

    assign()


def test_it_refuses_a_shift_that_ends_before_it_starts_and_plans_nothing(world, cast):
    http = _staff_browser(world)
    times = st.sampled_from(["00:00", "07:59", "08:00", "15:00", "800", "1530", "2359", "24:00", "25:61", "", "x"])
    forms = st.fixed_dictionaries(
        {
            "date": st.sampled_from(["2024-03-06", "2024-02-30", "", "0001-01-01", "9999-12-31", "06.03.2024"]),
            "starts": times,
            "ends": times,
            "duty_officer": st.one_of(st.sampled_from(world["ids"]).map(str), st.just(str(cast["duty"].pk))),
            "note": TEXT,
        }
    )

    @given(forms)
    def plan(form):
        from duty.models import Shift

        with time_machine.travel(NOON, tick=False):
            before = Shift.objects.count()
            _submit(http, "/roster/shifts/new/", form)
            for shift in Shift.objects.all():
                assert shift.ends_at > shift.starts_at, form

            assert Shift.objects.count() - before in (0, 1)

    plan()


def test_it_records_naloxone_doses_only_within_bounds(world):
    http = _staff_browser(world)
    from health.models import Emergency, Intervention

    emergency = Emergency.objects.first()
    doses = st.one_of(
        st.sampled_from(["0", "0.00", "0.01", "20", "20.00", "20.01", "-1", "1e3", "NaN", "Infinity", "0,4", ""]),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
    )

    @given(st.sampled_from(["naloxone", "oxygen", "", "cpr", "x"]), st.sampled_from(["in", "im", "iv", "", "x"]), doses)
    def intervene(kind, route, dose):
        with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
            _submit(
                http,
                f"/health/emergencies/{emergency.pk}/intervention/",
                {"kind": kind, "route": route, "dose_mg": dose},
            )
            for given_dose in Intervention.objects.exclude(dose_mg=None).values_list("dose_mg", flat=True):
                assert 0 < given_dose <= 20

    intervene()


def test_it_books_deliveries_and_counts_only_within_bounds(world):
    http = _staff_browser(world)
    from visits.models import StockBalance, StockMovement

    quantities = st.one_of(
        st.sampled_from(["0", "1", "100000", "100001", "-5", "", "1.5", "9" * 30]), st.integers().map(str)
    )

    @given(st.sampled_from(["/health/stock/delivery/", "/health/stock/count/"]), quantities, TEXT)
    def book(path, quantity, note):
        with time_machine.travel(NOON, tick=False):
            item = EquipmentItem.objects.first().pk
            _submit(http, path, {"item": item, "quantity": quantity, "counted": quantity, "note": note, "reason": note})
            for movement in StockMovement.objects.all():
                assert abs(movement.quantity) <= 100_000
            for balance in StockBalance.objects.all():
                assert -(10**7) < balance.level < 10**7

    book()

"""Hostile input on the main forms and addresses: script tags, SQL fragments, very long strings, other
clients' ids. Each is refused or stored as text and shown escaped: never a 500, never markup reflected,
never a way from one role into another's data."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.utils.html import escape

from counseling.models import CounselingSession
from health.models import Emergency
from tests.support.factories import make_client
from visits.models import Client

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE visits_client; --"
LONG = "A" * 20000
PAYLOADS = [SCRIPT, IMG, SQL, LONG]
RAW_MARKUP = ["<script>alert(1)", "<img src=x onerror"]


class Forms(HTMLParser):
    """The POST forms of a page: action and fields with their current values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "text": set()})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                fields.setdefault(a["name"], a.get("value", "on"))
            elif kind != "submit":
                fields[a["name"]] = a.get("value") or ""
                if kind in ("text", "search", "number", "time", "date", "datetime-local"):
                    self.forms[-1]["text"].add(a["name"])
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and a.get("value"):
            fields.setdefault(self._select, a["value"])
        elif tag == "textarea" and a.get("name"):
            fields[a["name"]] = ""
            self.forms[-1]["text"].add(a["name"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(html: str, action_part: str, page: str = "") -> list[dict]:
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = form["action"] or page  # a form without an action posts to its own page
    return [form for form in parser.forms if action_part in form["action"]]


def assert_safe(response):
    assert response.status_code < 500
    text = response.content.decode(errors="replace")
    for raw in RAW_MARKUP:
        assert raw not in text


@pytest.fixture
def person(cast, facility):
    return make_client("HOST1980M", by=cast["reception"])


@pytest.fixture
def other(cast, facility):
    return make_client("ANDR1985K", by=cast["reception"])


def forms_for(case, person):
    role, page, action = case
    return role, page.format(pk=person.pk), action.format(pk=person.pk)


CASES = [
    ("reception", "/clients/new/", "/clients/new/"),
    ("reception", "/clients/{pk}/", "/check-in/"),
    ("reception", "/clients/{pk}/", "/refuse/"),
    ("reception", "/reception/contact/", "/reception/contact/"),
    ("counselor", "/interview/intake/{pk}/", "/intake/"),
    ("counselor", "/interview/sessions/new/?client={pk}", "/sessions/new/"),
    ("counselor", "/interview/referrals/new/?client={pk}", "/referrals/new/"),
    ("health", "/health/services/new/?client={pk}", "/services/new/"),
    ("duty", "/incidents/new/", "/incidents/new/"),
    ("duty", "/handovers/new/", "/handovers/new/"),
    ("duty", "/clients/{pk}/bans/", "/bans/"),
]


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img", "sql", "long"])
@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}{c[2]}" for c in CASES])
def test_the_form_refuses_or_escapes_it(client_for, person, case, payload):
    role, page, action = forms_for(case, person)
    http = client_for(role)
    html = http.get(page).content.decode()
    forms = post_forms(html, action.split("?")[0], page)
    assert forms, f"no form posting to {action} on {page}"
    form = forms[0]
    data = dict(form["fields"])
    for name in form["text"]:
        data[name] = payload

    response = http.post(form["action"], data, follow=True)

    assert_safe(response)
    assert Client.objects.filter(code__contains="<").count() == 0


def test_the_emergency_record_refuses_or_escapes_it(client_for, cast, person):
    http = client_for("health")
    http.post("/health/emergencies/open/", {"client_id": person.pk})
    emergency = Emergency.objects.get(client=person)
    html = http.get(f"/health/emergencies/{emergency.pk}/").content.decode()
    form = post_forms(html, "/record/")[0]
    data = {**form["fields"], **{name: SCRIPT for name in form["text"]}, "notes": SCRIPT}

    response = http.post(form["action"], data, follow=True)

    assert_safe(response)
    assert_safe(http.get(f"/health/emergencies/{emergency.pk}/"))


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img", "sql", "long"])
@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "coordinator"])
def test_the_reception_search_escapes_it(client_for, person, payload, role):
    response = client_for(role).get("/reception/search/", {"q": payload}, HTTP_HX_REQUEST="true")

    assert_safe(response)
    assert Client.objects.count() == 1


@pytest.mark.parametrize("month", [SCRIPT, SQL, LONG, "2026-13", "-1--1"])
def test_the_timeline_month_escapes_it(client_for, person, month):
    assert_safe(client_for("counselor").get(f"/interview/clients/{person.pk}/timeline/", {"month": month}))


@pytest.mark.parametrize(
    "url",
    [
        "/clients/99999999/",
        "/clients/1%20OR%201=1/",
        "/interview/clients/-1/timeline/",
        "/health/emergencies/1;DROP/",
        "/access-log/clients/99999999/",
        "/clients/%3Cscript%3E/",
    ],
)
def test_an_address_with_a_hostile_id_is_not_found(client_for, url):
    response = client_for("coordinator").get(url)

    assert response.status_code == 404
    assert_safe(response)


def test_a_stored_script_shows_as_text_on_the_timeline(client_for, cast, person):
    http = client_for("counselor")
    html = http.get(f"/interview/sessions/new/?client={person.pk}").content.decode()
    form = post_forms(html, "/sessions/new/", f"/interview/sessions/new/?client={person.pk}")[0]

    saved = http.post(form["action"], {**form["fields"], "notes": SCRIPT, "next_steps": IMG}, follow=True)

    assert_safe(saved)
    session = CounselingSession.objects.get(client=person)
    assert (session.notes, session.next_steps) == (SCRIPT, IMG)  # stored as typed, as text
    timeline = http.get(f"/interview/clients/{person.pk}/timeline/")
    assert_safe(timeline)
    page = timeline.content.decode()
    assert escape(SCRIPT) in page
    assert escape(IMG) in page


# Role boundaries held against ids of other clients in addresses and hidden fields ---------------------


@pytest.mark.parametrize("role", ["reception", "counselor"])
def test_a_role_without_clinical_access_cannot_reach_a_health_record_by_id(client_for, person, other, role):
    for pk in (person.pk, other.pk):
        assert client_for(role).get(f"/health/clients/{pk}/").status_code == 403


@pytest.mark.parametrize("role", ["reception", "health"])
def test_the_counseling_notes_stay_hidden_whatever_the_id(client_for, cast, person, other, role):
    CounselingSession.objects.create(
        client=other,
        counselor=cast["counselor"],
        started_at=other.registered_at,
        ended_at=other.registered_at,
        duration_seconds=0,
        notes="Private words",
        recorded_at=other.registered_at,
    )

    html = client_for(role).get(f"/interview/clients/{other.pk}/timeline/").content.decode()

    assert "Private words" not in html


def test_a_hidden_client_id_cannot_open_an_emergency_for_someone_unknown(client_for, person):
    response = client_for("reception").post(
        "/health/emergencies/open/", {"client_id": "99999999", "next": "/floor/"}, follow=True
    )

    assert_safe(response)
    assert not Emergency.objects.exists()


def test_a_hostile_next_address_is_not_followed_off_site(client_for, person):
    response = client_for("reception").post(
        "/health/emergencies/open/", {"client_id": person.pk, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]

"""Object rules by field class (``staff.fieldclasses``): every page that shows client data, as every
role, shows a field only to the roles that may read its class.

One set of records is seeded with a distinct marker in each classified field (``MARKERS``: the
marker names its class and field). Each test is one role and one field class; it opens every page
and asserts that no marker of the class appears for a role that may not read it, and that the
markers the page is there to show do appear for one that may (so that a page that silently stopped
drawing a field, or a marker that never reached the page, fails too). A failure names the page, the
role, the field class and the markers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps

from counseling.models import CounselingSession, Intake, Referral, ReferralService
from counseling.services import referral_create, referral_follow_up_set, referral_set_status
from duty.models import Handover
from health.models import Emergency, HealthService, Intervention, VitalSigns
from staff.fieldclasses import FIELDS, FieldClass, may_read
from staff.models import Display
from staff.roles import Role
from staff.services.displays import display_create
from tests.support.time import oslo
from visits.models import (
    Booth,
    BoothSession,
    Client,
    Contact,
    Incident,
    Observation,
    ObservationCheck,
    Refusal,
    Route,
    Substance,
    Visit,
)

NOW = oslo(dt.date(2026, 3, 10), 14)
EARLIER = NOW - dt.timedelta(hours=4)

OPERATIONAL, COUNSELING, CLINICAL = FieldClass.OPERATIONAL, FieldClass.COUNSELING, FieldClass.CLINICAL

# One marker per field: the class's prefix, then the field. Plain letters, so escaping and line breaks
# leave them as they are.
MARKERS: dict[FieldClass, dict[str, str]] = {
    OPERATIONAL: {
        "Contact.note": "oprContactNote",
        "Refusal.note": "oprRefusalNote",
        "Visit.end_note": "oprVisitEndNote",
    },
    COUNSELING: {
        "Intake.notes": "cnsIntakeNotes",
        "Intake.refusal_reason": "cnsIntakeRefusalReason",
        "CounselingSession.notes": "cnsSessionNotes",
        "CounselingSession.next_steps": "cnsSessionNextSteps",
        "Referral.note": "cnsReferralNote",
        "ReferralStatusChange.reason": "cnsStatusChangeReason",
        "ReferralFollowUpChange.reason": "cnsFollowUpReason",
    },
    CLINICAL: {
        "Visit.substance": "clnBroughtSubstance",
        "Visit.dose": "clnVisitDose",
        "Visit.other_substances_note": "clnOtherSubstancesNote",
        "BoothSession.substance": "clnBoothSubstance",
        "ObservationCheck.note": "clnCheckNote",
        "Observation.early_release_reason": "clnEarlyRelease",
        "Emergency.notes": "clnEmergencyNotes",
        "Intervention.note": "clnInterventionNote",
        "VitalSigns.note": "clnVitalsNote",
        "HealthService.treatment": "clnServiceTreatment",
        "HealthService.note": "clnServiceNote",
    },
}


@dataclass
class Records:
    """The seeded records the pages are opened for."""

    queued: Client  # inside, in the queue: the whole record lives here
    in_booth: Client
    in_observation: Client
    pending: Client  # refused at intake, waiting for another
    referral: Referral
    emergency: Emergency
    handover: Handover
    incident: Incident


def _client(code: str, by, status=Client.Status.ACTIVE) -> Client:
    return Client.objects.create(
        code=code, birth_year=int(code[-5:-1]), gender=code[-1], status=status, registered_at=EARLIER, registered_by=by
    )


def _substance(name: str) -> Substance:
    return Substance.objects.create(name=name, name_en=name, enabled=True, position=90)


def _open_visit(client: Client, by, substance: Substance, location=Visit.Location.QUEUE, **fields) -> Visit:
    return Visit.objects.create(
        client=client,
        checked_in_at=NOW - dt.timedelta(minutes=40),
        checked_in_by=by,
        location=location,
        location_since=NOW - dt.timedelta(minutes=20),
        substance=substance,
        **fields,
    )


def _seed(cast) -> Records:
    reception, counselor, health, duty = cast["reception"], cast["counselor"], cast["health"], cast["duty"]
    clin, cns, opr = MARKERS[CLINICAL], MARKERS[COUNSELING], MARKERS[OPERATIONAL]
    brought = _substance(clin["Visit.substance"])
    used = _substance(clin["BoothSession.substance"])
    route = Route.objects.get(name_en="Injection")
    booths = list(Booth.objects.order_by("position")[:2])

    queued = _client("FCQU1980M", reception)
    in_booth = _client("FCBO1981K", reception)
    in_observation = _client("FCOB1982M", reception)
    pending = _client("FCPE1983K", reception, status=Client.Status.PENDING)

    # Inside now: in the queue, in a booth, in observation with a check.
    _open_visit(queued, reception, brought, dose=clin["Visit.dose"])
    visit = _open_visit(in_booth, reception, brought, location=Visit.Location.BOOTH)
    BoothSession.objects.create(
        visit=visit,
        booth=booths[0],
        route=route,
        substance=used,
        started_at=NOW - dt.timedelta(minutes=10),
        started_by=health,
        time_limit_minutes=30,
    )
    visit = _open_visit(in_observation, reception, brought, location=Visit.Location.OBSERVATION)
    session = BoothSession.objects.create(
        visit=visit,
        booth=booths[1],
        route=route,
        substance=used,
        started_at=NOW - dt.timedelta(minutes=35),
        started_by=health,
        time_limit_minutes=30,
        ended_at=NOW - dt.timedelta(minutes=20),
        ended_by=health,
        outcome=BoothSession.Outcome.OBSERVATION,
        duration_seconds=15 * 60,
    )
    observation = Observation.objects.create(
        visit=visit, booth_session=session, started_at=NOW - dt.timedelta(minutes=20), started_by=health, min_minutes=15
    )
    ObservationCheck.objects.create(
        visit=visit,
        observation=observation,
        at=NOW - dt.timedelta(minutes=5),
        by=health,
        state=ObservationCheck.State.DROWSY,
        note=clin["ObservationCheck.note"],
    )

    # The queued client's record today: an earlier visit, an emergency, a health service, a refusal, a
    # walk-in contact, the intake, a counseling session and a referral with its history.
    earlier = Visit.objects.create(
        client=queued,
        checked_in_at=EARLIER,
        checked_in_by=reception,
        location=Visit.Location.GONE,
        location_since=EARLIER + dt.timedelta(hours=1),
        ended_at=EARLIER + dt.timedelta(hours=1),
        ended_by=reception,
        duration_seconds=3600,
        substance=brought,
        other_substances_note=clin["Visit.other_substances_note"],
        end_note=opr["Visit.end_note"],
    )
    Observation.objects.create(
        visit=earlier,
        started_at=EARLIER + dt.timedelta(minutes=20),
        started_by=health,
        min_minutes=15,
        ended_at=EARLIER + dt.timedelta(minutes=25),
        released_by=health,
        released_to=Visit.Location.GONE,
        early_release_reason=clin["Observation.early_release_reason"],
        duration_seconds=5 * 60,
    )
    emergency = Emergency.objects.create(
        client=queued,
        visit=earlier,
        kind=Emergency.Kind.OPIOID_OVERDOSE,
        place=Emergency.Place.OBSERVATION,
        started_at=EARLIER + dt.timedelta(minutes=22),
        started_by=health,
        ended_at=EARLIER + dt.timedelta(minutes=40),
        ended_by=health,
        outcome=Emergency.Outcome.RECOVERED,
        duration_seconds=18 * 60,
        notes=clin["Emergency.notes"],
    )
    Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=EARLIER + dt.timedelta(minutes=23),
        by=health,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal("1.8"),
        note=clin["Intervention.note"],
    )
    VitalSigns.objects.create(
        emergency=emergency, at=EARLIER + dt.timedelta(minutes=25), by=health, pulse=80, note=clin["VitalSigns.note"]
    )
    HealthService.objects.create(
        client=queued,
        kind=HealthService.Kind.WOUND_CARE,
        at=EARLIER + dt.timedelta(hours=2),
        by=health,
        site="forearm",
        treatment=clin["HealthService.treatment"],
        note=clin["HealthService.note"],
    )
    Refusal.objects.create(
        client=queued,
        at=EARLIER - dt.timedelta(hours=1),
        by=reception,
        reason=Refusal.Reason.TOO_INTOXICATED,
        substance=brought,
        note=opr["Refusal.note"],
    )
    Contact.objects.create(
        client=queued,
        gender=queued.gender,
        equipment=True,
        at=EARLIER - dt.timedelta(minutes=30),
        by=reception,
        note=opr["Contact.note"],
    )
    intake = {
        "is_adult": True,
        "long_term_heroin_dependence": True,
        "harmful_injection_practice": True,
        "consent_given": True,
        "house_rules_explained": True,
        "harm_reduction_advice_given": True,
    }
    Intake.objects.create(
        client=queued,
        at=EARLIER - dt.timedelta(hours=2),
        by=counselor,
        outcome=Intake.Outcome.ACCEPTED,
        notes=cns["Intake.notes"],
        **intake,
    )
    Intake.objects.create(
        client=pending,
        at=EARLIER,
        by=counselor,
        outcome=Intake.Outcome.REFUSED,
        refusal_reason=cns["Intake.refusal_reason"],
        notes=cns["Intake.notes"],
        **{**intake, "consent_given": False},
    )
    CounselingSession.objects.create(
        client=queued,
        counselor=counselor,
        started_at=EARLIER + dt.timedelta(hours=1),
        ended_at=EARLIER + dt.timedelta(hours=1, minutes=30),
        duration_seconds=30 * 60,
        notes=cns["CounselingSession.notes"],
        next_steps=cns["CounselingSession.next_steps"],
        recorded_at=EARLIER + dt.timedelta(hours=2),
    )
    service = ReferralService.objects.filter(enabled=True).order_by("pk").first()
    with time_machine.travel(EARLIER + dt.timedelta(hours=3), tick=False):
        referral = referral_create(client=queued, service=service, by=counselor, note=cns["Referral.note"])
        referral = referral_set_status(
            referral=referral, to_status=Referral.Status.SENT, by=counselor, reason=cns["ReferralStatusChange.reason"]
        )
        referral = referral_follow_up_set(
            referral=referral,
            follow_up_on=NOW.date() + dt.timedelta(days=3),
            by=duty,
            reason=cns["ReferralFollowUpChange.reason"],
        )
    handover = Handover.objects.create(
        written_at=NOW - dt.timedelta(minutes=30),
        written_by=duty,
        open_visits=[{"code": queued.code, "location": Visit.Location.QUEUE}],
    )
    incident = Incident.objects.create(
        kind=Incident.Kind.THREATS,
        area=Incident.Area.ENTRANCE,
        occurred_at=NOW - dt.timedelta(hours=1),
        description="Shouted at the door",
        action_taken="Talked him down",
        recorded_at=NOW - dt.timedelta(minutes=50),
        recorded_by=duty,
    )
    incident.clients.set([queued])
    return Records(queued, in_booth, in_observation, pending, referral, emergency, handover, incident)


@dataclass(frozen=True)
class Page:
    """A page that shows client data: its address, and the markers it is there to show a reader."""

    name: str
    url: Callable[[Records], str]
    shows: dict[FieldClass, tuple[str, ...]]


def _m(field_class: FieldClass, *fields: str) -> tuple[str, ...]:
    return tuple(MARKERS[field_class][field] for field in fields)


_BOARD_CLINICAL = _m(CLINICAL, "Visit.substance", "BoothSession.substance", "ObservationCheck.note")
_TIMELINE = {
    OPERATIONAL: _m(OPERATIONAL, "Contact.note", "Refusal.note", "Visit.end_note"),
    COUNSELING: _m(
        COUNSELING,
        "Intake.notes",
        "CounselingSession.notes",
        "CounselingSession.next_steps",
        "Referral.note",
        "ReferralStatusChange.reason",
        "ReferralFollowUpChange.reason",
    ),
    CLINICAL: _m(
        CLINICAL,
        "Visit.substance",
        "Visit.dose",
        "Observation.early_release_reason",
        "Emergency.notes",
        "HealthService.treatment",
        "HealthService.note",
    ),
}
_EMERGENCY = _m(CLINICAL, "Emergency.notes", "Intervention.note", "VitalSigns.note")

PAGES = [
    Page("reception", lambda r: "/reception/", {}),
    Page("reception search", lambda r: "/reception/search/?q=FC", {}),
    Page("client card", lambda r: f"/clients/{r.queued.pk}/", {}),
    Page(
        "client card, refused at intake",
        lambda r: f"/clients/{r.pending.pk}/",
        {COUNSELING: _m(COUNSELING, "Intake.refusal_reason")},
    ),
    Page("timeline", lambda r: f"/interview/clients/{r.queued.pk}/timeline/?month=2026-03", _TIMELINE),
    Page(
        "timeline, refused at intake",
        lambda r: f"/interview/clients/{r.pending.pk}/timeline/?month=2026-03",
        {COUNSELING: _m(COUNSELING, "Intake.refusal_reason", "Intake.notes")},
    ),
    Page("referral list", lambda r: "/interview/referrals/", {}),
    Page(
        "referral page",
        lambda r: f"/interview/referrals/{r.referral.pk}/",
        {COUNSELING: _m(COUNSELING, "Referral.note", "ReferralStatusChange.reason", "ReferralFollowUpChange.reason")},
    ),
    Page(
        "interview room",
        lambda r: "/interview/",
        {COUNSELING: _m(COUNSELING, "CounselingSession.notes", "CounselingSession.next_steps")},
    ),
    Page("floor", lambda r: "/floor/", {CLINICAL: _BOARD_CLINICAL}),
    Page("floor board", lambda r: "/floor/board/", {CLINICAL: _BOARD_CLINICAL}),
    Page("injection room", lambda r: "/injection/", {CLINICAL: _m(CLINICAL, "BoothSession.substance")}),
    Page("injection board", lambda r: "/injection/board/", {CLINICAL: _m(CLINICAL, "BoothSession.substance")}),
    Page("observation room", lambda r: "/observation/", {CLINICAL: _m(CLINICAL, "ObservationCheck.note")}),
    Page("observation board", lambda r: "/observation/board/", {CLINICAL: _m(CLINICAL, "ObservationCheck.note")}),
    Page("health room", lambda r: "/health/", {}),
    Page(
        "health history",
        lambda r: f"/health/clients/{r.queued.pk}/",
        {CLINICAL: _m(CLINICAL, "HealthService.treatment", "HealthService.note")},
    ),
    Page("emergency", lambda r: f"/health/emergencies/{r.emergency.pk}/", {CLINICAL: _EMERGENCY}),
    Page(
        "paramedic sheet",
        lambda r: f"/health/emergencies/{r.emergency.pk}/sheet/",
        {CLINICAL: _m(CLINICAL, "Emergency.notes", "Visit.substance")},
    ),
    Page("handover list", lambda r: "/handovers/", {}),
    Page("handover", lambda r: f"/handovers/{r.handover.pk}/", {}),
    Page("new handover", lambda r: "/handovers/new/", {}),
    Page("incident list", lambda r: "/incidents/", {}),
    Page("incident", lambda r: f"/incidents/{r.incident.pk}/", {}),
    Page("day sheet", lambda r: "/reports/day/2026-03-10/", {}),
    Page("today's day sheet", lambda r: "/reports/day/", {}),
    Page("access report", lambda r: f"/access-log/clients/{r.queued.pk}/", {}),
    Page(
        "access-request export",
        lambda r: f"/access-log/clients/{r.queued.pk}/export/",
        {
            OPERATIONAL: _TIMELINE[OPERATIONAL],
            COUNSELING: _TIMELINE[COUNSELING],
            CLINICAL: _m(CLINICAL, "Visit.dose", "Emergency.notes", "HealthService.treatment"),
        },
    ),
]

ROLES = [role.value for role in Role]


@pytest.fixture
def records(cast, facility) -> Records:
    with time_machine.travel(NOW, tick=False):
        return _seed(cast)


@pytest.fixture
def pages_as(client_for, records):
    """Every page as one role, at NOW: {page name: (status, body)}."""

    def get(role: str) -> dict[str, tuple[int, str]]:
        browser = client_for(role)
        seen = {}
        with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
            for page in PAGES:
                response = browser.get(page.url(records))
                seen[page.name] = (response.status_code, response.content.decode())
        return seen

    return get


def _client_data(html: str) -> str:
    """The page without the choices its forms offer: the list of substances (a setting) is not what a
    client brought; an option or a box drawn as chosen is, and stays."""
    html = re.sub(r"<option(?![^>]*\bselected\b)[^>]*>[^<]*</option>", "", html)
    return re.sub(r"<input(?![^>]*\bchecked\b)[^>]*>\s*<label[^>]*>[^<]*</label>", "", html)


@pytest.mark.parametrize("field_class", list(FieldClass), ids=[fc.value for fc in FieldClass])
@pytest.mark.parametrize("role", ROLES)
def test_a_field_is_shown_only_to_the_roles_of_its_class(cast, pages_as, role, field_class):
    reader = may_read(cast[role], field_class)
    markers = MARKERS[field_class].values()
    seen = pages_as(role)
    problems = []
    for page in PAGES:
        status, body = seen[page.name]
        body = _client_data(body)
        if status >= 500:
            problems.append(f"{page.name}: answered {status}")
            continue
        shown = sorted(marker for marker in markers if marker in body)
        if not reader and shown:
            problems.append(f"page {page.name!r}, role {role}, class {field_class.value}: shows {shown}")
        if reader and status == 200:
            missing = sorted(set(page.shows.get(field_class, ())) - set(shown))
            if missing:
                problems.append(f"page {page.name!r}, role {role}, class {field_class.value}: misses {missing}")
    assert not problems, "\n".join(problems)


def test_every_page_is_open_to_a_role_that_reads_what_it_shows(cast, pages_as):
    """The positive half of the test above means something only if each page answers some reader."""
    answered = {page.name: set() for page in PAGES}
    for role in ROLES:
        for name, (status, _body) in pages_as(role).items():
            if status == 200:
                answered[name].add(role)
    for page in PAGES:
        assert answered[page.name], f"{page.name}: no role may open it"
        for field_class in page.shows:
            assert any(may_read(cast[role], field_class) for role in answered[page.name]), (
                f"{page.name}: no role that opens it reads {field_class.value}"
            )


def test_a_wall_display_shows_the_floor_without_counseling_or_clinical_fields(client, cast, records):
    """A display has no user and no role: the operational board only."""
    token = display_create(display=Display(name="Waiting room"), by=cast["admin"])
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        assert client.get(f"/display/{token}/").status_code == 302
        pages = {url: client.get(url) for url in ("/display/", "/display/board/")}
    for url, response in pages.items():
        assert response.status_code == 200, url
        body = _client_data(response.content.decode())
        assert records.queued.code in body, url
        for field_class in (COUNSELING, CLINICAL):
            shown = sorted(marker for marker in MARKERS[field_class].values() if marker in body)
            assert not shown, f"page {url}, wall display, class {field_class.value}: shows {shown}"


@pytest.mark.parametrize("field_class", list(FieldClass), ids=[fc.value for fc in FieldClass])
def test_the_table_names_real_fields(field_class):
    for dotted in FIELDS[field_class]:
        app_label, model, field = dotted.split(".")
        assert apps.get_model(app_label, model)._meta.get_field(field), dotted


def test_the_marked_fields_are_the_classes_fields():
    """Each planted marker sits in a field of the class it is counted for."""
    for field_class, markers in MARKERS.items():
        named = {dotted.split(".", 1)[1] for dotted in FIELDS[field_class]}
        assert set(markers) <= named, (field_class.value, set(markers) - named)

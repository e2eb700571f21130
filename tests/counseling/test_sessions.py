"""Counseling sessions: written up with topics from the editable list; the notes for counselors and coordinators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from counseling.models import CounselingSession, Topic
from counseling.services import counseling_session_record
from tests.support.factories import heroin, make_client, topic
from tests.support.pages import nb, text_of
from tests.support.time import NOON
from visits.models import Visit

HOUR = dt.timedelta(hours=1)


@pytest.fixture
def person(cast, at_noon):
    return make_client(by=cast["reception"])


def record(person, cast, **overrides) -> CounselingSession:
    values = {
        "client": person,
        "by": cast["counselor"],
        "started_at": NOON - HOUR,
        "ended_at": NOON - dt.timedelta(minutes=20),
        "topics": [topic("Housing"), topic("Money and NAV")],
        "notes": "Lost the flat in January; sleeping at a friend's.",
        "next_steps": "Call the housing office together on Thursday.",
    }
    return counseling_session_record(**(values | overrides))


def form_data(person, **overrides) -> dict:
    return {
        "client": person.code,
        "date": "2026-03-10",
        "starts": "11:00",
        "ends": "1140",
        "topics": [topic("Housing").pk],
        "next_steps": "Call the housing office together on Thursday.",
        "notes": "Lost the flat in January.",
    } | overrides


# The list of topics -----------------------------------------------------------------------------------


def test_it_starts_with_the_topics_including_switching_from_injecting_to_smoking(facility):
    names = list(Topic.objects.values_list("name_en", flat=True))

    assert names[:6] == ["Treatment", "Housing", "Money and NAV", "Health", "Family", "Legal matters"]
    assert any("switching from injecting to smoking" in name for name in names)
    assert names[-1] == "Other"


def test_it_lets_the_administrator_edit_the_topics(client_for):
    response = client_for("admin").get("/admin/counseling/topic/")

    assert response.status_code == 200
    assert "Switch" in text_of(response.content)


def test_it_offers_only_topics_in_use(client_for, at_noon):
    Topic.objects.filter(name_en="Legal matters").update(enabled=False)

    text = text_of(client_for("counselor").get("/interview/sessions/new/").content)

    assert "Juridiske spørsmål" not in text
    assert "Bolig" in text


# Recording --------------------------------------------------------------------------------------------


def test_it_records_the_session_with_its_topics_and_duration(person, cast):
    session = record(person, cast)

    assert session.counselor == cast["counselor"]
    assert session.duration_seconds == 40 * 60
    assert sorted(session.topics.values_list("name_en", flat=True)) == ["Housing", "Money and NAV"]
    assert session.recorded_at == NOON


def test_it_ties_the_session_to_the_visit_the_client_is_on(person, cast):
    visit = Visit.objects.create(
        client=person,
        checked_in_at=NOON - 2 * HOUR,
        checked_in_by=cast["reception"],
        location=Visit.Location.INTERVIEW,
        location_since=NOON - HOUR,
        substance=heroin(),
    )

    assert record(person, cast).visit == visit


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"ended_at": NOON - 2 * HOUR}, "ends_before_start"),
        ({"ended_at": NOON + HOUR}, "in_future"),
        ({"started_at": NOON - 10 * HOUR}, "too_long"),
        ({"topics": []}, "no_topic"),
    ],
)
def test_it_refuses_a_session_that_makes_no_sense(person, cast, overrides, code):
    with pytest.raises(ValidationError) as info:
        record(person, cast, **overrides)

    assert info.value.code == code
    assert not CounselingSession.objects.exists()


# The pages --------------------------------------------------------------------------------------------


def test_it_saves_a_session_from_the_form_and_lists_it_in_the_interview_room(client_for, person):
    http = client_for("counselor")

    response = http.post("/interview/sessions/new/", form_data(person), follow=True)

    assert response.redirect_chain[-1][0] == "/interview/"
    text = text_of(response.content)
    assert nb("Counseling sessions, last 7 days") in text
    assert f"11:00–11:40 {person.code}" in text
    assert "Call the housing office together on Thursday." in text
    assert "Lost the flat in January." in text


def test_it_fills_in_the_client_from_the_interview_room(client_for, person):
    html = client_for("counselor").get(f"/interview/sessions/new/?client={person.pk}").content.decode()

    assert f'value="{person.code}"' in html
    assert 'value="2026-03-10"' in html
    assert 'value="11:30"' in html and 'value="12:00"' in html


def test_it_shows_the_duty_officer_the_session_but_not_the_next_steps_or_the_notes(client_for, person, cast):
    record(person, cast)

    text = text_of(client_for("duty").get("/interview/").content)

    assert person.code in text
    assert "Call the housing office together on Thursday." not in text
    assert "sleeping at a friend's" not in text


@pytest.mark.parametrize("role", ["reception", "health", "duty", "coordinator", "norole"])
def test_it_lets_only_counselors_write_up_sessions(client_for, person, role):
    http = client_for(role)

    assert http.get("/interview/sessions/new/").status_code == 403
    assert http.post("/interview/sessions/new/", form_data(person)).status_code == 403
    assert not CounselingSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"client": "NOPE1990M"},
            "No client has the code %(code)s. Check the code, or register the client at reception.",
        ),
        ({"topics": []}, "Choose at least one topic."),
        ({"ends": "10:00"}, "The session cannot end before it started."),
        ({"ends": "18:00"}, "The session cannot end in the future."),
        ({"starts": "kl 11"}, None),
        ({"starts": "25:00"}, None),
        ({"date": "31.02.2026"}, None),
        ({"topics": ["999999"]}, None),
    ],
)
def test_it_answers_bad_input_with_a_message_not_a_500(client_for, person, overrides, message):
    response = client_for("counselor").post("/interview/sessions/new/", form_data(person, **overrides))

    assert response.status_code == 400
    if message:
        assert nb(message).replace("%(code)s", "NOPE1990M") in text_of(response.content)
    assert not CounselingSession.objects.exists()


def test_it_keeps_the_intake_working_in_the_interview_room(client_for, cast, at_noon):
    from counseling.models import Intake
    from visits.models import Client

    new = make_client("NEWC1990K", by=cast["reception"], status=Client.Status.PENDING)
    http = client_for("counselor")
    assert "NEWC1990K" in text_of(http.get("/interview/").content)

    http.post(
        f"/interview/intake/{new.pk}/",
        {
            "is_adult": "on",
            "long_term_heroin_dependence": "on",
            "harmful_injection_practice": "on",
            "consent_given": "on",
            "house_rules_explained": "on",
            "outcome": "accepted",
        },
    )

    assert Intake.objects.get(client=new).outcome == "accepted"

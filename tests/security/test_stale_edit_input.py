"""Hostile input on the versioned edit forms: a tampered version is a form error, never a 500 or a save;
what a refused form held is shown back escaped."""

from __future__ import annotations

import pytest

from counseling.models import Referral
from counseling.services import referral_create, referral_set_status
from duty.models import Shift
from tests.support.factories import incident, make_client, service, shift
from tests.support.time import TUESDAY, oslo
from visits.models import Incident
from visits.services.incidents import incident_correct

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
RAW_MARKUP = ["<script>alert(1)", "<img src=x onerror"]

VERSIONS = ["", "0x1", "1.5", "-1", "1" * 40, SCRIPT, "1 OR 1=1"]


def assert_safe(response) -> None:
    assert response.status_code < 500
    text = response.content.decode(errors="replace")
    assert all(raw not in text for raw in RAW_MARKUP)


@pytest.fixture
def recorded(cast, facility) -> Incident:
    return incident(by=cast["duty"], other_party="a passer-by")


@pytest.fixture
def referral(cast, facility) -> Referral:
    return referral_create(client=make_client(by=cast["reception"]), service=service(), by=cast["counselor"])


def _correction(recorded: Incident, **values) -> dict:
    when = recorded.occurred_at.astimezone(oslo().tzinfo)
    data = {
        "kind": recorded.kind,
        "date": when.date().isoformat(),
        "time": when.strftime("%H:%M"),
        "place": recorded.area,
        "other_party": recorded.other_party,
        "description": recorded.description,
        "action_taken": recorded.action_taken,
        "reason": "Completing it",
        "seen_version": 1,
    }
    return {**data, **values}


@pytest.mark.parametrize("version", VERSIONS)
def test_it_refuses_a_tampered_version_on_an_incident_correction(client_for, recorded, version):
    response = client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/", _correction(recorded, description="Changed", seen_version=version)
    )

    assert_safe(response)
    recorded.refresh_from_db()
    assert (recorded.description, recorded.version) == ("Threatened another client in the queue", 1)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("action", ["status", "follow-up"])
def test_it_refuses_a_tampered_version_on_a_referral(client_for, referral, action, version):
    data = {"to_status": "sent", "follow_up_on": "2099-01-01", "reason": "x", "seen_version": version}

    response = client_for("counselor").post(f"/interview/referrals/{referral.pk}/{action}/", data)

    assert_safe(response)
    referral.refresh_from_db()
    assert (referral.status, referral.version) == ("proposed", 1)


@pytest.mark.parametrize("version", VERSIONS)
def test_it_refuses_a_tampered_version_on_a_shift(client_for, cast, facility, version):
    planned = shift(oslo(TUESDAY, 8), oslo(TUESDAY, 15), duty=cast["duty"])
    data = {"date": TUESDAY.isoformat(), "starts": "09:00", "ends": "15:00", "duty_officer": cast["duty"].pk}

    response = client_for("coordinator").post(f"/roster/shifts/{planned.pk}/", {**data, "seen_version": version})

    assert_safe(response)
    assert Shift.objects.get(pk=planned.pk).version == 1


def test_it_shows_a_refused_correction_s_hostile_text_escaped(client_for, cast, recorded):
    stale = _correction(recorded, description=SCRIPT, reason=SCRIPT)
    incident_correct(
        incident=recorded,
        kind=recorded.kind,
        occurred_at=recorded.occurred_at,
        area=recorded.area,
        room=None,
        other_party=recorded.other_party,
        description="<img src=x onerror=alert(1)> said the other officer",
        action_taken=recorded.action_taken,
        reason="Other",
        by=cast["coordinator"],
    )

    response = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", stale)

    assert response.status_code == 409
    assert_safe(response)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert all(raw not in response.content.decode() for raw in RAW_MARKUP)


def test_it_shows_a_refused_status_change_s_hostile_reason_escaped(client_for, cast, referral):
    referral_set_status(referral=referral, to_status="sent", by=cast["duty"])

    response = client_for("counselor").post(
        f"/interview/referrals/{referral.pk}/status/", {"to_status": "cancelled", "reason": SCRIPT, "seen_version": 1}
    )

    assert response.status_code == 409
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()

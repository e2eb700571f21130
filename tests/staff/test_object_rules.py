"""The object rules of the permission matrix, checked against the pages: counseling notes only for
counselors and coordinators; clinical detail only for health workers, duty officers and coordinators;
reception sees a client's flags, not the notes behind them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from health.models import Emergency, HealthService
from tests.support.scenes.history import INTAKE_NOTES, READ_AT, SESSION_NOTES
from visits.models import Ban

NOTES = [SESSION_NOTES, INTAKE_NOTES]
SERVICE_SITE = "forearm"


@pytest.fixture
def at_noon(facility):
    """Time stands still after the whole history (tests.support.scenes.history)."""
    with time_machine.travel(READ_AT, tick=False) as traveller:
        yield traveller


def page(client_for, role: str, url: str) -> str:
    response = client_for(role).get(url)
    assert response.status_code == 200, f"{role} {url}: {response.status_code}"
    return response.content.decode()


@pytest.mark.parametrize("role", ["counselor", "coordinator"])
def test_counseling_notes_are_shown_to_counselors_and_coordinators(client_for, history, at_noon, role):
    html = page(client_for, role, f"/interview/clients/{history.pk}/timeline/?month=2026-03")
    html_jan = page(client_for, role, f"/interview/clients/{history.pk}/timeline/?month=2026-01")

    assert SESSION_NOTES in html
    assert INTAKE_NOTES in html_jan


@pytest.mark.parametrize("role", ["reception", "health", "duty"])
def test_counseling_notes_are_hidden_from_everyone_else(client_for, history, at_noon, role):
    for month in ("2026-01", "2026-03"):
        html = page(client_for, role, f"/interview/clients/{history.pk}/timeline/?month={month}")
        assert not any(note in html for note in NOTES)


@pytest.mark.parametrize("role", ["health", "duty", "coordinator"])
def test_clinical_detail_is_shown_to_the_clinical_roles(client_for, history, at_noon, role):
    html = page(client_for, role, f"/health/clients/{history.pk}/")

    assert SERVICE_SITE in html
    emergency = Emergency.objects.get(client=history)
    assert page(client_for, role, f"/health/emergencies/{emergency.pk}/")


@pytest.mark.parametrize("role", ["reception", "counselor"])
def test_clinical_detail_is_forbidden_to_the_others(client_for, history, at_noon, role):
    emergency = Emergency.objects.get(client=history)

    assert client_for(role).get(f"/health/clients/{history.pk}/").status_code == 403
    assert client_for(role).get(f"/health/emergencies/{emergency.pk}/").status_code == 403
    timeline = page(client_for, role, f"/interview/clients/{history.pk}/timeline/?month=2026-03")
    assert SERVICE_SITE not in timeline
    assert "1,8" not in timeline and "1.8" not in timeline  # the naloxone dose


def test_reception_sees_the_flags_not_the_notes(client_for, cast, history, at_noon):
    now = timezone.now()
    Ban.objects.create(
        client=history,
        reason="Sold drugs in the waiting room",
        starts_at=now - dt.timedelta(days=1),
        ends_at=now + dt.timedelta(days=6),
        created_at=now - dt.timedelta(days=1),
        created_by=cast["duty"],
    )
    HealthService.objects.filter(client=history).update(note="Abscess needs a doctor")

    html = page(client_for, "reception", f"/clients/{history.pk}/")

    assert 'data-testid="ban-alert"' in html
    assert not any(note in html for note in [*NOTES, "Abscess needs a doctor", SERVICE_SITE])

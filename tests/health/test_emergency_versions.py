"""The emergency record is versioned: a form opened before another device's write is refused, nothing lost."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AccessLogEntry
from health import services
from health.models import Emergency
from tests.support.pages import STALE_EDIT, nb

pytestmark = pytest.mark.django_db

def _record(emergency: Emergency, **changes) -> dict:
    local = dt.datetime.astimezone
    data = {
        "kind": emergency.kind,
        "place": emergency.place,
        "started_at": local(emergency.started_at).strftime("%Y-%m-%dT%H:%M:%S"),
        "notes": emergency.notes,
        "seen_version": emergency.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def emergency(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    return emergency


def test_it_refuses_a_record_form_opened_before_the_ambulance_was_called(emergency, client_for, cast, at_noon):
    stale = _record(emergency, notes="Responded to naloxone")
    at_noon.shift(dt.timedelta(minutes=2))
    services.emergency_mark(emergency=emergency, what="ambulance_called", by=cast["duty"])

    response = client_for("health").post(f"/health/emergencies/{emergency.pk}/record/", stale)

    emergency.refresh_from_db()
    assert response.status_code == 409
    assert emergency.ambulance_called_at == at_noon_now()
    assert emergency.notes == ""
    page = response.content.decode()
    assert nb(STALE_EDIT) in page
    assert f"<th scope=\"row\">{nb('Ambulance called')}</th>" in page
    assert "duty" in page
    assert "Responded to naloxone" in page  # what they entered is shown, not lost


def at_noon_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_it_saves_a_record_form_opened_at_the_current_version(emergency, client_for):
    response = client_for("health").post(
        f"/health/emergencies/{emergency.pk}/record/", _record(emergency, notes="Responded to naloxone")
    )
    emergency.refresh_from_db()
    assert response.status_code == 302
    assert emergency.notes == "Responded to naloxone"
    assert emergency.version == 2


def test_it_keeps_the_start_to_the_second_when_the_form_is_saved_unchanged(emergency, client_for, at_noon):
    Emergency.objects.filter(pk=emergency.pk).update(started_at=emergency.started_at - dt.timedelta(seconds=21))
    emergency.refresh_from_db()
    client_for("health").post(f"/health/emergencies/{emergency.pk}/record/", _record(emergency))
    saved = Emergency.objects.get(pk=emergency.pk)
    assert saved.started_at == emergency.started_at
    assert saved.started_at.second == 39


def test_it_logs_the_view_of_the_record_when_a_stale_save_is_refused(emergency, client_for, cast, at_noon):
    stale = _record(emergency, notes="Responded to naloxone")
    services.emergency_mark(emergency=emergency, what="ambulance_called", by=cast["duty"])

    client_for("health").post(f"/health/emergencies/{emergency.pk}/record/", stale)

    assert AccessLogEntry.objects.filter(
        user=cast["health"], client=emergency.client, kind=AccessLogEntry.Kind.EMERGENCY
    ).exists()

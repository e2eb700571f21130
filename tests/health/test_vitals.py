"""Vital signs on the emergency page: a timed set, one value at least, a table and a chart, withdrawn with a reason."""

from __future__ import annotations

import datetime as dt
import html
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from health import services
from health.models import VitalSigns
from tests.support.pages import nb
from tests.support.time import NOON

pytestmark = pytest.mark.django_db


def local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


def t(msgid: str, **values) -> str:
    return nb(msgid) % values if values else nb(msgid)


@pytest.fixture
def emergency(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=4))
    return emergency


def record(http, emergency, **data):
    return http.post(f"/health/emergencies/{emergency.pk}/vitals/", data)


def page(http, emergency) -> str:
    return html.unescape(http.get(f"/health/emergencies/{emergency.pk}/").content.decode())


def chart_data(shown: str) -> dict:
    script = shown.split('<script id="vitals-data" type="application/json">')[1].split("</script>")[0]
    return json.loads(script)


def test_it_records_a_set_of_vital_signs_stamped_now(emergency, client_for, cast):
    response = record(
        client_for("health"), emergency, breathing_rate="6", oxygen_saturation="84", pulse="52", consciousness="P"
    )

    vitals = VitalSigns.objects.get(emergency=emergency)
    assert response.status_code == 302
    assert (vitals.breathing_rate, vitals.oxygen_saturation, vitals.pulse, vitals.consciousness) == (6, 84, 52, "P")
    assert vitals.at == vitals.recorded_at == NOON + dt.timedelta(minutes=4)
    assert vitals.by == cast["health"]
    row = page(client_for("health"), emergency).split('data-testid="vitals-row"')[1].split("</tr>")[0]
    assert "12:04:00" in row and "84" in row and "52" in row


def test_it_records_a_set_with_a_single_value(emergency, client_for):
    assert record(client_for("health"), emergency, consciousness="A").status_code == 302
    assert VitalSigns.objects.get().consciousness == "A"


def test_it_records_a_set_at_an_earlier_time_within_the_emergency(emergency, client_for):
    record(client_for("health"), emergency, pulse="120", at=local(NOON + dt.timedelta(minutes=1, seconds=15)))
    assert VitalSigns.objects.get().at == NOON + dt.timedelta(minutes=1, seconds=15)


@pytest.mark.parametrize(
    "at,message",
    [
        (NOON - dt.timedelta(seconds=1), "%(what)s cannot be before the emergency started."),
        (NOON + dt.timedelta(minutes=4, seconds=1), "%(what)s cannot be in the future."),
    ],
)
def test_it_refuses_a_time_outside_the_emergency(emergency, client_for, at, message):
    response = record(client_for("health"), emergency, pulse="80", at=local(at))

    assert response.status_code == 400
    assert t(message, what=nb("The vital signs")) in html.unescape(response.content.decode())
    assert not VitalSigns.objects.exists()


def test_it_refuses_an_empty_set_with_a_message(emergency, client_for):
    response = record(client_for("health"), emergency, note="Looked better")

    assert response.status_code == 400
    message = nb("Give at least one value: breathing rate, oxygen saturation, pulse or consciousness.")
    assert message in html.unescape(response.content.decode())
    assert not VitalSigns.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"oxygen_saturation": "101"},
        {"breathing_rate": "81"},
        {"pulse": "-1"},
        {"pulse": "9" * 5000},
        {"pulse": "1e9"},
        {"pulse": "eighty"},
        {"consciousness": "X"},
        {"pulse": "80", "at": "yesterday"},
        {"pulse": "80", "note": "x" * 600},
    ],
)
def test_it_answers_impossible_values_with_a_message_never_a_500(emergency, client_for, data):
    response = record(client_for("health"), emergency, **data)
    assert response.status_code == 400
    assert 'data-testid="vitals-form"' in response.content.decode()
    assert not VitalSigns.objects.exists()


def test_it_refuses_out_of_range_values_in_the_service_too(emergency, cast):
    with pytest.raises(ValidationError):
        services.vital_signs_record(emergency=emergency, by=cast["health"], oxygen_saturation=101)
    with pytest.raises(ValidationError):
        services.vital_signs_record(emergency=emergency, by=cast["health"])


def test_it_draws_the_chart_from_the_sets_and_keeps_them_in_a_table(emergency, client_for, cast, at_noon):
    services.vital_signs_record(emergency=emergency, by=cast["health"], breathing_rate=6, oxygen_saturation=82)
    at_noon.shift(dt.timedelta(minutes=3))
    services.vital_signs_record(emergency=emergency, by=cast["health"], breathing_rate=12, oxygen_saturation=95)

    shown = page(client_for("health"), emergency)

    data = chart_data(shown)
    assert data["labels"] == ["12:04:00", "12:07:00"]
    assert {s["key"]: s["values"] for s in data["series"]} == {
        "breathing_rate": [6, 12],
        "oxygen_saturation": [82, 95],
    }
    assert "<canvas data-vitals-chart" in shown
    assert shown.count('data-testid="vitals-row"') == 2


def test_it_withdraws_a_set_with_a_reason_and_leaves_it_out_of_the_chart(emergency, client_for, cast, at_noon):
    wrong = services.vital_signs_record(emergency=emergency, by=cast["health"], pulse=300)
    at_noon.shift(dt.timedelta(minutes=1))
    services.vital_signs_record(emergency=emergency, by=cast["health"], pulse=90)
    at_noon.shift(dt.timedelta(minutes=1))
    services.vital_signs_record(emergency=emergency, by=cast["health"], pulse=85)

    response = client_for("duty").post(
        f"/health/vitals/{wrong.pk}/withdraw/", {f"vitals-withdraw-{wrong.pk}-reason": "Probe on the wrong finger"}
    )

    wrong.refresh_from_db()
    assert response.status_code == 302
    assert (wrong.withdrawn_by, wrong.withdrawn_reason) == (cast["duty"], "Probe on the wrong finger")
    shown = page(client_for("health"), emergency)
    assert chart_data(shown)["series"] == [{"key": "pulse", "name": nb("Pulse"), "values": [90, 85]}]
    row = shown.split('data-testid="vitals-row"')[1].split("</tr>")[0]
    assert "data-withdrawn" in row and "<del>300</del>" in row and "Probe on the wrong finger" in row


def test_it_requires_a_reason_to_withdraw_a_set(emergency, client_for, cast):
    vitals = services.vital_signs_record(emergency=emergency, by=cast["health"], pulse=80)

    response = client_for("health").post(f"/health/vitals/{vitals.pk}/withdraw/", {})

    vitals.refresh_from_db()
    assert response.status_code == 400
    assert nb("Give the reason for withdrawing it.") in html.unescape(response.content.decode())
    assert vitals.withdrawn_at is None


def test_it_records_vital_signs_after_the_close_at_a_time_inside_it(emergency, client_for, cast, at_noon):
    services.emergency_close(emergency=emergency, outcome="hospital", by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=20))
    http = client_for("health")

    without_time = record(http, emergency, pulse="70")
    inside = record(http, emergency, pulse="70", at=local(NOON + dt.timedelta(minutes=4)))
    after = record(http, emergency, pulse="70", at=local(NOON + dt.timedelta(minutes=4, seconds=1)))

    assert (without_time.status_code, inside.status_code, after.status_code) == (400, 302, 400)
    assert VitalSigns.objects.get().at == NOON + dt.timedelta(minutes=4)


def test_it_refuses_to_close_before_recorded_vital_signs(emergency, cast):
    services.vital_signs_record(emergency=emergency, by=cast["health"], pulse=70)
    with pytest.raises(ValidationError):
        services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"], ended_at=NOON)

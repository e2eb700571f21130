"""Health services: wound care, advice, offers of testing and vaccination, referral to a doctor."""

from __future__ import annotations

import pytest

from health.models import HealthService
from tests.support.pages import nb

pytestmark = pytest.mark.django_db


def _post(http, client, **data):
    return http.post("/health/services/new/", {"client": client.code, **data})


def test_it_records_wound_care_with_site_and_severity(client_inside, client_for):
    response = _post(
        client_for("health"),
        client_inside,
        kind="wound",
        site="Left forearm",
        severity="moderate",
        treatment="Cleaned, dressed",
    )
    service = HealthService.objects.get()
    assert response.status_code == 302
    assert (service.kind, service.site, service.severity) == ("wound", "Left forearm", "moderate")
    assert service.visit is not None  # booked to the visit the client is on


def test_it_needs_the_body_site_for_wound_care(client_inside, client_for):
    response = _post(client_for("health"), client_inside, kind="wound")
    assert response.status_code == 200
    assert nb("Give the body site of the wound.") in response.content.decode()
    assert not HealthService.objects.exists()


def test_it_records_whether_an_offer_of_testing_was_accepted(client_inside, client_for):
    _post(client_for("health"), client_inside, kind="test_offer", condition="hcv", accepted="false")
    service = HealthService.objects.get()
    assert (service.condition, service.accepted) == ("hcv", False)


def test_it_needs_the_answer_to_an_offer(client_inside, client_for):
    response = _post(client_for("health"), client_inside, kind="vaccination_offer", condition="hbv", accepted="unknown")
    assert nb("Record whether the offer was accepted.") in response.content.decode()
    assert not HealthService.objects.exists()


def test_it_shows_the_clients_health_history_on_one_page(client_inside, client_for):
    http = client_for("health")
    _post(http, client_inside, kind="hygiene_advice")
    _post(http, client_inside, kind="wound", site="Right hand")
    page = http.get(f"/health/clients/{client_inside.pk}/").content.decode()
    assert nb("Hygiene and self-care advice") in page
    assert "Right hand" in page


@pytest.mark.parametrize(
    "role,status", [("health", 200), ("duty", 200), ("coordinator", 200), ("reception", 403), ("counselor", 403)]
)
def test_it_shows_health_history_to_clinical_roles_only(client_inside, client_for, role, status):
    assert client_for(role).get(f"/health/clients/{client_inside.pk}/").status_code == status


def test_it_refuses_reception_recording_a_health_service(client_inside, client_for):
    response = _post(client_for("reception"), client_inside, kind="hygiene_advice")
    assert response.status_code == 403
    assert not HealthService.objects.exists()


def test_it_refers_to_a_doctor_and_opens_the_referral_for_follow_up(client_inside, client_for):
    from counseling.models import Referral, ReferralService

    service = ReferralService.objects.get(name_en="Emergency clinic / GP")
    _post(client_for("health"), client_inside, kind="doctor_referral", referral_service=service.pk)
    _post(client_for("health"), client_inside, kind="doctor_referral", referral_service=service.pk, note="Again")
    assert HealthService.objects.filter(kind="doctor_referral").count() == 2
    assert Referral.objects.filter(client=client_inside, service=service).count() == 1

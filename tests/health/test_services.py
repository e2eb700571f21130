"""Health services: wound care, advice, offers of testing and vaccination, referral to a doctor."""

from __future__ import annotations

import re
import uuid

import pytest
from django.db import IntegrityError, transaction

from health.models import HealthService
from health.services import health_service_record
from tests.support.pages import nb

pytestmark = pytest.mark.django_db


def _post(http, client, *, kinds=(), token=None, **data):
    """The services form as sent: the services ticked, their details, and the form's own token."""
    return http.post(
        "/health/services/new/", {"client": client.code, "kinds": list(kinds), "token": token or uuid.uuid4(), **data}
    )


def test_it_records_wound_care_with_site_and_severity(client_inside, client_for):
    response = _post(
        client_for("health"),
        client_inside,
        kinds=["wound"],
        site="Left forearm",
        severity="moderate",
        treatment="Cleaned, dressed",
    )
    service = HealthService.objects.get()
    assert response.status_code == 302
    assert (service.kind, service.site, service.severity) == ("wound", "Left forearm", "moderate")
    assert service.visit is not None  # booked to the visit the client is on


def test_it_needs_the_body_site_for_wound_care(client_inside, client_for):
    response = _post(client_for("health"), client_inside, kinds=["wound"])
    assert response.status_code == 400
    assert nb("Give the body site of the wound.") in response.content.decode()
    assert not HealthService.objects.exists()


def test_it_records_whether_an_offer_of_testing_was_accepted(client_inside, client_for):
    _post(client_for("health"), client_inside, kinds=["test_offer"], test_condition="hcv", test_accepted="false")
    service = HealthService.objects.get()
    assert (service.condition, service.accepted) == ("hcv", False)


def test_it_needs_the_answer_to_an_offer(client_inside, client_for):
    response = _post(
        client_for("health"),
        client_inside,
        kinds=["vaccination_offer"],
        vaccination_condition="hbv",
        vaccination_accepted="unknown",
    )
    assert nb("Record whether the offer was accepted.") in response.content.decode()
    assert not HealthService.objects.exists()


def test_it_shows_the_clients_health_history_on_one_page(client_inside, client_for):
    http = client_for("health")
    _post(http, client_inside, kinds=["hygiene_advice"])
    _post(http, client_inside, kinds=["wound"], site="Right hand")
    page = http.get(f"/health/clients/{client_inside.pk}/").content.decode()
    assert nb("Hygiene and self-care advice") in page
    assert "Right hand" in page


@pytest.mark.parametrize(
    "role,status", [("health", 200), ("duty", 200), ("coordinator", 200), ("reception", 403), ("counselor", 403)]
)
def test_it_shows_health_history_to_clinical_roles_only(client_inside, client_for, role, status):
    assert client_for(role).get(f"/health/clients/{client_inside.pk}/").status_code == status


def test_it_refuses_reception_recording_a_health_service(client_inside, client_for):
    response = _post(client_for("reception"), client_inside, kinds=["hygiene_advice"])
    assert response.status_code == 403
    assert not HealthService.objects.exists()


def test_it_refers_to_a_doctor_and_opens_the_referral_for_follow_up(client_inside, client_for):
    from counseling.models import Referral, ReferralService

    service = ReferralService.objects.get(name_en="Emergency clinic / GP")
    _post(client_for("health"), client_inside, kinds=["doctor_referral"], referral_service=service.pk)
    _post(client_for("health"), client_inside, kinds=["doctor_referral"], referral_service=service.pk, note="Again")
    assert HealthService.objects.filter(kind="doctor_referral").count() == 2
    assert Referral.objects.filter(client=client_inside, service=service).count() == 1


def test_it_records_several_services_given_with_one_submit(client_inside, client_for):
    response = _post(
        client_for("health"),
        client_inside,
        kinds=["wound", "test_offer", "vaccination_offer", "hygiene_advice"],
        site="Left forearm",
        test_condition="hcv",
        test_accepted="true",
        vaccination_condition="hbv",
        vaccination_accepted="false",
    )

    assert response.status_code == 302
    recorded = {s.kind: s for s in HealthService.objects.all()}
    assert sorted(recorded) == ["hygiene_advice", "test_offer", "vaccination_offer", "wound"]
    assert recorded["wound"].site == "Left forearm"
    assert (recorded["test_offer"].condition, recorded["test_offer"].accepted) == ("hcv", True)
    assert (recorded["vaccination_offer"].condition, recorded["vaccination_offer"].accepted) == ("hbv", False)
    assert recorded["hygiene_advice"].site == ""  # the wound's details stay on the wound
    assert len({s.batch for s in recorded.values()}) == 1


def test_it_names_every_service_recorded_in_the_message(client_inside, client_for):
    http = client_for("health")

    response = _post(http, client_inside, kinds=["wound", "hygiene_advice"], site="Hand")

    page = http.get(response.url).content.decode()
    assert nb("Wound care") in page and nb("Hygiene and self-care advice") in page


def test_it_records_none_when_one_service_lacks_a_detail(client_inside, client_for):
    response = _post(client_for("health"), client_inside, kinds=["hygiene_advice", "wound"])

    assert response.status_code == 400
    assert nb("Give the body site of the wound.") in response.content.decode()
    assert not HealthService.objects.exists()


def test_it_asks_for_at_least_one_service(client_inside, client_for):
    response = _post(client_for("health"), client_inside, kinds=[])

    assert response.status_code == 400
    assert nb("Choose at least one service given.") in response.content.decode()


def test_it_records_a_form_sent_twice_once(client_inside, client_for):
    http = client_for("health")
    token = uuid.uuid4()

    first = _post(http, client_inside, kinds=["wound", "hygiene_advice"], site="Hand", token=token)
    second = _post(http, client_inside, kinds=["wound", "hygiene_advice"], site="Hand", token=token)

    assert (first.status_code, second.status_code) == (302, 302)
    assert HealthService.objects.count() == 2


def test_it_settles_two_submits_of_the_same_form_at_once_in_the_database(client_inside, cast):
    token = uuid.uuid4()
    health_service_record(client=client_inside, kind="hygiene_advice", by=cast["health"], batch=token)
    # Another submit of the same form got in first: this one is told so by the constraint, not by a count.
    with pytest.raises(IntegrityError), transaction.atomic():
        health_service_record(client=client_inside, kind="hygiene_advice", by=cast["health"], batch=token)


def test_the_form_offers_every_service_as_a_checkbox(client_inside, client_for):
    page = client_for("health").get(f"/health/services/new/?client={client_inside.pk}").content.decode()

    boxes = re.findall(r'<input type="checkbox"[^>]*name="kinds" value="([a-z_]+)"', page)
    assert boxes == HealthService.Kind.values
    assert f'value="{client_inside.code}"' in page

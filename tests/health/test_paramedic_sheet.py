"""The paramedic sheet: one page with the person, what they took, what was seen and done, and who was there."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest

from audit.models import AccessLogEntry
from health import services
from health.models import Emergency
from tests.support.factories import ClientFactory, VisitFactory, heroin
from tests.support.pages import nb
from tests.support.time import NOON
from visits.models import Substance, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def emergency(at_noon, cast):
    """An overdose at noon after a check-in at 11:40: naloxone twice (one withdrawn), oxygen, vitals, ambulance."""
    client = ClientFactory(letters="PARA", birth_year=1985, registered_by=cast["reception"])
    visit = VisitFactory(
        client=client,
        checked_in_by=cast["reception"],
        checked_in_at=NOON - dt.timedelta(minutes=20),
        dose="0.2 g",
        last_use_at=NOON - dt.timedelta(hours=3),
        other_substances_note="pills, unknown",
    )
    visit.other_substances.set([Substance.objects.exclude(pk=heroin().pk).first()])
    emergency, _ = services.emergency_open(client=client, by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=1))
    services.emergency_intervention_add(
        emergency=emergency, kind="naloxone", route="in", dose_mg=Decimal("1.8"), by=cast["health"]
    )
    services.emergency_intervention_add(emergency=emergency, kind="oxygen", by=cast["duty"])
    services.vital_signs_record(
        emergency=emergency, by=cast["health"], breathing_rate=4, oxygen_saturation=78, consciousness="U"
    )
    at_noon.shift(dt.timedelta(minutes=2))
    services.emergency_mark(emergency=emergency, what="ambulance_called", by=cast["duty"])
    mistaken = services.emergency_intervention_add(
        emergency=emergency, kind="naloxone", route="im", dose_mg=Decimal("5"), by=cast["duty"]
    )
    services.intervention_withdraw(intervention=mistaken, by=cast["duty"], reason="Wrong emergency")
    at_noon.shift(dt.timedelta(minutes=1))
    services.emergency_intervention_add(
        emergency=emergency, kind="naloxone", route="im", dose_mg=Decimal("0.4"), by=cast["health"]
    )
    services.vital_signs_record(emergency=emergency, by=cast["health"], breathing_rate=10, pulse=64, consciousness="V")
    return emergency


def sheet(http, emergency):
    return http.get(f"/health/emergencies/{emergency.pk}/sheet/")


def text(response) -> str:
    return html.unescape(response.content.decode())


def part(shown: str, testid: str) -> str:
    return shown.split(f'data-testid="{testid}"')[1].split("</table>")[0].split("</dl>")[0]


def test_it_shows_who_the_person_is_and_what_they_took(emergency, client_for):
    shown = text(sheet(client_for("health"), emergency))

    assert "PARA1985M" in part(shown, "sheet-who")
    assert "41" in part(shown, "sheet-age") and "1985" in part(shown, "sheet-age")
    assert nb("Man") in shown
    substance = part(shown, "sheet-substance")
    assert "Heroin" in substance and "0.2 g" in substance
    assert "09:00:00" in substance  # last use, three hours before
    assert "pills, unknown" in substance
    assert Substance.objects.exclude(pk=heroin().pk).first().label in substance
    assert "12:00:00" in part(shown, "sheet-found")


def test_it_shows_what_was_done_with_times_doses_and_the_total_naloxone(emergency, client_for):
    shown = text(sheet(client_for("health"), emergency))

    done = part(shown, "sheet-interventions")
    assert "12:01:00" in done and "1,8 mg" in done
    assert "12:04:00" in done and "0,4 mg" in done
    assert nb("Oxygen") in done
    assert "2,2 mg" in done.split('data-testid="sheet-naloxone-total"')[1]


def test_it_leaves_withdrawn_interventions_off_the_sheet(emergency, client_for):
    shown = text(sheet(client_for("health"), emergency))
    done = part(shown, "sheet-interventions")
    assert "5 mg" not in done
    assert "Wrong emergency" not in shown
    assert done.count("<tr>") == 5  # the header, three interventions, the total


def test_it_shows_the_vital_signs_the_calls_and_the_staff(emergency, client_for):
    shown = text(sheet(client_for("health"), emergency))

    vitals = part(shown, "sheet-vitals")
    assert "78" in vitals and "64" in vitals
    assert "12:03:00" in shown  # the ambulance called
    staff = shown.split('data-testid="sheet-staff"')[1].split("</p>")[0]
    assert "duty" in staff and "health" in staff


def test_it_writes_who_opened_the_sheet_in_the_access_log(emergency, client_for, cast):
    sheet(client_for("duty"), emergency)

    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.PARAMEDIC_SHEET)
    assert (entry.user, entry.client, entry.path) == (
        cast["duty"],
        emergency.client,
        f"/health/emergencies/{emergency.pk}/sheet/",
    )


def test_it_shows_an_unknown_person_by_approximate_age_and_gender(at_noon, cast, client_for):
    unknown = Emergency.objects.create(
        client=None,
        person_age_band=Emergency.AgeBand.AGE_30_39,
        person_gender=Emergency.Gender.WOMAN,
        started_at=NOON,
        started_by=cast["health"],
    )

    response = sheet(client_for("health"), unknown)

    shown = text(response)
    assert response.status_code == 200
    assert nb("Unknown person") in part(shown, "sheet-who")
    assert "30–39" in part(shown, "sheet-age")
    assert nb("Woman") in shown
    assert nb("Not known: no check-in for this emergency.") in shown
    assert not AccessLogEntry.objects.exists()  # no client record was read


def test_it_is_one_click_from_the_emergency_page(emergency, client_for):
    shown = client_for("health").get(f"/health/emergencies/{emergency.pk}/").content.decode()
    assert f'href="/health/emergencies/{emergency.pk}/sheet/" data-testid="sheet-link"' in shown


def test_it_has_a_print_button_and_the_print_style(emergency, client_for):
    shown = sheet(client_for("health"), emergency).content.decode()
    assert "data-print" in shown
    assert "js/print.js" in shown and "css/paramedic_sheet.css" in shown


@pytest.mark.parametrize("role,status", [("health", 200), ("duty", 200), ("coordinator", 200), ("reception", 403)])
def test_it_shows_the_sheet_to_clinical_roles_only(emergency, client_for, role, status):
    assert sheet(client_for(role), emergency).status_code == status


def test_it_answers_a_missing_emergency_with_404(at_noon, client_for):
    assert client_for("health").get("/health/emergencies/999999/sheet/").status_code == 404


def test_it_leaves_visits_untouched(emergency, client_for):
    sheet(client_for("health"), emergency)
    assert Visit.objects.get(client=emergency.client).ended_at is None

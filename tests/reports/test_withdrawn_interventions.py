"""A withdrawn intervention (entered by mistake, kept in the record with why) counts in no figure."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from health.models import Emergency, Intervention
from tests.support.figures import figures, number
from tests.support.pages import marked_text_all as marked_text
from tests.support.pages import nb
from tests.support.scenes.march import at, minutes

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn_dose(cast, april_15):
    """March's only emergency, for a person with no code; its only naloxone was withdrawn."""
    health = cast["health"]
    emergency = Emergency.objects.create(
        kind=Emergency.Kind.OPIOID_OVERDOSE,
        place=Emergency.Place.OUTSIDE,
        started_at=at(3, 5, 14),
        started_by=health,
        outcome=Emergency.Outcome.RECOVERED,
        ended_at=at(3, 5, 14, 30),
        ended_by=health,
    )
    return Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=emergency.started_at + minutes(2),
        by=health,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal("1.80"),
        withdrawn_at=emergency.started_at + minutes(10),
        withdrawn_by=health,
        withdrawn_reason="Entered for the wrong emergency",
    )


def test_it_leaves_a_withdrawn_dose_out_of_the_dashboard(withdrawn_dose, client_for):
    shown = figures(client_for("coordinator").get("/dashboard/?period=last_month").content.decode())

    assert number(shown["overdoses"]) == 1  # the unknown person's overdose counts
    assert (number(shown["naloxone-events"]), number(shown["naloxone-doses"])) == (0, 0)
    assert shown["naloxone-mg"] == "0,00"


def test_it_leaves_a_withdrawn_dose_out_of_the_monthly_report_and_its_csv(withdrawn_dose, client_for):
    coordinator = client_for("coordinator")
    text = coordinator.get("/reports/monthly/2026-03/csv/").content.decode("utf-8-sig")
    rows = {(section, indicator): value for section, indicator, value in csv.reader(io.StringIO(text))}
    page = " ".join(
        marked_text(coordinator.get("/reports/monthly/2026-03/").content.decode(), "monthly-report").split()
    )

    section = nb("Overdoses and other medical emergencies")
    assert rows[(section, nb("Overdoses"))] == "1"
    assert rows[(section, nb("Naloxone doses given"))] == "0"
    assert rows[(section, nb("Emergencies in which naloxone was given"))] == "0"
    assert rows[(section, nb("Naloxone given in total (mg)"))] == "0.00"
    assert f"{nb('Naloxone given in total (mg)')} 0,00" in page

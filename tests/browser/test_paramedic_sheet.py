"""The paramedic sheet of a busy overdose prints on one A4 page in real Chromium, and the emergency page draws
the vital signs chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from health import services
from tests.support.browser import login
from tests.support.factories import ClientFactory, VisitFactory
from tests.support.pages import nb

pytestmark = pytest.mark.browser


def _busy_overdose(cast):
    """Twenty minutes of a hard overdose: eight interventions (one withdrawn), six sets of vitals, long notes."""
    start = timezone.now() - dt.timedelta(minutes=20)
    client = ClientFactory(letters="PRNT", registered_by=cast["reception"])
    VisitFactory(
        client=client,
        checked_in_by=cast["reception"],
        checked_in_at=start - dt.timedelta(minutes=15),
        dose="0.3 g",
        last_use_at=start - dt.timedelta(hours=2),
        other_substances_note="benzodiazepines",
    )
    emergency, _ = services.emergency_open(client=client, by=cast["health"], now=start)
    steps = [
        ("naloxone", "in", Decimal("1.8")),
        ("oxygen", "", None),
        ("bvm", "", None),
        ("naloxone", "im", Decimal("0.4")),
        ("recovery_position", "", None),
        ("naloxone", "im", Decimal("0.4")),
        ("cpr", "", None),
    ]
    for minute, (kind, route, dose) in enumerate(steps, start=1):
        when = start + dt.timedelta(minutes=minute * 2)
        services.emergency_intervention_add(
            emergency=emergency,
            kind=kind,
            route=route,
            dose_mg=dose,
            by=cast["health"],
            note="Given by the booth",
            now=when,
        )
    mistaken = services.emergency_intervention_add(
        emergency=emergency,
        kind="naloxone",
        route="in",
        dose_mg=Decimal("1.8"),
        by=cast["duty"],
        now=start + dt.timedelta(minutes=15),
        confirm=True,
    )
    services.intervention_withdraw(intervention=mistaken, by=cast["duty"], reason="Entered twice")
    first = emergency.interventions.order_by("at").first()
    services.intervention_correct(
        intervention=first,
        by=cast["duty"],
        at=first.at - dt.timedelta(seconds=40),
        route="in",
        dose_mg=Decimal("1.8"),
        note=first.note,
        reason="Given before the page was open",
        now=start + dt.timedelta(minutes=16),
    )
    for n, (rate, spo2, pulse, avpu) in enumerate(
        [(4, 78, 48, "U"), (6, 84, 52, "P"), (8, 90, 60, "P"), (10, 93, 70, "V"), (12, 95, 76, "V"), (14, 97, 80, "A")]
    ):
        services.vital_signs_record(
            emergency=emergency,
            by=cast["health"],
            breathing_rate=rate,
            oxygen_saturation=spo2,
            pulse=pulse,
            consciousness=avpu,
            now=start + dt.timedelta(minutes=1 + n * 3),
        )
    services.emergency_mark(
        emergency=emergency, what="ambulance_called", by=cast["duty"], now=start + dt.timedelta(minutes=3)
    )
    services.emergency_mark(
        emergency=emergency, what="ambulance_arrived", by=cast["duty"], now=start + dt.timedelta(minutes=16)
    )
    services.emergency_update(
        emergency=emergency,
        by=cast["health"],
        kind=emergency.kind,
        place=emergency.place,
        signs=["unresponsive", "slow_breathing", "cyanosis", "pinpoint_pupils"],
        notes="Found slumped in booth 2, shallow breathing. " * 12,
        staff_involved=[cast["health"], cast["duty"], cast["coordinator"]],
        ambulance_called_at=start + dt.timedelta(minutes=3),
        ambulance_arrived_at=start + dt.timedelta(minutes=16),
        police_called_at=None,
    )
    return emergency


def test_it_prints_the_paramedic_sheet_on_one_a4_page(page, live_server, cast, shot):
    emergency = _busy_overdose(cast)
    login(page, live_server, "health")

    page.goto(f"{live_server.url}/health/emergencies/{emergency.pk}/")
    page.wait_for_function("() => window.Chart && Object.keys(Chart.instances).length === 1")
    expect(page.get_by_test_id("intervention-history").first).to_contain_text("Given before the page was open")
    page.get_by_test_id("intervention-fix").first.locator("summary").click()
    expect(page.get_by_test_id("correct-form").first).to_be_visible()
    shot("emergency-page")
    page.get_by_test_id("sheet-link").click()
    page.wait_for_url(f"{live_server.url}/health/emergencies/{emergency.pk}/sheet/")
    expect(page.get_by_test_id("paramedic-sheet")).to_contain_text("PRNT")
    shot("sheet-screen")

    page.emulate_media(media="print")
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    shot("sheet-print")
    pdf = page.pdf(format="A4", print_background=True)

    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the sheet prints on {pages} pages"


def test_it_asks_before_recording_a_second_dose_pressed_within_seconds(page, live_server, cast, shot):
    client = ClientFactory(letters="TAPS", registered_by=cast["reception"])
    emergency, _ = services.emergency_open(client=client, by=cast["health"])
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/health/emergencies/{emergency.pk}/")
    give = page.get_by_role("button", name=nb("Naloxone given"))

    give.click()
    page.wait_for_load_state()
    page.get_by_role("button", name=nb("Naloxone given")).click()
    question = page.get_by_test_id("repeat-question")
    expect(question).to_contain_text("health")
    shot("repeat-question")
    question.get_by_test_id("confirm-repeat").click()
    page.wait_for_load_state()

    expect(page.get_by_test_id("naloxone-total")).to_contain_text("3,6 mg")
    assert emergency.interventions.count() == 2

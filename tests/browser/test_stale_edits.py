"""Two staff editing one record at two computers: the second save is refused, the difference shown, nothing lost.

Each test opens the same form in two browser contexts (two computers), saves in the first, then in the
second: the second page answers with the refusal, what changed and who changed it, what was entered
there, and the form again at the current version.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counseling.models import Referral, ReferralService
from counseling.services import referral_create
from duty.services.roster import shift_create
from health.models import Emergency
from health.services import emergency_open
from staff.models import User
from staff.roles import Role
from tests.support.browser import login
from tests.support.cast import make_user
from tests.support.pages import STALE_EDIT, nb
from visits.models import Client, Incident
from visits.services.incidents import incident_record

pytestmark = pytest.mark.browser


def _client(code: str, by: User) -> Client:
    return Client.objects.create(
        code=code,
        birth_year=1988,
        gender=Client.Gender.WOMAN,
        status=Client.Status.ACTIVE,
        registered_at=timezone.now(),
        registered_by=by,
    )


def _second_computer(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    return context


def test_it_refuses_the_second_of_two_incident_corrections_and_shows_both_in_bokmal(
    page, browser, live_server, cast, shot
):
    make_user("kari", Role.DUTY)  # a second duty officer, bokmål as everyone by default
    incident = incident_record(
        kind=Incident.Kind.THREATS,
        occurred_at=timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1),
        area=Incident.Area.ENTRANCE,
        room=None,
        other_party="a passer-by",
        description="Threatened another client in the queue",
        action_taken="Talked him down",
        by=cast["duty"],
    )
    url = f"{live_server.url}/incidents/{incident.pk}/correct/"
    other = _second_computer(browser)
    try:
        kari = other.new_page()
        login(kari, live_server, "kari")
        kari.goto(url)
        login(page, live_server, "duty")
        page.goto(url)

        # The first saves a correction of what happened.
        kari.get_by_label(nb("What happened")).fill("Threatened the guard with a bottle")
        kari.get_by_label(nb("Why it is corrected")).fill("The guard's account")
        with kari.expect_navigation():
            kari.get_by_role("button", name=nb("Save the correction")).click()
        expect(kari.get_by_role("alert").first).to_contain_text(nb("The correction is saved."))

        # The second, on a form opened before, corrects what was done.
        page.get_by_label(nb("What was done")).fill("Police called; he left before they came")
        page.get_by_label(nb("Why it is corrected")).fill("Completed after the shift")
        with page.expect_navigation():
            page.get_by_role("button", name=nb("Save the correction")).click()

        refusal = page.get_by_test_id("stale-edit")
        expect(refusal).to_contain_text(nb(STALE_EDIT))
        expect(refusal).to_contain_text("kari")
        expect(refusal.get_by_role("row", name=nb("What happened"))).to_contain_text(
            "Threatened the guard with a bottle"
        )
        refusal.locator("summary").click()
        expect(refusal).to_contain_text("Police called; he left before they came")  # what they entered, kept
        # The form now shows the incident as saved by the other.
        expect(page.get_by_label(nb("What happened"))).to_have_value("Threatened the guard with a bottle")
        shot("second-correction-refused")
    finally:
        other.close()

    incident.refresh_from_db()
    assert incident.description == "Threatened the guard with a bottle"
    assert incident.action_taken == "Talked him down"


def test_it_refuses_a_follow_up_move_from_a_page_opened_before_the_status_changed_in_english(
    page, browser, live_server, cast, shot
):
    User.objects.filter(username__in=["counselor", "duty"]).update(language="en")
    referral = referral_create(
        client=_client("REFB1988K", cast["reception"]),
        service=ReferralService.objects.get(name_en="NAV (labour and welfare)"),
        by=cast["counselor"],
    )
    url = f"{live_server.url}/interview/referrals/{referral.pk}/"
    later = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    other = _second_computer(browser)
    try:
        duty = other.new_page()
        login(duty, live_server, "duty")
        duty.goto(url)
        login(page, live_server, "counselor")
        page.goto(url)

        # The duty officer marks it sent.
        duty.get_by_label("Sent", exact=True).check()
        with duty.expect_navigation():
            duty.get_by_role("button", name="Change status").click()
        expect(duty.get_by_test_id("referral-status").first).to_have_text("Sent")

        # The counselor, on the page as it was, moves the follow-up date.
        page.get_by_label("Next follow-up").fill(later)
        page.get_by_label("Why is it moved?").fill("NAV has not answered yet")
        with page.expect_navigation():
            page.get_by_role("button", name="Move follow-up date").click()

        refusal = page.get_by_test_id("stale-edit")
        expect(refusal).to_contain_text(STALE_EDIT)
        expect(refusal).to_contain_text("duty")
        expect(refusal.get_by_role("row", name="Status")).to_contain_text("Proposed")
        expect(refusal.get_by_role("row", name="Status")).to_contain_text("Sent")
        refusal.locator("summary").click()
        expect(refusal).to_contain_text("NAV has not answered yet")
        expect(page.get_by_test_id("referral-status").first).to_have_text("Sent")
        shot("follow-up-move-refused")

        # Entered again on the page as it is now, the move is saved on top of the other's change.
        page.get_by_label("Next follow-up").fill(later)
        page.get_by_label("Why is it moved?").fill("NAV has not answered yet")
        with page.expect_navigation():
            page.get_by_role("button", name="Move follow-up date").click()
        expect(page.get_by_test_id("stale-edit")).to_have_count(0)
    finally:
        other.close()

    referral.refresh_from_db()
    assert (referral.status, referral.follow_up_on.isoformat(), referral.version) == (Referral.Status.SENT, later, 3)


def test_it_refuses_the_second_of_two_emergency_record_saves_and_keeps_the_first(
    page, browser, live_server, cast, shot
):
    make_user("hanne", Role.HEALTH)
    emergency, _ = emergency_open(client=_client("EMBR1988K", cast["reception"]), by=cast["health"])
    url = f"{live_server.url}/health/emergencies/{emergency.pk}/"
    other = _second_computer(browser)
    try:
        hanne = other.new_page()
        login(hanne, live_server, "hanne")
        hanne.goto(url)
        login(page, live_server, "health")
        page.goto(url)

        record = hanne.locator(f"form[action='/health/emergencies/{emergency.pk}/record/']")
        record.get_by_label(nb("Notes")).fill("Responded to naloxone after two minutes")
        with hanne.expect_navigation():
            record.get_by_role("button", name=nb("Save the record")).click()
        expect(hanne.locator("#main [role=alert]").first).to_contain_text(
            nb("The record is saved. The earlier version is kept in its history.")
        )

        record = page.locator(f"form[action='/health/emergencies/{emergency.pk}/record/']")
        record.get_by_label(nb("Notes")).fill("Found unresponsive in booth 2")
        with page.expect_navigation():
            record.get_by_role("button", name=nb("Save the record")).click()

        refusal = page.get_by_test_id("stale-edit")
        expect(refusal).to_contain_text(nb(STALE_EDIT))
        expect(refusal).to_contain_text("hanne")
        expect(refusal.get_by_role("row", name=nb("Notes"))).to_contain_text("Responded to naloxone after two minutes")
        refusal.locator("summary").click()
        expect(refusal).to_contain_text("Found unresponsive in booth 2")
        record = page.locator(f"form[action='/health/emergencies/{emergency.pk}/record/']")
        expect(record.get_by_label(nb("Notes"))).to_have_value("Responded to naloxone after two minutes")
        shot("second-record-save-refused")
    finally:
        other.close()

    emergency = Emergency.objects.get(pk=emergency.pk)
    assert emergency.notes == "Responded to naloxone after two minutes"


def test_it_refuses_the_second_of_two_shift_edits_and_names_the_people_changed(page, browser, live_server, cast, shot):
    make_user("liv", Role.COORDINATOR)  # a second planner
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    planned = shift_create(
        starts_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(8))),
        ends_at=timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(15))),
        duty_officer=cast["duty"],
        by=cast["coordinator"],
    )
    url = f"{live_server.url}/roster/shifts/{planned.pk}/"
    other = _second_computer(browser)
    try:
        liv = other.new_page()
        login(liv, live_server, "liv")
        liv.goto(url)
        login(page, live_server, "coordinator")
        page.goto(url)

        liv.locator(f"select[name=role_{cast['health'].pk}]").select_option("health")
        with liv.expect_navigation():
            liv.get_by_role("button", name=nb("Save shift")).click()

        page.get_by_label(nb("Note")).fill("Late start")
        with page.expect_navigation():
            page.get_by_role("button", name=nb("Save shift")).click()

        refusal = page.get_by_test_id("stale-edit")
        expect(refusal).to_contain_text(nb(STALE_EDIT))
        expect(refusal).to_contain_text("liv")
        expect(refusal.get_by_role("row", name=nb("Staff and their roles"))).to_contain_text(
            f"health ({nb('Health worker')})"
        )
        refusal.locator("summary").click()
        expect(refusal).to_contain_text("Late start")
        expect(page.locator(f"select[name=role_{cast['health'].pk}]")).to_have_value("health")
        shot("second-shift-edit-refused")
    finally:
        other.close()

    planned.refresh_from_db()
    assert (planned.note, planned.version) == ("", 2)

"""A referral in real Chromium: made in the interview room, seen at once on the client card at reception."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from counseling.models import Referral
from tests.support.browser import login
from tests.support.pages import nb
from visits.models import Client

pytestmark = pytest.mark.browser

CODE = "REFB1988K"


@pytest.fixture
def known_client(cast):
    return Client.objects.create(
        code=CODE,
        birth_year=1988,
        gender=Client.Gender.WOMAN,
        status=Client.Status.ACTIVE,
        registered_at=timezone.now(),
        registered_by=cast["reception"],
    )


def test_it_makes_a_referral_in_the_interview_room_and_reception_sees_it_on_the_card(
    page, browser, live_server, cast, known_client, shot
):
    login(page, live_server, "counselor")
    assert page.url == f"{live_server.url}/interview/"
    with page.expect_navigation():
        page.get_by_role("link", name=nb("New referral")).click()

    page.get_by_label(nb("Client code")).fill("refb 1988 k")
    page.get_by_label(nb("Service")).select_option(label="NAV")
    page.get_by_label(nb("Note")).fill("Appointment about sickness benefit")
    shot("referral-form")
    with page.expect_navigation():
        page.get_by_role("button", name=nb("Make referral")).click()

    # Back in the interview room, told what was done.
    assert page.url == f"{live_server.url}/interview/"
    expect(page.get_by_role("alert")).to_contain_text(f"{CODE}")
    folder = shot("back-in-the-interview-room").parent
    referral = Referral.objects.get(client=known_client)
    assert referral.created_by == cast["counselor"]

    # Reception, at another computer: the card shows the open referral with its status and follow-up date.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    reception = context.new_page()
    try:
        login(reception, live_server, "reception")
        reception.goto(f"{live_server.url}/clients/{known_client.pk}/")
        open_referrals = reception.get_by_test_id("open-referrals")
        expect(open_referrals).to_contain_text("NAV")
        expect(open_referrals.get_by_test_id("referral-status")).to_have_text(nb("Proposed"))
        expect(open_referrals).to_contain_text(referral.follow_up_on.strftime("%-d.%-m.%Y"))
        reception.screenshot(path=str(folder / "03-client-card-at-reception.png"), full_page=True)
    finally:
        context.close()

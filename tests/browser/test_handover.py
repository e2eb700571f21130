"""The next duty officer logs in, sees the unread handover, reads it and acknowledges it, in real Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from duty.models import HandoverAcknowledgement
from duty.services.handover import handover_write
from duty.services.roster import shift_create
from staff.roles import Role
from tests.support.browser import login
from tests.support.cast import make_user
from tests.support.pages import nb

pytestmark = pytest.mark.browser


def test_it_shows_the_next_duty_officer_the_handover_to_read_and_acknowledge(page, live_server, cast, shot):
    now = timezone.now()
    kari = make_user("kari", Role.DUTY)
    kari.first_name, kari.last_name = "Kari", "Nordmann"
    kari.save()
    day = cast["duty"]
    day.first_name, day.last_name = "Dag", "Vakt"
    day.save()
    shift_create(starts_at=now - dt.timedelta(hours=7), ends_at=now, duty_officer=day, by=cast["coordinator"])
    shift_create(starts_at=now, ends_at=now + dt.timedelta(hours=7), duty_officer=kari, by=cast["coordinator"])
    handover = handover_write(
        by=day,
        stock_problems="Only two boxes of 1 ml syringes left",
        other_notes="Fire alarm test tomorrow at 10",
        now=now - dt.timedelta(minutes=5),
    )

    login(page, live_server, "kari")
    shot("landing-with-unread-banner")

    banner = page.get_by_test_id("unread-handovers")
    expect(banner).to_be_visible()
    expect(page.get_by_test_id("duty-officer")).to_have_text("Kari Nordmann")
    with page.expect_navigation():
        banner.get_by_role("link", name=nb("Read and acknowledge")).click()
    shot("unread-handovers")

    card = page.get_by_test_id("handover")
    expect(card).to_contain_text("Dag Vakt")
    expect(card).to_contain_text("Only two boxes of 1 ml syringes left")
    expect(card).to_contain_text("Fire alarm test tomorrow at 10")

    with page.expect_navigation():
        card.get_by_role("button", name=nb("I have read this handover")).click()
    shot("after-acknowledging")

    expect(page.get_by_test_id("no-unread")).to_be_visible()
    expect(page.get_by_test_id("unread-handovers")).to_have_count(0)
    assert HandoverAcknowledgement.objects.filter(handover=handover, user=kari).count() == 1

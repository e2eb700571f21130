"""A refused check-in in real Chromium: the card says why, one click records the refusal, a reload sends nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.factories import BanFactory, ClientFactory
from tests.support.pages import nb
from visits.models import OpeningHours, OpeningHoursPeriod, Refusal, Visit
from visits.models.facility import END_OF_DAY

pytestmark = pytest.mark.browser


@pytest.fixture
def open_all_day(facility):
    OpeningHours.objects.update(opens=dt.time.min, closes=END_OF_DAY)
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def test_a_banned_client_is_refused_in_one_click_and_a_reload_sends_nothing(
    page, live_server, cast, open_all_day, shot
):
    client = ClientFactory(code="BANN1980K")
    BanFactory(client=client, created_by=cast["duty"], reason="Truet personalet")
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_label(nb("Dose as shown")).fill("0,2 g")

    with page.expect_navigation(url=re.compile(rf"/clients/{client.pk}/$")):
        page.get_by_role("button", name=nb("Check in"), exact=True).click()

    expect(page.get_by_test_id("blockers")).to_contain_text("Truet personalet")
    expect(page.get_by_label(nb("Dose as shown"))).to_have_value("0,2 g")
    shot("card-says-why")
    page.reload()  # a GET of the card: nothing is sent again, and the blockers were shown once
    expect(page.get_by_test_id("blockers")).to_have_count(0)
    assert not Visit.objects.exists()

    with page.expect_navigation(url=re.compile(rf"/clients/{client.pk}/$")):
        page.get_by_role("button", name=nb("Check in"), exact=True).click()
    with page.expect_navigation(url=re.compile(r"/reception/$")):
        page.get_by_role("button", name=nb("Record refusal: %(reason)s") % {"reason": nb("Banned")}).click()

    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        nb("The refusal of %(code)s is recorded: %(reason)s.") % {"code": "BANN1980K", "reason": nb("Banned")}
    )
    shot("refusal-recorded")
    page.reload()
    assert list(Refusal.objects.values_list("client__code", "reason")) == [("BANN1980K", Refusal.Reason.BANNED)]

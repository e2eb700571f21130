"""The duty officer closes the day in real Chromium: one visit with a reason, then everyone left at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django.utils.translation import ngettext, override
from playwright.sync_api import expect

from tests.support.browser import booth_card, login, waiting
from tests.support.factories import booth, heroin, injection
from tests.support.pages import nb
from visits.models import OpeningHours, OpeningHoursPeriod, Visit
from visits.services.rooms import booth_assign, booth_end

pytestmark = pytest.mark.browser


def nb_plural(singular: str, plural: str, count: int) -> str:
    with override("nb"):
        return ngettext(singular, plural, count) % {"count": count}


def closing_soon() -> str:
    """Open since midnight and closing in a quarter of an hour (on the real clock); the closing time, H:i."""
    closes = min(timezone.localtime() + dt.timedelta(minutes=15), timezone.localtime().replace(hour=23, minute=59))
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=closes.time().replace(second=0, microsecond=0))
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)
    return closes.strftime("%H:%M")


def test_the_duty_officer_closes_the_day(page, live_server, cast, shot):
    closing = closing_soon()
    nurse = cast["health"]
    waiting("AB1985M", cast["reception"])
    waiting("CD1985M", cast["reception"])
    waiting("EF1985M", cast["reception"])
    in_booth, observed = (Visit.objects.get(client__code=code) for code in ("CD1985M", "EF1985M"))
    now = timezone.now()
    booth_assign(
        visit=in_booth, booth=booth("1"), route=injection(), substance=heroin(), by=nurse, now=now, confirmed=True
    )
    session = booth_assign(
        visit=observed, booth=booth("2"), route=injection(), substance=heroin(), by=nurse, now=now, confirmed=True
    )
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=nurse, now=now)

    login(page, live_server, "duty")
    page.get_by_role("link", name=nb("Close-out"), exact=True).click()
    expect(page.get_by_test_id("closing-time")).to_have_text(nb("Closing time today: %(time)s") % {"time": closing})
    rows = page.get_by_test_id("inside-row")
    expect(rows).to_have_count(3)
    expect(rows.filter(has_text="CD1985M")).to_contain_text(nb("Booth %(label)s") % {"label": "1"})
    expect(rows.filter(has_text="EF1985M")).to_contain_text(nb("Observation room"))
    shot("close-out-three-inside")

    # One client was taken to hospital: closed on their own, with that reason.
    first = rows.filter(has_text="AB1985M")
    first.get_by_label(nb("Reason for closing the visit of %(code)s") % {"code": "AB1985M"}).select_option(
        label=nb("Transferred (ambulance, hospital, police)")
    )
    first.get_by_role("button", name=f"{nb('Close visit')} AB1985M").click()
    expect(page.locator(".alert-success")).to_contain_text(
        nb("The visit of %(code)s is closed: %(reason)s.")
        % {"code": "AB1985M", "reason": nb("Transferred (ambulance, hospital, police)")}
    )
    expect(rows).to_have_count(2)

    # The rest left at closing: all at once.
    page.get_by_role("button", name=nb_plural("Close %(count)s visit", "Close all %(count)s visits", 2)).click()
    expect(page.locator(".alert-success")).to_contain_text(
        nb_plural("%(count)d visit is closed.", "%(count)d visits are closed.", 2)
    )
    expect(page.get_by_test_id("nobody-inside")).to_have_text(nb("Nobody is inside."))
    shot("close-out-done")

    page.get_by_role("link", name=nb("Floor"), exact=True).click()
    expect(page.get_by_test_id("queue")).to_contain_text(nb("Nobody"))
    expect(booth_card(page, "1")).to_contain_text(nb("Free"))
    expect(page.locator("#board")).to_contain_text(nb("Nobody in observation"))
    for code in ("AB1985M", "CD1985M", "EF1985M"):
        expect(page.locator("#board")).not_to_contain_text(code)
    assert dict(Visit.objects.values_list("client__code", "end_reason")) == {
        "AB1985M": "transferred",
        "CD1985M": "closing",
        "EF1985M": "closing",
    }

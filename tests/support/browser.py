"""Steps the browser tests share: logging in through the form, and a floor to watch on the real clock.

The fixtures (``browser``, ``page``, ``shot``) are in tests/browser/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from tests.support.cast import PASSWORD
from tests.support.pages import nb
from visits.models import Client, OpeningHours, OpeningHoursPeriod, Substance
from visits.services.checkin import visit_check_in

# Screenshots and traces, one folder per test.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form as ``username`` (a member of the ``cast``) and wait for the next page."""
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()


def open_all_day() -> None:
    """The browser tests run on the real clock, so the facility admits at any hour of the day for them."""
    # 00:00 to 24:00 every day: one opening without a closing, so no closing warning or booth question.
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


def waiting(code: str, by) -> None:
    """A client checked in now, waiting in the queue."""
    client = Client.objects.create(
        code=code, birth_year=1985, gender="M", status="active", registered_at=timezone.now(), registered_by=by
    )
    visit_check_in(client=client, by=by, substance=Substance.objects.filter(enabled=True).first())


def booth_card(page, label: str):
    """The booth's card on the page, found by its heading."""
    return page.locator("[data-testid=booth-card]").filter(
        has=page.get_by_role("heading", name=nb("Booth %(label)s") % {"label": label}, exact=True)
    )

"""How many actions each common task takes, counted as a person does them, in real Chromium.

A click is one action, a key pressed is one, and typing a value (a code, a reason) is one. Waiting for the
page is none. Each task starts where staff start it (the empty reception page, the injection room's board,
the observation room's board) and ends when the database holds the result. The counts are ceilings the
interface must keep: a default preselected (the substance brought last time, the next free booth, the
default kit, "leaves" after observation) is what keeps them low.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.support.browser import login
from tests.support.factories import ClientFactory
from tests.support.pages import nb
from visits.models import (
    BoothSession,
    EquipmentItem,
    HandOut,
    ObservationCheck,
    OpeningHours,
    OpeningHoursPeriod,
    Route,
    Substance,
    Visit,
)
from visits.models.facility import END_OF_DAY
from visits.services.checkin import visit_check_in
from visits.services.rooms.booths import booth_assign, booth_end

pytestmark = pytest.mark.browser


class Actions:
    """The page, with every action a person takes on it counted."""

    def __init__(self, page) -> None:
        self.page = page
        self.count = 0

    def click(self, locator) -> None:
        locator.click()
        self.count += 1

    def type(self, text: str) -> None:
        """Typing a value into the focused field: one action, however long the value."""
        self.page.keyboard.type(text)
        self.count += 1

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.count += 1


@pytest.fixture
def open_all_day(facility):
    OpeningHours.objects.update(opens=dt.time.min, closes=END_OF_DAY)
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


@pytest.fixture
def two_substances(facility) -> tuple[Substance, Substance]:
    """The usual first substance, and a second one the returning client brings every time."""
    first = Substance.objects.filter(enabled=True).order_by("position", "pk").first()
    second = Substance.objects.create(name="Kokain", name_en="Cocaine", enabled=True, position=99)
    return first, second


def _in_observation(code: str, cast, *, since: dt.timedelta) -> Visit:
    """A client through the booth and in the observation room for ``since``: past the minimum time."""
    client = ClientFactory(code=code)
    start = timezone.now() - since
    visit = visit_check_in(
        client=client, by=cast["reception"], substance=Substance.objects.filter(enabled=True).first(), now=start
    )
    session = booth_assign(
        visit=visit,
        booth=None,
        route=Route.objects.filter(enabled=True).first(),
        substance=visit.substance,
        by=cast["health"],
        now=start,
        confirmed=True,
    )
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=start)
    return visit


def test_a_returning_client_is_checked_in_in_three_actions_with_the_substance_brought_last_time(
    page, live_server, cast, open_all_day, two_substances
):
    _, usual = two_substances
    client = ClientFactory(code="RETU1980M")
    Visit.objects.create(
        client=client,
        checked_in_at=timezone.now() - dt.timedelta(days=3),
        checked_in_by=cast["reception"],
        location=Visit.Location.GONE,
        location_since=timezone.now() - dt.timedelta(days=3),
        ended_at=timezone.now() - dt.timedelta(days=3),
        ended_by=cast["reception"],
        duration_seconds=0,
        substance=usual,
    )
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    act = Actions(page)

    act.type("retu1980m")  # the search field has the focus when the page opens
    with page.expect_navigation(url=re.compile(rf"/clients/{client.pk}/$")):
        act.press("Enter")
    with page.expect_navigation(url=re.compile(r"/reception/$")):
        act.click(page.get_by_role("button", name=nb("Check in"), exact=True))

    visit = Visit.objects.get(client=client, ended_at__isnull=True)
    assert visit.substance == usual
    assert act.count <= 3, act.count


def test_a_booth_with_the_default_kit_takes_at_most_two_actions(page, live_server, cast, open_all_day):
    client = ClientFactory(code="BOOT1980M")
    visit = visit_check_in(
        client=client, by=cast["reception"], substance=Substance.objects.filter(enabled=True).first()
    )
    kit = {item.pk: item.default_kit_quantity for item in EquipmentItem.objects.filter(enabled=True)}
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/injection/")
    act = Actions(page)

    act.click(page.get_by_role("button", name=f"{nb('Assign booth')} {client.code}"))

    expect(page.get_by_test_id("board-notice")).to_contain_text(client.code)
    assert BoothSession.objects.filter(visit=visit, ended_at__isnull=True).exists()
    handed = dict(HandOut.objects.filter(visit=visit).values_list("item_id", "quantity"))
    assert handed == {pk: n for pk, n in kit.items() if n}
    assert handed, "the facility's default kit is not empty"
    assert act.count <= 2, act.count


def test_an_observation_check_takes_at_most_two_actions(page, live_server, cast, open_all_day):
    visit = _in_observation("OBSE1980M", cast, since=dt.timedelta(minutes=20))
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/observation/")
    act = Actions(page)

    checks = page.get_by_role("group", name=nb("Record a check on %(code)s") % {"code": "OBSE1980M"})
    act.click(checks.get_by_role("button", name=nb("Alert"), exact=True))

    expect(page.get_by_test_id("board-notice")).to_contain_text("OBSE1980M")
    assert ObservationCheck.objects.filter(visit=visit).count() == 1
    assert act.count <= 2, act.count


def test_a_release_takes_at_most_two_actions(page, live_server, cast, open_all_day):
    visit = _in_observation("RELE1980M", cast, since=dt.timedelta(hours=2))
    login(page, live_server, "health")
    page.goto(f"{live_server.url}/observation/")
    act = Actions(page)

    act.click(page.get_by_role("button", name=f"{nb('Release')} RELE1980M"))

    expect(page.get_by_test_id("board-notice")).to_contain_text("RELE1980M")
    visit.refresh_from_db()
    assert visit.ended_at is not None  # "leaves" is the default: released and checked out
    assert act.count <= 2, act.count

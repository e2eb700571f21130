"""Whole visits in real Chromium, each step done by the role that does it, in bokmål and in English.

A new client's first day: registered at reception, accepted at intake by a counselor, checked in, given a
booth by a health worker, observed with checks, an overdose handled to its end on the emergency page, a
referral from the interview room, checked out by the duty officer from the floor. A returning client's
visit done from the keyboard alone. Two staff at once: what one does shows up on the other's floor board.

The browser keeps real time, so the facility admits all day instead of the clock moving. Screenshots of
the key steps go under test-artifacts/<test>/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from counseling.models import Referral
from health.models import Emergency, Intervention
from staff.models import User
from tests.support.browser import ARTIFACTS, login
from visits.models import (
    BoothSession,
    Client,
    Observation,
    ObservationCheck,
    OpeningHours,
    OpeningHoursPeriod,
    Visit,
)

pytestmark = pytest.mark.browser

INTAKE_CRITERIA = (
    "18 years or older",
    "long-term heroin dependence",
    "harmful injection practice",
    "consent to registration given",
    "house rules explained",
    "harm reduction advice given",
)


@pytest.fixture
def open_all_day(facility):
    OpeningHours.objects.update(opens=dt.time(0, 0), closes=dt.time(0, 0))  # 00:00-24:00
    OpeningHoursPeriod.objects.update(last_admission_minutes=0)


class Stations:
    """A browser context per member of staff, each logged in at their own computer, speaking ``lang``."""

    def __init__(self, browser, live_server, request, lang: str) -> None:
        self.browser = browser
        self.live_server = live_server
        self.lang = lang
        self.contexts = []
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
        self.shots = 0

    def t(self, msgid: str, **values: object) -> str:
        with override(self.lang):
            text = gettext(msgid)
        return text % values if values else text

    def open(self, username: str):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        context.set_default_timeout(12_000)
        self.contexts.append(context)
        page = context.new_page()
        login(page, self.live_server, username)
        return page

    def go(self, page, path: str) -> None:
        page.goto(f"{self.live_server.url}{path}")

    def shot(self, page, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = self.folder / f"{self.shots:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def stations(browser, live_server, request, cast, open_all_day):
    lang = getattr(request, "param", "nb")
    User.objects.update(language=lang)
    opened = Stations(browser, live_server, request, lang)
    yield opened
    opened.close()


def _active_client(code: str, by: User) -> Client:
    return Client.objects.create(
        code=code,
        birth_year=int(code[-5:-1]),
        gender=code[-1],
        status=Client.Status.ACTIVE,
        registered_at=timezone.now() - dt.timedelta(days=60),
        registered_by=by,
    )


# A new client's first day ----------------------------------------------------------------------------


@pytest.mark.parametrize("stations", ["nb", "en"], indirect=True, ids=["bokmal", "english"])
def test_it_takes_a_new_client_through_the_first_day_with_each_role_at_its_station(stations, cast):
    t, code = stations.t, "HELD1991K"

    # Reception registers the code that search finds nobody for.
    reception = stations.open("reception")
    reception.locator("#client-search").fill("held 1991 k")
    offer = reception.get_by_role("link", name=t("Register %(code)s as a new client", code=code))
    expect(offer).to_be_visible()
    with reception.expect_navigation():
        offer.click()
    with reception.expect_navigation():
        reception.get_by_role("button", name=t("Register client")).click()
    expect(reception.get_by_test_id("client-status")).to_have_text(t("Pending intake"))
    stations.shot(reception, "reception-registered-pending-intake")
    client = Client.objects.get(code=code)

    # The counselor runs the intake interview and accepts the client.
    counselor = stations.open("counselor")
    with counselor.expect_navigation():
        counselor.locator(".list-group-item", has_text=code).get_by_role("link", name=t("Start intake")).click()
    for criterion in INTAKE_CRITERIA:
        counselor.get_by_label(capfirst(t(criterion)), exact=True).check()
    counselor.get_by_label(t("Accepted"), exact=True).check()
    with counselor.expect_navigation():
        counselor.get_by_role("button", name=t("Save intake")).click()
    expect(counselor.get_by_role("alert")).to_contain_text(
        t("%(code)s is accepted and can now be checked in.", code=code)
    )
    stations.shot(counselor, "counselor-intake-accepted")

    # Reception checks the client in.
    stations.go(reception, "/reception/")
    reception.locator("#client-search").fill(code)
    with reception.expect_navigation():
        reception.locator("#client-search").press("Enter")
    with reception.expect_navigation(url=re.compile(r"/reception/$")):
        reception.get_by_role("button", name=t("Check in"), exact=True).click()
    expect(reception.locator("section[aria-labelledby=inside-heading]")).to_contain_text(code)
    stations.shot(reception, "reception-checked-in")
    visit = Visit.objects.get(client=client, ended_at__isnull=True)

    # A health worker gives the next free booth, then sends the client to observation.
    health = stations.open("health")
    stations.go(health, "/injection/")
    health.get_by_role("button", name=f"{t('Assign booth')} {code}").click()
    expect(health.get_by_test_id("board-notice")).to_contain_text(code)
    stations.shot(health, "health-booth-assigned")
    health.get_by_role("button", name=f"{t('End: to observation')} {code}").click()
    expect(health.get_by_test_id("board-notice")).to_contain_text(t("%(code)s is in the observation room.", code=code))
    assert BoothSession.objects.get(visit=visit).ended_at is not None

    # Observation: a check, then the client cannot be roused: the emergency is opened from the card.
    stations.go(health, "/observation/")
    checks = health.get_by_role("group", name=t("Record a check on %(code)s", code=code))
    checks.get_by_role("button", name=t("Drowsy")).click()
    expect(health.get_by_test_id("board-notice")).to_contain_text(
        t("Check recorded for %(code)s: %(state)s.", code=code, state=t("Drowsy"))
    )
    checks = health.get_by_role("group", name=t("Record a check on %(code)s", code=code))
    checks.get_by_role("button", name=t("Unresponsive")).click()
    # A flagged check answers with the board and its warning on the client's card.
    expect(health.locator("[data-testid=observation-card]", has_text=code).locator(".check-flag")).to_be_visible()
    opener = health.locator("[data-testid=observation-card]", has_text=code).get_by_role(
        "button", name=f"{t('Open emergency')} {code}"
    )
    expect(opener).to_be_visible()
    stations.shot(health, "observation-flagged-check")
    assert ObservationCheck.objects.filter(visit=visit).count() == 2
    with health.expect_navigation(url=re.compile(r"/health/emergencies/\d+/$")):
        opener.click()

    # The overdose handled to its end on the emergency page: naloxone, ambulance called, recovered.
    emergency = Emergency.objects.get(client=client)
    health.locator("select[name=route]").select_option("in")
    health.locator("input[name=dose_mg]").fill("1.8")  # a number field: the browser sends a dot
    with health.expect_navigation():
        health.get_by_role("button", name=t("Naloxone given")).click()
    with health.expect_navigation():
        health.get_by_role("button", name=t("Ambulance called")).click()
    stations.shot(health, "emergency-naloxone-and-ambulance")
    health.get_by_label(t("Recovered on site"), exact=True).check()
    with health.expect_navigation():
        health.get_by_role("button", name=t("Close with this outcome")).click()
    stations.shot(health, "emergency-closed")
    emergency.refresh_from_db()
    assert emergency.ended_at is not None and emergency.outcome == Emergency.Outcome.RECOVERED
    assert Intervention.objects.filter(emergency=emergency, kind="naloxone").count() == 1

    # The counselor refers the client while they are still inside.
    stations.go(counselor, f"/interview/referrals/new/?client={client.pk}")
    counselor.get_by_label(t("Service")).select_option(index=1)
    with counselor.expect_navigation():
        counselor.get_by_role("button", name=t("Make referral")).click()
    stations.shot(counselor, "counselor-referral-made")
    assert Referral.objects.filter(client=client, visit=visit).count() == 1

    # Health releases the client from observation back to the floor; the duty officer checks them out.
    stations.go(health, "/observation/")
    card = health.locator("[data-testid=observation-card]", has_text=code)
    card.get_by_label(t("Afterwards")).select_option("queue")
    card.get_by_label(t("Reason for an early release")).fill("Recovered, wants to sit in the café")
    card.get_by_role("button", name=f"{t('Release')} {code}").click()
    expect(health.get_by_test_id("board-notice")).to_contain_text(
        t("%(code)s is released: %(place)s.", code=code, place="")[:-2]
    )
    assert Observation.objects.get(visit=visit).ended_at is not None

    duty = stations.open("duty")
    stations.go(duty, "/floor/")
    duty.locator(f"#co-v{visit.pk} summary").click()
    duty.get_by_role("button", name=f"{t('Check out')} {code}").click()
    expect(duty.get_by_test_id("board-notice")).to_contain_text(t("%(code)s is checked out.", code=code))
    stations.shot(duty, "floor-checked-out")
    visit.refresh_from_db()
    assert visit.ended_at is not None and visit.location == Visit.Location.GONE


# A returning client, from the keyboard alone ---------------------------------------------------------


def _tab_to(page, name: str, *, limit: int = 400) -> None:
    """Press Tab until the focused element's accessible text or label contains ``name``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; if (!e) return "";
                return [e.textContent, e.getAttribute("aria-label"), e.getAttribute("placeholder"),
                        e.labels && e.labels[0] ? e.labels[0].textContent : ""].join(" | ").replace(/\\s+/g, " "); }"""
        )
        if name in focused:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_it_takes_a_returning_client_through_a_visit_from_the_keyboard_alone(stations, cast):
    """With the shortcuts: "/" to the search, the arrow keys and Enter to a match, the skip links, and the
    focus put where the next action is after each step (docs/accessibility.md)."""
    t, code = stations.t, "KEYB1984M"
    client = _active_client(code, cast["reception"])
    before = _active_client("KEYA1984M", cast["reception"])

    # From the card of the client before, "/" goes back to the code search; a part of the code, the
    # arrow keys to the match, Enter opens its card.
    reception = stations.open("reception")
    stations.go(reception, f"/clients/{before.pk}/")
    with reception.expect_navigation(url=re.compile(r"/reception/$")):
        reception.keyboard.press("/")
    expect(reception.locator("#client-search")).to_be_focused()
    reception.keyboard.type("keyb")
    expect(reception.locator("#search-results a[data-result]")).to_have_count(1)
    reception.keyboard.press("ArrowDown")
    with reception.expect_navigation():
        reception.keyboard.press("Enter")
    expect(reception.get_by_test_id("client-status")).to_have_text(t("Active"))
    _tab_to(reception, t("Check in"))
    with reception.expect_navigation(url=re.compile(r"/reception/$")):
        reception.keyboard.press("Enter")
    expect(reception.locator("#client-search")).to_be_focused()  # ready for the next client
    stations.shot(reception, "keyboard-checked-in")
    visit = Visit.objects.get(client=client, ended_at__isnull=True)

    # The injection room: the skip link to the queue, the booth assigned, and the focus on the booth's
    # next action, ending it.
    health = stations.open("health")
    stations.go(health, "/injection/")
    _tab_to(health, t("Skip to the queue"), limit=3)
    health.keyboard.press("Enter")
    _tab_to(health, f"{t('Assign booth')} {code}")
    health.keyboard.press("Enter")
    expect(health.get_by_test_id("board-notice")).to_contain_text(code)
    expect(health.get_by_role("button", name=f"{t('End: to observation')} {code}")).to_be_focused()
    health.keyboard.press("Enter")
    expect(health.get_by_test_id("board-notice")).to_contain_text(t("%(code)s is in the observation room.", code=code))
    stations.shot(health, "keyboard-to-observation")

    stations.go(health, "/observation/")
    _tab_to(health, t("Reason for an early release"))
    health.keyboard.type("Feels well, leaves")
    _tab_to(health, f"{t('Release')} {code}")
    health.keyboard.press("Enter")
    expect(health.get_by_test_id("board-notice")).to_contain_text(t("%(code)s is released and checked out.", code=code))
    expect(health.locator("#observation-heading")).to_be_focused()
    stations.shot(health, "keyboard-released")
    visit.refresh_from_db()
    assert visit.ended_at is not None
    assert BoothSession.objects.get(visit=visit).ended_at is not None


# Two staff at once -----------------------------------------------------------------------------------


def test_it_shows_one_staff_members_check_in_and_booth_on_anothers_floor_board(stations, cast):
    t, code = stations.t, "TWOB1979M"
    _active_client(code, cast["reception"])

    duty = stations.open("duty")
    stations.go(duty, "/floor/")
    duty.evaluate("window.__sameDocument = true")
    expect(duty.get_by_test_id("queue")).not_to_contain_text(code)

    reception = stations.open("reception")
    reception.locator("#client-search").fill(code)
    with reception.expect_navigation():
        reception.locator("#client-search").press("Enter")
    with reception.expect_navigation(url=re.compile(r"/reception/$")):
        reception.get_by_role("button", name=t("Check in"), exact=True).click()

    expect(duty.get_by_test_id("queue")).to_contain_text(code, timeout=15_000)
    stations.shot(duty, "floor-sees-the-check-in")

    health = stations.open("health")
    stations.go(health, "/injection/")
    health.get_by_role("button", name=f"{t('Assign booth')} {code}").click()
    expect(health.get_by_test_id("board-notice")).to_contain_text(code)

    booth_cards = duty.locator("[data-testid=booth-card]", has_text=code)
    expect(booth_cards).to_have_count(1, timeout=15_000)
    expect(duty.get_by_test_id("queue")).not_to_contain_text(code)
    assert duty.evaluate("window.__sameDocument === true"), "the floor page was reloaded"
    stations.shot(duty, "floor-sees-the-booth")

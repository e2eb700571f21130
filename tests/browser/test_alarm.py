"""The alarm in real Chromium: an emergency opened in the injection room sounds on the reception's page
within the poll interval; "I am on it" at one station shows who answered at both and stops the sound.
A wall display shows the floor board and keeps it current without anyone logged in."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext, override
from playwright.sync_api import expect

from staff.models import Display, User
from staff.services.displays import display_create, displays_revoke
from tests.support.browser import booth_card, login, open_all_day, waiting
from visits.models import Booth, Route, Visit
from visits.services.rooms import booth_assign

pytestmark = pytest.mark.browser
POLL = 12_000  # the 5 s poll, twice, and a busy machine


def _in_booth(code: str, cast) -> None:
    waiting(code, cast["reception"])
    visit = Visit.objects.get(client__code=code)
    booth_assign(
        visit=visit,
        booth=Booth.objects.get(label="2"),
        route=Route.objects.filter(enabled=True).first(),
        substance=visit.substance,
        by=cast["health"],
    )


@pytest.mark.parametrize("lang", ["nb", "en"], ids=["bokmal", "english"])
def test_an_emergency_sounds_at_reception_and_i_am_on_it_shows_at_both(page, browser, live_server, cast, shot, lang):
    def t(msgid: str) -> str:
        with override(lang):
            return gettext(msgid)

    User.objects.update(language=lang)
    open_all_day()
    waiting("ALRM1985M", cast["reception"])  # in the queue, waiting for a booth

    # Reception at its own computer; a click on the page lets the browser play sound.
    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    page.locator("h1").first.click()
    expect(page.get_by_test_id("alarm")).to_have_count(0)

    other = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    try:
        nurse = other.new_page()
        nurse.set_default_timeout(POLL)
        login(nurse, live_server, "health")
        nurse.goto(f"{live_server.url}/injection/")
        queued = nurse.get_by_test_id("person-row").filter(has_text="ALRM1985M")
        queued.get_by_test_id("open-emergency").click()
        nurse.wait_for_url(f"{live_server.url}/health/emergencies/*/")

        # Within the poll interval the reception's page shows the alarm, sounding.
        alarm = page.get_by_test_id("alarm")
        expect(alarm).to_contain_text("ALRM1985M", timeout=POLL)
        expect(alarm).to_contain_text(t("Reception or waiting room"))
        expect(alarm).to_have_attribute("data-alarm", "sounding")
        wrap = page.locator("[data-alarm-wrap]")
        expect(wrap).to_have_attribute("data-sound", "playing")
        assert page.evaluate("!document.querySelector('[data-alarm-audio]').paused")
        timer = alarm.locator("[data-since]")
        before = timer.inner_text()
        page.wait_for_function(
            "before => document.querySelector('[data-testid=alarm] [data-since]').textContent !== before",
            arg=before,
            timeout=6_000,
        )
        shot(f"reception-alarm-sounding-{lang}")

        # The health worker answers from the banner on their page.
        nurse_alarm = nurse.get_by_test_id("alarm")
        nurse_alarm.get_by_role("button", name=f"{t('I am on it')} ALRM1985M").click()
        expect(nurse.get_by_test_id("alarm-responders")).to_contain_text("health")
        expect(nurse_alarm).to_have_attribute("data-alarm", "answered")

        # ...and the reception sees who is on it, and the sound stops.
        expect(page.get_by_test_id("alarm-responders")).to_contain_text(t("On it:"), timeout=POLL)
        expect(page.get_by_test_id("alarm-responders")).to_contain_text("health")
        expect(alarm).to_have_attribute("data-alarm", "answered")
        expect(wrap).to_have_attribute("data-sound", "off")
        assert page.evaluate("document.querySelector('[data-alarm-audio]').paused")
        shot(f"reception-alarm-answered-{lang}")
    finally:
        other.close()


def test_a_station_silences_the_alarm_for_itself_and_it_stays_silenced(page, live_server, cast):
    open_all_day()
    _in_booth("SILN1985M", cast)
    from health.services import emergency_open

    emergency_open(client=Visit.objects.get(client__code="SILN1985M").client, by=cast["health"])

    login(page, live_server, "reception")
    page.goto(f"{live_server.url}/reception/")
    alarm = page.get_by_test_id("alarm")
    expect(alarm).to_have_attribute("data-alarm", "sounding")

    alarm.get_by_test_id("alarm-silence").click()
    expect(alarm).to_have_attribute("data-alarm", "silenced")
    expect(page.locator("[data-alarm-wrap]")).to_have_attribute("data-sound", "off")

    page.reload()
    expect(page.get_by_test_id("alarm")).to_have_attribute("data-alarm", "silenced")


def test_a_blocked_sound_shows_a_button_to_allow_it(browser, live_server, cast):
    open_all_day()
    _in_booth("BLOK1985M", cast)
    from health.services import emergency_open

    emergency_open(client=Visit.objects.get(client__code="BLOK1985M").client, by=cast["health"])
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        # A browser that refuses sound until someone clicks, as many do.
        page.add_init_script(
            "HTMLMediaElement.prototype.play = function () {"
            " return Promise.reject(new DOMException('blocked', 'NotAllowedError')); };"
        )
        login(page, live_server, "reception")
        page.goto(f"{live_server.url}/reception/")

        expect(page.locator("[data-alarm-wrap]")).to_have_attribute("data-sound", "blocked")
        expect(page.get_by_test_id("alarm-unblock")).to_be_visible()
    finally:
        context.close()


def test_a_wall_display_shows_the_board_and_keeps_it_current_without_a_login(page, live_server, cast, shot):
    open_all_day()
    _in_booth("WALL1985M", cast)
    display = Display(name="Staff room")
    token = display_create(display=display, by=cast["admin"])

    page.goto(f"{live_server.url}/display/{token}/")
    page.wait_for_url(f"{live_server.url}/display/")
    expect(booth_card(page, "2")).to_contain_text("WALL1985M")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    expect(page.locator("form")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")

    # Someone checks in at reception: the display shows it at its next poll, without a reload.
    waiting("NEXT1990K", cast["reception"])
    expect(page.get_by_test_id("queue")).to_contain_text("NEXT1990K", timeout=POLL)
    assert page.evaluate("window.__sameDocument === true")

    # An emergency shows on the display's banner too.
    from health.services import emergency_open

    emergency_open(client=Visit.objects.get(client__code="WALL1985M").client, by=cast["health"])
    expect(page.get_by_test_id("alarm")).to_contain_text("WALL1985M", timeout=POLL)
    expect(page.get_by_test_id("alarm-answer")).to_have_count(0)
    shot("wall-display")


def test_a_revoked_wall_display_shows_why_at_its_next_full_poll(page, live_server, cast):
    open_all_day()
    display = Display(name="Corridor")
    token = display_create(display=display, by=cast["admin"])
    page.goto(f"{live_server.url}/display/{token}/")
    expect(page.get_by_test_id("display-name")).to_contain_text("Corridor")

    displays_revoke(displays=Display.objects.filter(pk=display.pk), by=cast["admin"])
    # A change on the floor sends the next poll the whole way (so does the minute, in under 65 s).
    waiting("GONE1990K", cast["reception"])

    expect(page.get_by_test_id("display-denied")).to_be_visible(timeout=POLL)

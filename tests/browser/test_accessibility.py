"""WCAG 2.1 A and AA on every page, for everyone who may open it: axe-core in real Chromium.

Every URL pattern of the permission matrix (staff/matrix.py) is opened by every viewer the matrix lets
open it by GET (each role, a user without a role, an anonymous visitor; a superuser for the admin; a
wall display for its board), its path parameters filled with the records of
tests.support.scenes.records (tests.support.urls.urls_to_open, as the access-log invariant does), in
bokmål and in English, at 1280x800 and at tablet size (800x1280). The boards are busy
(tests.support.scenes.busy: six booths taken with timers running, due soon and overdue, four in
observation with a flagged check and an overdue one, three waiting, an open emergency). axe-core
(tests.support.axe) runs the WCAG 2.0/2.1 A and AA rules on each page and must find nothing. Then the
states a page only reaches by being used: each board after its refresh (an htmx morph), after an action's
notice and after an action's error; and the forms after a submit with errors.

Run time: every viewer in both languages at both sizes (about 700 page checks) took five to eight minutes,
too long to run twice in CI. So each page is checked in all four combinations by the first viewer who may
open it (its owner, in VIEWERS' order), and on PostgreSQL every viewer also opens all of its pages in one
combination, in turn (reception in bokmål at 1280x800, the counselor in bokmål at 800x1280 ...): the
layout and the language are checked on every page, and every role's version of a page once. On SQLite
(axe reads the HTML, which does not depend on the database) each page is checked once, by its owner.

Left out, and why: addresses that answer with a fragment (a board's refresh, the search results, the
alarm banner's poll: checked inside their page, after a swap), a file (the CSV exports), a redirect (its
target is checked as itself) or JSON (/healthz); the admin's change, delete and history pages (Django's
own templates: the index, each list and each add form stand for them); the admin's logout and the
display's secret link (they end the session or set the display's cookie).
"""

from __future__ import annotations

import itertools
import time

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError

from staff.displays import DISPLAY_COOKIE
from staff.matrix import ROLES, rule_for
from staff.models import Display, User
from staff.services.displays import display_create
from tests.support.axe import report, violations
from tests.support.browser import login, open_all_day
from tests.support.cast import PASSWORD
from tests.support.scenes.busy import busy_floor
from tests.support.scenes.records import plant_records
from tests.support.urls import urls_to_open

pytestmark = pytest.mark.browser

POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
SIZES = {"1280x800": {"width": 1280, "height": 800}, "800x1280": {"width": 800, "height": 1280}}
LANGUAGES = ("nb", "en")
COMBINATIONS = list(itertools.product(LANGUAGES, SIZES))
VIEWERS = [*ROLES, "superuser", "display"]
# Opening these ends the session, leaves the site or sets the display's cookie.
NOT_OPENED = {"admin:logout", "admin:view_on_site", "staff:logout", "staff:switch-user", "visits:display-enter"}
# The forms checked after a submit with errors (sent empty, past the browser's own checks), and who sends them.
FORMS = {
    "reception": ["visits:client-register", "visits:contact-create", "counseling:referral-create"],
    "counselor": ["counseling:intake-create", "counseling:session-create"],
    "health": ["health:service-create", "health:stocktake"],
    "duty": ["staff:incident-create", "visits:ban-create"],
    "coordinator": ["staff:shift-create"],
    "admin": ["admin:visits_substance_add", "admin:staff_user_add"],
}
BOARDS = ["visits:floor", "visits:injection", "visits:observation"]
# Who owns a page (checks it in every combination): the first of these who may open it. The visitors
# without a role come first (their login and landing pages are not the redirects staff get), and the
# superuser before the admin role (it opens every admin page; the role is refused some).
OWNERS = [
    "anonymous",
    "norole",
    "display",
    "superuser",
    *(v for v in VIEWERS if v not in {"anonymous", "norole", "display", "superuser"}),
]


def combination_for(viewer: str) -> tuple[str, str]:
    """The language and size ``viewer`` opens all of its pages in: each viewer the next."""
    return COMBINATIONS[VIEWERS.index(viewer) % len(COMBINATIONS)]


def checks_for(viewer: str, urls: list[tuple[str, str]]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(language, size, pages) for ``viewer``: the pages it owns (no viewer before it in OWNERS may open
    them) in every combination, and on PostgreSQL the rest of its pages in its own combination."""
    earlier = {name for other in OWNERS[: OWNERS.index(viewer)] for name, _path in pages_for(other, urls)}
    pages = pages_for(viewer, urls)
    owned = [(name, path) for name, path in pages if name not in earlier]
    own = combination_for(viewer)
    checks = []
    for language, size in COMBINATIONS:
        shown = pages if POSTGRES and (language, size) == own else owned if POSTGRES or (language, size) == own else []
        if shown:
            checks.append((language, size, shown))
    return checks


def _admin_form(name: str) -> bool:
    return name.startswith("admin:") and name.endswith(("_changelist", "_add"))


def pages_for(viewer: str, urls: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The addresses the matrix lets ``viewer`` open by GET, the first record's for each pattern."""
    seen: dict[str, str] = {}
    for name, path in urls:
        if not name or name in seen or name in NOT_OPENED:
            continue
        if viewer == "display":
            allowed = name.startswith("visits:display")
        elif viewer == "superuser":
            allowed = name in {"admin:index", "admin:password_change", "admin:app_list"} or _admin_form(name)
        else:
            rule = rule_for(name, path)
            outcome = rule.outcome(viewer, "GET") if rule else "D"
            allowed = outcome == "A" or (outcome == "P" and _admin_form(name))
        if allowed:
            seen[name] = path
    return list(seen.items())


class Scene:
    """The busy floor and the records, planted at the real moment (the browser and the server tick on it)."""

    def __init__(self, cast) -> None:
        now = timezone.now()
        open_all_day()
        self.seed = plant_records(cast, noon=now)
        busy_floor(cast, now=now)
        self.token = display_create(display=Display(name="Staff room"), by=cast["admin"])
        cast["superuser"] = User.objects.create_superuser(username="superuser", password=PASSWORD)
        self.cast = cast
        self.urls, _undecided = urls_to_open(self.seed.rows, self.token)
        self.paths = dict(reversed(self.urls))  # the first record's address for each name

    def open(self, browser, live_server, viewer: str, language: str, size: str):
        """A browser context as ``viewer`` sees the site, in ``language`` at ``size``, logged in; its page."""
        if viewer in self.cast:
            User.objects.filter(pk=self.cast[viewer].pk).update(language=language)
        context = browser.new_context(viewport=SIZES[size], locale="en-GB", reduced_motion="reduce")
        context.set_default_timeout(15_000)
        context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
        if viewer == "display":
            context.add_cookies([{"name": DISPLAY_COOKIE, "value": self.token, "url": live_server.url}])
        page = context.new_page()
        if viewer in self.cast:
            login(page, live_server, viewer)
        return page


def _whole_page(page, live_server, path: str) -> str:
    """Open ``path``; "" when it answered a whole HTML page, else what it answered instead."""
    try:
        response = page.goto(live_server.url + path)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return "a file"
        raise
    if response is None:
        return "nothing"
    kind = response.headers.get("content-type", "")
    if response.status != 200 or "text/html" not in kind:
        return f"{response.status} {kind}"
    if page.url.split("?")[0] != live_server.url + path.split("?")[0]:
        return f"a redirect to {page.url.removeprefix(live_server.url)}"
    if "<html" not in response.text().lower():
        return "a fragment"
    return ""


@pytest.fixture
def scene(cast, live_server) -> Scene:
    return Scene(cast)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_meets_wcag_21_aa_for_everyone_who_may_open_it(browser, live_server, scene, viewer):
    started = time.monotonic()
    checks = checks_for(viewer, scene.urls)
    found, left_out, checked = [], {}, 0
    for language, size, pages in checks:
        page = scene.open(browser, live_server, viewer, language, size)
        for name, path in pages:
            if answer := _whole_page(page, live_server, path):
                left_out[name] = answer
                continue
            checked += 1
            found += violations(page, f"{path} ({name}) as {viewer}, {language}, {size}")
        page.context.close()
    print(f"\n{viewer}: {checked} pages checked in {time.monotonic() - started:.1f} s; left out: {left_out}")

    assert checked >= len(checks), f"{viewer} saw no page"
    assert not found, report(found)


def _settled(page) -> None:
    """Wait for htmx to finish what it is doing (the next afterSettle, or none under way)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_timeout(100)


_OPEN_FIRST_CHECK = """() => {
  const form = document.querySelector('form.check-form');
  for (let up = form.closest('details'); up; up = up.parentElement.closest('details')) up.open = true;
}"""
_BAD_CHECK = """() => { document.querySelector('form.check-form button[value=alert]').value = 'x'; }"""


def test_the_boards_meet_wcag_21_aa_after_a_refresh_a_notice_and_an_error(browser, live_server, scene):
    found = []
    for language, size in COMBINATIONS if POSTGRES else COMBINATIONS[:1]:
        page = scene.open(browser, live_server, "duty", language, size)
        for name in BOARDS:
            where = f"{name} as duty, {language}, {size}"
            assert not _whole_page(page, live_server, scene.paths[name])
            # The board's refresh: morphed in by htmx.
            with page.expect_response(lambda r: "board" in r.url):
                page.evaluate("() => htmx.trigger(document.querySelector('[data-board]'), 'board-refresh')")
            _settled(page)
            found += violations(page, f"{where}, after a refresh")
            if name == "visits:floor":
                continue
            # An action's notice: a check recorded on the first card that offers one (opened if folded).
            page.evaluate(_OPEN_FIRST_CHECK)
            page.locator("form.check-form button[value=alert]:visible").first.click()
            page.locator("[data-testid=board-notice]").wait_for()
            _settled(page)
            found += violations(page, f"{where}, after a notice")
            # An action's error: a check in a state there is none of.
            page.evaluate(_OPEN_FIRST_CHECK)
            page.evaluate(_BAD_CHECK)
            page.locator("form.check-form button[value=x]").first.click()
            page.locator("[data-testid=board-error]").wait_for()
            _settled(page)
            found += violations(page, f"{where}, after an error")
        page.context.close()

    assert not found, report(found)


_SUBMIT_EMPTY = """() => {
  const forms = [...document.querySelectorAll('main form[method=post], #content form[method=post]')];
  const form = forms.sort((a, b) => b.elements.length - a.elements.length)[0];
  form.noValidate = true;
  for (const field of form.elements) {
    if (field.type === 'hidden' || field.type === 'submit' || field.type === 'button') continue;
    if (field.type === 'checkbox' || field.type === 'radio') field.checked = false;
    else if (field.tagName === 'SELECT') field.selectedIndex = field.multiple ? -1 : 0;
    else field.value = '';
  }
  form.requestSubmit();
}"""


def test_the_forms_meet_wcag_21_aa_after_a_submit_with_errors(browser, live_server, scene):
    found = []
    page = scene.open(browser, live_server, "anonymous", "nb", "800x1280")
    page.goto(live_server.url + "/login/")
    page.locator("input[name=username]").fill("reception")
    page.locator("input[name=password]").fill("not-the-password")
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
    found += violations(page, "staff:login as anonymous, after a wrong password")
    page.context.close()
    for number, (viewer, names) in enumerate(FORMS.items()):
        language, size = COMBINATIONS[number % len(COMBINATIONS)]
        page = scene.open(browser, live_server, viewer, language, size)
        for name in names:
            assert not _whole_page(page, live_server, scene.paths[name]), name
            with page.expect_navigation():
                page.evaluate(_SUBMIT_EMPTY)
            errors = page.locator(".invalid-feedback, .errorlist, .alert-danger, .errornote")
            assert errors.count(), f"{name}: no error shown after an empty submit"
            found += violations(page, f"{name} as {viewer}, {language}, {size}, after a submit with errors")
        page.context.close()

    assert not found, report(found)

"""Real Chromium through Playwright, for tests that need a browser: JavaScript, focus, what is visible.

Fixtures: ``browser`` (one Chromium for the session), ``page`` (a fresh context and tab per test),
``shot(name)`` (a screenshot under test-artifacts/). Log in with ``tests.support.browser.login``.
Debian's Chromium is used; without it the tests skip, unless REQUIRE_BROWSER=1 (CI) makes them fail.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.support.browser import ARTIFACTS

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database queries that live_server tests make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -r requirements-dev.txt)")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    # An English browser on purpose: the app speaks bokmål whatever the browser asks for.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shot(page, request):
    """``shot("after-login")`` saves test-artifacts/<test>/<n>-after-login.png, numbered in order."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    taken = []

    def take(name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(taken) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take

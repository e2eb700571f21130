"""Steps browser tests share."""

from __future__ import annotations

from tests.conftest import PASSWORD


def login(page, live_server, username: str, password: str = PASSWORD) -> None:
    """Log in through the login form as ``username`` (a member of the ``cast``) and wait for the next page."""
    page.goto(f"{live_server.url}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()

"""What the tests read off a page: the navigation, the page's language, the text in bokmål."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.test import Client
from django.utils.translation import gettext, override

from tests.conftest import PASSWORD

# The refusal of a save from a form opened before someone else's (core.versioning.StaleEdit).
STALE_EDIT = (
    "Someone else saved this record after you opened it. Nothing was saved: check what changed below and enter "
    "your change again."
)


def nb(text: str) -> str:
    """``text`` as a bokmål page shows it: the catalogue's translation, or the source until there is one."""
    with override("nb"):
        return gettext(text)


class _NavLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a" and "nav-link" in (attributes.get("class") or "").split():
            self.hrefs.append(attributes.get("href") or "")


def nav_hrefs(html: str) -> list[str]:
    """The addresses of the station links in the top navigation, in order."""
    parser = _NavLinks()
    parser.feed(html)
    return parser.hrefs


def html_lang(html: str) -> str | None:
    match = re.search(r"<html[^>]*\blang=\"([^\"]*)\"", html)
    return match.group(1) if match else None


def log_in(client: Client, username: str, password: str = PASSWORD):
    """Log in through the login form as a person does; the response is the page they end up on."""
    return client.post("/login/", {"username": username, "password": password}, follow=True)

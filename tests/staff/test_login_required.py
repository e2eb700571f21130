"""Every page asks for a login first, except the few that must answer before one.

The pages are found by walking the URL resolver, so a page added later is checked without being
listed here; a new page that is open to anyone fails this test until it is added to OPEN_PAGES.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as c  # private, but the one parser of Python's regexes
from re import _parser
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern

from reports.urls import MonthConverter

# Pages open before login, by URL name: the login page itself, the load balancer's probe and the
# language switch (POST-only, so a GET is refused with 405 rather than redirected); and a wall display's
# pages, which ask for the display's token instead (a 403 page without it: tests/staff/test_displays.py).
OPEN_PAGES = {
    "staff:login",
    "healthz",
    "staff:language",
    "visits:display-enter",
    "visits:display",
    "visits:display-board",
    "health:display-alarm",
}

SAMPLES = {
    IntConverter: "1",
    StringConverter: "X",
    SlugConverter: "x",
    UUIDConverter: "00000000-0000-4000-8000-000000000001",
    PathConverter: "1",
    MonthConverter: "2026-03",
}
_CONVERTER = re.compile(r"<(?:[^>:]+:)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name", or "" for an unnamed pattern
    url: str
    callback: object


def _route_sample(pattern: RoutePattern) -> str:
    def sample(match: re.Match) -> str:
        converter = pattern.converters[match.group("name")]
        if type(converter) not in SAMPLES:
            raise LookupError(f"No sample value for {type(converter).__name__} in {pattern}; add one to SAMPLES.")
        return SAMPLES[type(converter)]

    return _CONVERTER.sub(sample, str(pattern))


def _regex_sample(regex: str) -> str:
    """A short string ``regex`` matches: the first branch of each choice, each repeat once."""

    def emit(items) -> str:
        out = []
        for op, arg in items:
            if op is c.LITERAL:
                out.append(chr(arg))
            elif op is c.ANY:
                out.append("x")
            elif op is c.AT:
                continue
            elif op is c.BRANCH:
                out.append(emit(arg[1][0]))
            elif op is c.SUBPATTERN:
                out.append(emit(arg[-1]))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                low, _high, sub = arg
                out.append(emit(sub) * max(low, 1))
            elif op is c.IN:
                first_op, first_arg = arg[0]
                if first_op is c.LITERAL:
                    out.append(chr(first_arg))
                elif first_op is c.RANGE:
                    out.append(chr(first_arg[0]))
                elif first_op is c.CATEGORY and first_arg is c.CATEGORY_DIGIT:
                    out.append("1")
                else:
                    out.append("x")
            else:
                raise LookupError(f"Cannot make a sample URL for the regex {regex!r} ({op}).")
        return "".join(out)

    return emit(_parser.parse(regex))


def _sample(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_sample(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_sample(str(pattern))
    raise LookupError(f"Unknown pattern type {type(pattern).__name__}")


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Page]:
    for entry in patterns:
        url = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            yield from _walk(entry.url_patterns, url, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Page(name=name, url="/" + url, callback=entry.callback)


PAGES = list(_walk(get_resolver().url_patterns))
GUARDED = [page for page in PAGES if page.name not in OPEN_PAGES]


def test_it_walks_the_station_pages_and_the_admin():
    urls = {page.url for page in PAGES}

    assert {"/", "/reception/", "/interview/", "/injection/", "/dashboard/", "/admin/", "/admin/staff/user/"} <= urls


def test_it_knows_every_page_left_open():
    # A renamed login or health check would otherwise silently join the guarded pages' checks.
    assert {page.name for page in PAGES} >= OPEN_PAGES


@pytest.mark.django_db
@pytest.mark.parametrize("page", GUARDED, ids=[page.url for page in GUARDED])
def test_it_sends_an_anonymous_visitor_to_the_login_page(client, page):
    assert resolve(page.url).func is page.callback, f"{page.url} reaches another page; give it a better sample"

    response = client.get(page.url, follow=True)

    # The admin goes through its own login address first; everything ends at the one login page.
    assert response.redirect_chain, f"{page.url} answered {response.status_code} without a login"
    assert response.redirect_chain[-1][0] == f"/login/?next={quote(page.url, safe='/')}"
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()

"""Every page asks for a login first, except the few that must answer before one.

The pages are found by walking the URL resolver, so a page added later is checked without being
listed here; a new page that is open to anyone fails this test until it is added to OPEN_PAGES.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import resolve

from tests.support.urls import PAGES

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

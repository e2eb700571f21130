"""No page carries inline script, style attributes or on* handlers: the Content-Security-Policy forbids
them, so a page that had any would silently lose its behaviour or look in the browser."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from counseling.models import Referral
from health.models import Emergency
from staff.matrix import ROLES, rule_for
from tests.support.urls import REACHABLE

# Pages whose address names one object: the object of the ``history`` fixture to show there.
OBJECT_PAGES = {
    "visits:client-detail": "client",
    "counseling:client-timeline": "client",
    "health:client-history": "client",
    "audit:client-report": "client",
    "health:emergency-detail": "emergency",
    "health:emergency-sheet": "emergency",
    "counseling:referral-detail": "referral",
}
PAGES = [
    page
    for page in REACHABLE
    if not page.url.startswith("/admin/")
    and page.name not in {"healthz", "audit:client-export", "reports:monthly-csv", "reports:annual-csv"}
    and "A" in rule_for(page.name, page.url).get  # POST-only actions render no page of their own
]


class InlineCode(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.problems.append("<style> element")
        # Data for a script (``json_script``: type application/json) is never run, so it is allowed.
        self._in_script = tag == "script" and "src" not in names and names.get("type") != "application/json"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")


def problems(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.problems


def test_it_finds_inline_code():
    html = '<div style="x" onclick="y"></div><script>alert(1)</script><script src="a.js"></script>'
    data = '<script type="application/json" id="d">{"a": 1}</script>'

    assert len(problems(html)) == 3
    assert problems(data) == []


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_the_page_has_no_inline_script_or_style(client, cast, history, at_noon, page):
    rule = rule_for(page.name, page.url)
    role = next(r for r in ROLES if rule.outcome(r, "GET") == "A")
    if role != "anonymous":
        client.force_login(cast[role])
    url = page.url
    if page.name in OBJECT_PAGES:
        obj = {
            "client": history,
            "emergency": Emergency.objects.filter(client=history).first(),
            "referral": Referral.objects.filter(client=history).first(),
        }[OBJECT_PAGES[page.name]]
        url = reverse(page.name, kwargs={"pk": obj.pk})

    response = client.get(url, follow=True)

    assert response.status_code < 500
    if "text/html" in response.get("Content-Type", ""):
        assert problems(response.content.decode()) == [], url


@pytest.mark.parametrize("template", ["404.html", "500.html", "403.html"])
def test_the_error_pages_have_no_inline_style(template):
    from django.template.loader import get_template

    assert problems(get_template(template).render({})) == []

"""Every page and action, for every role, a user without a role and an anonymous visitor, against the
one permission matrix in staff/matrix.py (and docs/permissions.md, rendered from it)."""

from __future__ import annotations

import pytest
from django.conf import settings

from staff.matrix import ADMIN_MODEL_PAGES, MATRIX, ROLES, SHADOWED, Rule, render_markdown, rule_for
from tests.support.urls import PAGES, REACHABLE


def _outcome(response) -> str:
    if response.status_code in (301, 302) and "/login/" in response.get("Location", ""):
        return "L"
    if response.status_code == 403:
        return "D"
    if response.status_code == 405:
        return "M"
    assert response.status_code < 500, f"{response.status_code} from {response.request['PATH_INFO']}"
    return "A"


def test_it_has_a_decision_for_every_page():
    missing = sorted({page.name or page.url for page in PAGES if rule_for(page.name, page.url) is None})

    assert not missing, f"Pages without a row in staff/matrix.py (decide who may use them): {missing}"


def test_it_lists_as_shadowed_only_the_pages_another_answers():
    shadowed = {page.name for page in PAGES if page not in REACHABLE and not page.url.startswith("/admin/")}

    assert shadowed == SHADOWED


def test_it_rejects_a_rule_with_a_letter_per_role_missing():
    with pytest.raises(ValueError):
        Rule("AAA", "AAAAAAAA")


def test_the_docs_match_the_code():
    text = (settings.BASE_DIR / "docs" / "permissions.md").read_text(encoding="utf-8")

    assert text == render_markdown(), "docs/permissions.md is stale: run `python manage.py permission_matrix --write`"


def test_the_docs_name_every_role_and_page():
    text = render_markdown()

    assert all(role in text for role in ROLES)
    assert all(f"`{name}`" in text for name in MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize("page", REACHABLE, ids=[page.name or page.url for page in REACHABLE])
def test_it_gives_each_role_what_the_matrix_says(client, cast, page):
    rule = rule_for(page.name, page.url)
    assert rule is not None, f"{page.name or page.url} has no row in staff/matrix.py"
    wrong = []
    for role in ROLES:
        for method in ("GET", "POST"):
            client.logout()
            if role != "anonymous":
                client.force_login(cast[role])
            response = client.get(page.url) if method == "GET" else client.post(page.url, {})
            got = _outcome(response)
            expected = rule.outcome(role, method)
            if expected == "P" and got in "AD":
                continue
            if got != expected:
                wrong.append(f"{role} {method}: expected {expected}, got {got} ({response.status_code})")

    assert not wrong, f"{page.name} {page.url}: " + "; ".join(wrong)


def test_the_admin_model_pages_are_for_administrators_only():
    assert ADMIN_MODEL_PAGES.get.count("P") == 1
    assert ADMIN_MODEL_PAGES.outcome("admin", "GET") == "P"

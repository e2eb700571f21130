"""Consumption is never called "inntak" in bokmål: it read like "inntakssamtale", the intake interview."""

from __future__ import annotations

import re

import pytest

from tests.support.pages import text_of

pytestmark = pytest.mark.django_db

# "Inntak" alone or in "inntaksmåte", never the intake interview ("inntakssamtale") nor "unntak".
CONFUSABLE = re.compile(r"\b[Ii]nntak(?!ssamtal)")

PAGES = ["/dashboard/?period=last_month", "/reports/monthly/2026-03/", "/reports/day/2026-03-10/"]


@pytest.mark.parametrize("url", PAGES)
def test_it_names_consumption_so_it_is_not_read_as_intake(march, client_for, url):
    response = client_for("coordinator").get(url)

    text = text_of(response.content)
    assert response.status_code == 200
    assert "Bruksepisoder" in text
    assert CONFUSABLE.findall(text) == []


def test_it_calls_the_route_the_way_of_use_on_the_dashboard(march, client_for):
    text = text_of(client_for("coordinator").get(PAGES[0]).content)

    assert "Etter bruksmåte" in text
    assert "Inntakssamtaler" in text  # the intake interviews keep their name, now the only "inntak"

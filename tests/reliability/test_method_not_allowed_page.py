"""An action that only a form may send, opened by its address, answers 405 with a page saying why.

Without it the browser shows its own bare "HTTP ERROR 405".
"""

from __future__ import annotations

import pytest

from tests.support.pages import text_of

PAGE = "Denne adressen er en handling, ikke en side"


@pytest.mark.parametrize("path", ["/roster/copy/", "/language/", "/switch-user/", "/session/ping/"])
def test_it_answers_a_get_to_an_action_with_a_page_saying_why(client_for, path):
    response = client_for("coordinator").get(path)

    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert PAGE in text_of(response.content)


def test_it_answers_htmx_with_a_line_rather_than_a_page(client_for):
    response = client_for("coordinator").get("/session/ping/", HTTP_HX_REQUEST="true")

    assert response.status_code == 405
    assert "Denne handlingen kan ikke sendes slik." in text_of(response.content)
    assert "<html" not in response.content.decode()

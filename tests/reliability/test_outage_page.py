"""While the database is unreachable, staff get a 503 "try again" page, never the generic error page."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client as HttpClient

from stations.views import floor
from tests.support.pages import nb


@pytest.fixture
def duty_browser(cast):
    browser = HttpClient(raise_request_exception=False)
    browser.force_login(cast["duty"])
    return browser


@pytest.mark.parametrize("error", [OperationalError("server closed the connection"), InterfaceError("closed")])
def test_it_answers_503_with_a_retry_page_when_the_database_is_away(duty_browser, monkeypatch, error):
    def unreachable(*args, **kwargs):
        raise error

    monkeypatch.setattr(floor, "get_object_or_404", unreachable)

    response = duty_browser.post("/visits/1/check-out/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert nb("The database is restarting") in response.content.decode()
    assert nb("Nothing from the last action was saved. Wait a few seconds and try again.") in response.content.decode()


def test_it_still_answers_500_for_a_fault_in_the_app(duty_browser, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(floor, "get_object_or_404", broken)

    response = duty_browser.post("/visits/1/check-out/")

    assert response.status_code == 500
    assert nb("The database is restarting") not in response.content.decode()

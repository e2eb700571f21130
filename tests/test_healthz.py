"""The load balancer's probe: 200 while the database answers, 503 when it does not."""

from __future__ import annotations

import pytest
from django.db import connection


def test_it_answers_ok_with_the_database_up(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


def test_it_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]


def test_it_answers_over_plain_http_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301  # the rest of the site moves to https


@pytest.mark.django_db(transaction=True)
def test_it_answers_unavailable_when_the_database_is_unreachable(client, monkeypatch, tmp_path):
    if connection.vendor == "sqlite":
        monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "missing" / "db.sqlite3"))
    else:
        monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    connection.close()

    try:
        response = client.get("/healthz")
    finally:
        monkeypatch.undo()
        connection.close()  # the next query reconnects to the real database

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": False}

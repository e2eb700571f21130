"""The PostgreSQL connection as production opens it: persistent, and without just-in-time compilation."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting (set DATABASE_URL)")


def test_it_turns_off_just_in_time_compilation_for_every_query():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_it_keeps_connections_between_requests():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] >= 60

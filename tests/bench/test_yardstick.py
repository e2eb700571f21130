"""The yardstick the benchmark measures beside every page: routed only by the benchmark's settings."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from visits.models import Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_urls(settings):
    settings.ROOT_URLCONF = "bench.urls"


def test_it_shows_the_signed_in_member_of_staff_and_the_rooms_in_use(bench_urls, client_for):
    response = client_for("duty").get("/bench/yardstick/")

    assert response.status_code == 200
    assert f"<p>duty: {Room.objects.filter(active=True).count()}</p>" in response.content.decode()


def test_it_makes_one_query_of_its_own_besides_the_middlewares(bench_urls, client_for):
    staff = client_for("duty")

    with CaptureQueriesContext(connection) as queries:
        staff.get("/bench/yardstick/")

    assert len([q for q in queries.captured_queries if '"visits_room"' in q["sql"]]) == 1


def test_it_asks_a_visitor_to_sign_in(bench_urls, client):
    response = client.get("/bench/yardstick/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_it_is_not_among_the_apps_urls():
    with pytest.raises(NoReverseMatch):
        reverse("bench-yardstick")

"""The fixtures every test may ask for; what they make is in tests.support.

The facility's settings, the fixed cast of staff (one per role plus one with none), the test client
logged in as one of them, time standing still at noon on an ordinary Tuesday, and a client with a full
history.
"""

from __future__ import annotations

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from demo.defaults import facility_load_defaults
from staff.models import User
from tests.support.cast import make_cast
from tests.support.scenes.history import build_history
from tests.support.time import NOON
from visits.models import Client
from visits.selectors.floor import floor_kept


@pytest.fixture(autouse=True)
def boards_drawn_afresh(request):
    """The boards are drawn once per floor version and kept (``stations.board_cache``), and so are the
    open emergencies and the stock levels in each process (``visits.selectors.floor.kept_on_floor``).

    Each test starts with nothing kept: a rolled-back test leaves the floor's counter where the next
    one finds it. And within a test the counter is raised as the floor changes: on PostgreSQL it is
    raised at the commit, which a test in a transaction never reaches, so there it is raised at once.
    """
    cache.clear()
    floor_kept.clear()
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in names or "live_server" in names
    transactional = transactional or (marker is not None and marker.kwargs.get("transaction", False))
    if connection.vendor != "postgresql" or transactional or ("db" not in names and marker is None):
        return
    request.getfixturevalue("db")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS floor_changed IMMEDIATE")


@pytest.fixture
def facility(db):
    return facility_load_defaults()


@pytest.fixture
def cast(db, facility) -> dict[str, User]:
    """One user per role, named as the role's slug, and ``norole``, logged in nowhere."""
    return make_cast()


@pytest.fixture
def client_for(client, cast):
    """``client_for("reception")`` is the test client logged in as that member of the cast."""

    def login(name: str):
        client.force_login(cast[name])
        return client

    return login


@pytest.fixture
def reader(client, cast):
    """``reader("coordinator", "en")`` is the test client logged in as that member of the cast, who reads
    the pages in that language.

    A request leaves its language active in the thread: afterwards the tests are back in bokmål, so that
    the next test's texts are not read in English.
    """

    def login(name: str, language: str):
        user = cast[name]
        user.language = language
        user.save()
        client.force_login(user)
        return client

    yield login
    translation.deactivate()


@pytest.fixture
def at_noon(facility):
    """Time stands still at noon on a Tuesday (Oslo), inside the default opening hours."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def history(cast, facility) -> Client:
    """A client with a record of every kind (tests.support.scenes.history); read it at ``READ_AT``."""
    return build_history(cast)

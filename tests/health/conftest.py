"""The health room's tests happen on an ordinary Tuesday at noon, with a client checked in."""

from __future__ import annotations

import pytest
import time_machine

from tests.visits.factories import NOON, ClientFactory, VisitFactory


@pytest.fixture
def at_noon(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client_inside(at_noon, cast):
    """An active client checked in at noon, waiting for a booth."""
    client = ClientFactory(letters="OVDO", registered_by=cast["reception"])
    VisitFactory(client=client, checked_in_by=cast["reception"])
    return client

"""The health room's tests happen on an ordinary Tuesday at noon, with a client checked in."""

from __future__ import annotations

import pytest

from tests.support.factories import ClientFactory, VisitFactory


@pytest.fixture
def client_inside(at_noon, cast):
    """An active client checked in at noon, waiting for a booth."""
    client = ClientFactory(letters="OVDO", registered_by=cast["reception"])
    VisitFactory(client=client, checked_in_by=cast["reception"])
    return client

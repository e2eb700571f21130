"""The security tests look at the client with a full history (the ``history`` fixture) after all of it."""

from __future__ import annotations

import pytest
import time_machine

from tests.support.scenes.history import READ_AT


@pytest.fixture
def at_noon(facility):
    """Time stands still at noon forty days after the history's last session."""
    with time_machine.travel(READ_AT, tick=False) as traveller:
        yield traveller

"""Reception's tests happen on an ordinary Tuesday at noon, when the facility admits clients."""

from __future__ import annotations

import pytest
import time_machine

from tests.visits.factories import NOON


@pytest.fixture
def at_noon(facility):
    """Time stands still at noon on a Tuesday (Oslo), inside the default opening hours."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller

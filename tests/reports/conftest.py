"""The reports' tests look back from mid-April 2026 at a known March (tests.support.scenes.march)."""

from __future__ import annotations

import pytest
import time_machine

from tests.support.scenes.march import APRIL_15, build_march


@pytest.fixture
def april_15(facility):
    """Time stands still at noon on 15 April 2026 (Oslo): March is last month, and over."""
    with time_machine.travel(APRIL_15, tick=False) as traveller:
        yield traveller


@pytest.fixture
def march(cast, april_15):
    return build_march(cast)


@pytest.fixture
def coordinator_en(cast, client):
    """The coordinator, reading in English: the report's labels are the source texts."""
    cast["coordinator"].language = "en"
    cast["coordinator"].save()
    client.force_login(cast["coordinator"])
    return client

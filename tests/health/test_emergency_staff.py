"""The emergency record's staff list: those on the shift now first, every other active account folded away."""

from __future__ import annotations

import re

import pytest

from health import services
from health.models import Emergency
from staff.roles import Role
from tests.support.cast import make_user
from tests.support.factories import shift
from tests.support.time import oslo

pytestmark = pytest.mark.django_db


def _names(html: str, testid: str) -> list[str]:
    """The labels of the staff checkboxes inside the part of the list marked ``testid``."""
    part = html.split(f'data-testid="{testid}"', 1)[1].split("</fieldset>", 1)[0]
    if testid == "staff-on-duty":
        part = part.split('data-testid="staff-others"', 1)[0]
    return re.findall(r'for="id_staff_involved_\d+">([^<]+)</label>', part)


@pytest.fixture
def emergency(client_inside, cast, at_noon) -> Emergency:
    make_user("ola", Role.HEALTH)
    opened, _ = services.emergency_open(client=client_inside, by=cast["health"])
    return opened


@pytest.fixture
def on_shift(cast):
    """Health and duty on the shift from 10:00 to 18:00."""
    shift(oslo(hour=10), oslo(hour=18), duty=cast["duty"], members=[(cast["health"], Role.HEALTH)])


def _page(client_for, emergency: Emergency) -> str:
    return client_for("health").get(f"/health/emergencies/{emergency.pk}/").content.decode()


def test_it_offers_the_staff_on_duty_first(client_for, emergency, on_shift):
    page = _page(client_for, emergency)

    assert sorted(_names(page, "staff-on-duty")) == ["duty", "health"]


def test_it_folds_every_other_active_account_under_others(client_for, emergency, on_shift):
    page = _page(client_for, emergency)

    others = _names(page, "staff-others")
    assert "ola" in others and "reception" in others
    assert "health" not in others
    assert re.search(r'<details class="mt-1" data-testid="staff-others">', page)  # folded, not open


def test_it_keeps_staff_already_recorded_in_view(client_for, cast, emergency, on_shift):
    services.emergency_update(
        emergency=emergency,
        by=cast["health"],
        kind=emergency.kind,
        place=emergency.place,
        signs=[],
        notes="",
        staff_involved=[cast["health"], cast["counselor"]],
        ambulance_called_at=None,
        ambulance_arrived_at=None,
        police_called_at=None,
    )

    page = _page(client_for, emergency)

    assert sorted(_names(page, "staff-on-duty")) == ["counselor", "duty", "health"]


def test_it_opens_the_whole_list_when_nobody_is_on_the_roster(client_for, emergency):
    page = _page(client_for, emergency)

    assert _names(page, "staff-on-duty") == ["health"]  # who opened it, recorded as involved
    assert '<details class="mt-1" open data-testid="staff-others">' in page
    assert "ola" in _names(page, "staff-others")


def test_it_records_a_member_of_staff_ticked_among_the_others(client_for, cast, emergency, on_shift):
    ola = cast["health"].__class__.objects.get(username="ola")
    page = _page(client_for, emergency)
    version = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    started = re.search(r'name="started_at" value="([^"]+)"', page).group(1)

    response = client_for("health").post(
        f"/health/emergencies/{emergency.pk}/record/",
        {
            "kind": emergency.kind,
            "place": emergency.place,
            "started_at": started,
            "staff_involved": [cast["health"].pk, ola.pk],
            "seen_version": version,
        },
    )

    assert response.status_code == 302
    assert sorted(u.username for u in emergency.staff_involved.all()) == ["health", "ola"]

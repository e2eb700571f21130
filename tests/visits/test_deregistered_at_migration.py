"""The deregistration date after the upgrade: from the change history, the last time the status turned to
"deregistered"; none for a client never deregistered, or deregistered with no history to tell when."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.migrations import migrate, migrated_back
from tests.support.scenes.march import at

BEFORE = [("visits", "0017_special_hours_names"), ("audit", "0012_historicalrefusal_token")]
AFTER = [("visits", "0018_client_deregistered_at")]


@pytest.fixture
def before(transactional_db):
    with migrated_back(BEFORE) as old:
        yield old


def test_it_dates_each_deregistration_from_the_history(before):
    old = before
    user = old.get_model("staff", "User").objects.create(username="reception")
    Client = old.get_model("visits", "Client")
    History = old.get_model("audit", "HistoricalClient")
    registered = at(1, 5, 10, year=2024)

    def client(code: str, status: str, steps: list[tuple[str, dt.datetime]]):
        row = Client.objects.create(
            code=code, birth_year=1980, gender="M", status=status, registered_at=registered, registered_by=user
        )
        for step_status, when in steps:
            History.objects.create(
                id=row.pk,
                code=code,
                birth_year=1980,
                gender="M",
                status=step_status,
                registered_at=registered,
                registered_by_id=user.pk,
                history_date=when,
                history_type="~",
            )
        return row

    # Deregistered, admitted again after a new intake, deregistered again: the last time counts.
    again = client(
        "AGN1980M",
        "deregistered",
        [
            ("active", at(1, 5, 10, year=2024)),
            ("deregistered", at(3, 1, 3, year=2025)),
            ("active", at(6, 1, 12, year=2025)),
            ("deregistered", at(12, 31, 23, 30, year=2025)),
            ("deregistered", at(1, 2, 9, year=2026)),  # a later change of something else: not a deregistration
        ],
    )
    once = client("ONC1980M", "deregistered", [("active", registered), ("deregistered", at(5, 5, 3, year=2025))])
    active = client("ACT1980M", "active", [("active", registered)])
    unknown = client("UNK1980M", "deregistered", [])

    new = migrate(AFTER)

    dates = dict(new.get_model("visits", "Client").objects.values_list("pk", "deregistered_at"))
    assert dates[again.pk] == at(12, 31, 23, 30, year=2025)
    assert dates[once.pk] == at(5, 5, 3, year=2025)
    assert dates[active.pk] is None
    assert dates[unknown.pk] is None

"""``manage.py rollup_daily``: each Oslo day's counts from the records, recomputed on demand, idempotent."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from reports.models import DailyFigures
from tests.support.factories import ClientFactory, VisitFactory
from tests.support.scenes.march import at

pytestmark = pytest.mark.django_db

FIELDS = (
    "visits",
    "unique_clients",
    "new_registrations",
    "refusals",
    "consumption_events",
    "emergencies",
    "overdoses",
)


def _rollup(*args: str) -> str:
    out = io.StringIO()
    call_command("rollup_daily", *args, stdout=out)
    return out.getvalue()


def _table() -> list[tuple]:
    return list(DailyFigures.objects.order_by("date").values_list("date", *FIELDS))


def _day(date: dt.date) -> dict[str, int]:
    return dict(zip(FIELDS, DailyFigures.objects.values_list(*FIELDS).get(date=date), strict=True))


def test_it_counts_each_oslo_day_from_the_records(march):
    _rollup("--from", "2026-02-28", "--to", "2026-04-01")

    assert _day(dt.date(2026, 3, 10)) == {
        "visits": 2,
        "unique_clients": 2,
        "new_registrations": 1,
        "refusals": 1,
        "consumption_events": 3,
        "emergencies": 2,
        "overdoses": 2,
    }
    # The overdose of a person with no client code counts on its day like any other.
    assert (_day(dt.date(2026, 3, 20))["emergencies"], _day(dt.date(2026, 3, 20))["overdoses"]) == (1, 1)
    assert _day(dt.date(2026, 3, 31))["visits"] == 1  # 23:30
    assert _day(dt.date(2026, 4, 1))["visits"] == 1  # 00:30, 22:30 UTC the day before
    assert _day(dt.date(2026, 2, 28))["visits"] == 1


def test_it_keeps_a_row_for_every_day_even_an_empty_one(march):
    _rollup("--from", "2026-03-01", "--to", "2026-03-31")

    assert DailyFigures.objects.count() == 31
    assert _day(dt.date(2026, 3, 2)) == dict.fromkeys(FIELDS, 0)


def test_it_changes_nothing_when_run_again(march):
    _rollup("--all")
    before = _table()

    _rollup("--all")

    assert _table() == before


def test_it_recomputes_a_given_day_after_a_late_record(march):
    _rollup("--all")
    VisitFactory(client=ClientFactory(letters="LATE"), checked_in_at=at(3, 10, 20), ended_at=at(3, 10, 21))

    _rollup("--date", "2026-03-10")

    assert _day(dt.date(2026, 3, 10))["visits"] == 3


def test_it_catches_up_to_yesterday_from_the_first_record(march):
    output = _rollup()

    days = DailyFigures.objects.order_by("date").values_list("date", flat=True)
    assert days.first() == dt.date(2025, 6, 1)  # client D's registration, the earliest record
    assert days.last() == dt.date(2026, 4, 14)
    assert "2026-04-14" in output


def test_it_recounts_the_last_days_on_the_next_run(march):
    _rollup()
    DailyFigures.objects.filter(date=dt.date(2026, 4, 13)).update(visits=77)
    DailyFigures.objects.filter(date=dt.date(2026, 4, 1)).update(visits=77)

    _rollup()

    assert _day(dt.date(2026, 4, 13))["visits"] == 0
    assert _day(dt.date(2026, 4, 1))["visits"] == 77  # older than three days: left alone


def test_it_widens_a_range_so_that_the_rollup_has_no_gap(march):
    _rollup("--from", "2026-03-01", "--to", "2026-03-05")

    _rollup("--date", "2026-03-20")

    dates = list(DailyFigures.objects.order_by("date").values_list("date", flat=True))
    assert dates == [dt.date(2026, 3, 1) + dt.timedelta(days=n) for n in range(20)]


def test_it_says_so_when_there_is_nothing_to_roll_up(facility):
    assert "Nothing to roll up" in _rollup()
    assert "No records" in _rollup("--all")
    assert not DailyFigures.objects.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("--date", "2026-02-30"),
        ("--from", "yesterday"),
        ("--to", "2026-03-01"),
        ("--from", "2026-03-05", "--to", "2026-03-01"),
    ],
)
def test_it_refuses_dates_it_cannot_use(facility, args):
    with pytest.raises(CommandError):
        _rollup(*args)

"""Local days in Europe/Oslo: midnight to midnight on the wall clock, 23 or 25 hours across a summer-time change."""

from __future__ import annotations

import datetime as dt

from core.days import day_bounds, day_start, local_midnight, local_moment, month_bounds

UTC = dt.UTC


def test_it_puts_midnight_in_oslo_an_hour_before_utc_midnight_in_winter():
    assert local_midnight(dt.date(2026, 1, 15)) == dt.datetime(2026, 1, 14, 23, 0, tzinfo=UTC)


def test_it_puts_midnight_in_oslo_two_hours_before_utc_midnight_in_summer():
    assert local_midnight(dt.date(2026, 7, 15)) == dt.datetime(2026, 7, 14, 22, 0, tzinfo=UTC)


def test_it_reads_a_time_on_the_facility_clocks():
    assert local_moment(dt.date(2026, 3, 10), dt.time(8, 30)) == dt.datetime(2026, 3, 10, 7, 30, tzinfo=UTC)


def test_it_starts_the_day_of_a_late_evening_moment_on_the_local_date():
    # 23:30 UTC on 10 March is 00:30 on 11 March in Oslo: the day is the 11th.
    assert day_start(dt.datetime(2026, 3, 10, 23, 30, tzinfo=UTC)) == dt.datetime(2026, 3, 10, 23, 0, tzinfo=UTC)


def test_it_makes_the_day_summer_time_begins_23_hours_long():
    start, end = day_bounds(dt.date(2026, 3, 29))
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=23)


def test_it_makes_the_day_summer_time_ends_25_hours_long():
    start, end = day_bounds(dt.date(2026, 10, 25))
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=25)


def test_it_spans_a_week_from_monday_midnight_to_the_next_monday_midnight():
    start, end = day_bounds(dt.date(2026, 3, 23), 7)
    assert (start, end) == (
        dt.datetime(2026, 3, 22, 23, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 29, 22, 0, tzinfo=UTC),
    )


def test_it_bounds_a_month_from_its_first_to_the_first_of_the_next():
    assert month_bounds(dt.date(2026, 12, 17)) == (
        dt.datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 31, 23, 0, tzinfo=UTC),
    )

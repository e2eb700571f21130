"""Durations: real time between two moments (also across a summer-time change), and how staff read it."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import translation

from core.durations import (
    clock,
    duration_seconds,
    duration_text,
    elapsed,
    minutes_between,
    seconds_between,
    whole_minutes,
)

OSLO = ZoneInfo("Europe/Oslo")
NOON = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


def test_it_counts_whole_seconds_dropping_the_part_second():
    assert seconds_between(NOON, NOON + dt.timedelta(minutes=5, seconds=3, milliseconds=900)) == 303


def test_it_counts_negative_seconds_when_the_end_is_earlier():
    assert seconds_between(NOON, NOON - dt.timedelta(seconds=65)) == -65


def test_it_never_stores_a_duration_below_zero():
    assert duration_seconds(NOON, NOON - dt.timedelta(seconds=65)) == 0
    assert duration_seconds(NOON, NOON + dt.timedelta(hours=1)) == 3600


def test_it_counts_real_time_across_the_night_the_clocks_go_forward():
    # 01:50 to 03:10 on the wall clock of 29 March 2026 is 20 minutes: 02:00 became 03:00.
    start = dt.datetime(2026, 3, 29, 1, 50, tzinfo=OSLO)
    end = dt.datetime(2026, 3, 29, 3, 10, tzinfo=OSLO)
    assert elapsed(start, end) == dt.timedelta(minutes=20)
    assert duration_seconds(start, end) == 1200


def test_it_counts_real_time_across_the_night_the_clocks_go_back():
    start = dt.datetime(2026, 10, 25, 1, 30, tzinfo=OSLO)
    end = dt.datetime(2026, 10, 25, 3, 30, tzinfo=OSLO)
    assert seconds_between(start, end) == 3 * 3600


def test_it_counts_whole_minutes_gone_and_none_before_the_start():
    assert minutes_between(NOON, NOON + dt.timedelta(minutes=4, seconds=59)) == 4
    assert minutes_between(NOON, NOON - dt.timedelta(minutes=3)) == 0


def test_it_rounds_seconds_to_the_nearest_minute():
    assert whole_minutes(754) == 13
    assert whole_minutes(720) == 12


def test_it_writes_the_clock_as_minutes_and_seconds_below_an_hour():
    assert clock(65) == "1:05"
    assert clock(0) == "0:00"


def test_it_writes_the_clock_with_hours_from_an_hour_on():
    assert clock(3725) == "1:02:05"


def test_it_writes_no_clock_for_none_and_zero_for_a_negative():
    assert clock(None) == ""
    assert clock(-30) == "0:00"


def test_it_writes_a_duration_in_minutes_below_an_hour():
    with translation.override("en"):
        assert duration_text(754) == "13 min"


def test_it_writes_a_duration_in_hours_and_padded_minutes_from_an_hour_on():
    with translation.override("en"):
        assert duration_text(3900) == "1 h 05 min"
    assert duration_text(None) == ""

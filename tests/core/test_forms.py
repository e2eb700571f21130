"""The shared form pieces: a clock time typed as staff say it, the date-time pickers."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from core.forms import ClockTimeField, DateTimeLocalInput, SecondsInput


@pytest.mark.parametrize(
    ("typed", "time"),
    [("08:00", dt.time(8)), ("8:00", dt.time(8)), ("0800", dt.time(8)), ("08.30", dt.time(8, 30)), ("8", dt.time(8))],
)
def test_it_reads_a_clock_time_as_staff_type_it(typed, time):
    assert ClockTimeField().clean(typed) == time


def test_it_refuses_a_time_that_is_no_time():
    with pytest.raises(forms.ValidationError):
        ClockTimeField().clean("25:00")


def test_it_shows_a_clock_time_in_24_hours():
    assert ClockTimeField().prepare_value(dt.time(21, 5)) == "21:05"


def test_it_draws_the_minute_picker_with_the_value_to_the_minute():
    html = DateTimeLocalInput().render("at", dt.datetime(2026, 3, 10, 12, 5, 30))
    assert 'type="datetime-local"' in html and 'value="2026-03-10T12:05"' in html


def test_it_draws_the_second_picker_with_a_step_of_one_second():
    html = SecondsInput().render("at", dt.datetime(2026, 3, 10, 12, 5, 30))
    assert 'step="1"' in html and 'value="2026-03-10T12:05:30"' in html

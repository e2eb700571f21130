"""One set of weekdays, numbered as Python numbers them, named in the reader's language."""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from core.weekdays import Weekday
from duty.models import StaffingMinimum
from visits.models import OpeningHours


def test_it_numbers_the_days_as_python_does():
    assert Weekday.MONDAY == dt.date(2026, 3, 9).weekday()
    assert Weekday.SUNDAY == dt.date(2026, 3, 15).weekday()


def test_it_names_the_days_in_the_readers_language():
    with translation.override("nb"):
        assert [str(label) for label in Weekday.labels] == [
            "Mandag",
            "Tirsdag",
            "Onsdag",
            "Torsdag",
            "Fredag",
            "Lørdag",
            "Søndag",
        ]


def test_it_is_the_choice_of_the_opening_hours_and_of_the_staffing_minimums():
    assert OpeningHours._meta.get_field("weekday").choices == Weekday.choices
    assert StaffingMinimum._meta.get_field("weekday").choices == Weekday.choices

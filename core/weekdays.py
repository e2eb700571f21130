"""The days of the week, numbered as Python's ``date.weekday()`` (Monday 0), with their names for staff.

The names have a context of their own: on its own a weekday is capitalised in bokmål ("Mandag"), while
Django's catalogue, which dates are written with, keeps it in lower case ("mandag 6. mars 2017").
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import pgettext_lazy


class Weekday(models.IntegerChoices):
    MONDAY = 0, pgettext_lazy("day of the week, on its own", "Monday")
    TUESDAY = 1, pgettext_lazy("day of the week, on its own", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("day of the week, on its own", "Wednesday")
    THURSDAY = 3, pgettext_lazy("day of the week, on its own", "Thursday")
    FRIDAY = 4, pgettext_lazy("day of the week, on its own", "Friday")
    SATURDAY = 5, pgettext_lazy("day of the week, on its own", "Saturday")
    SUNDAY = 6, pgettext_lazy("day of the week, on its own", "Sunday")

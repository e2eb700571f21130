"""The moments the tests happen at, in Oslo time; the tests travel to them with time_machine.

Most tests happen on an ordinary Tuesday, 10 March 2026, at noon: open 08:00-21:30 with the default
hours, last admission 21:00. The room and floor tests were written for Tuesday 5 March 2024 at noon
(``NOON_2024``); the timestamps they expect on the page are worked out for that day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
TUESDAY = dt.date(2026, 3, 10)
MONDAY = TUESDAY - dt.timedelta(days=1)


def oslo(day: dt.date = TUESDAY, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


NOON = oslo()
NOON_2024 = oslo(dt.date(2024, 3, 5))

"""When visits happen: how many on each open day, and at what times of the day.

The volume follows Bergen's first year (1-2 visits a day at first, about 14 a day twelve months on;
NRK, 2017), then a plateau that grows a little each year, with a weekly rhythm, a winter high, a
bump after the social-assistance payday around the 20th, and day-to-day noise. Arrivals within a day
cluster around late morning and early evening, between opening and last admission.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from visits.selectors.facility import opening_hours_between

from .writer import to_seconds

RAMP_DAYS = 335  # Bergen: from opening to ~14 a day took about a year
WEEKLY = (1.0, 1.0, 0.98, 1.0, 1.06, 0.97, 0.92)  # Monday first


@dataclass(frozen=True)
class Day:
    """One open day: the hours as seconds since the epoch, and the number of visits it gets."""

    date: dt.date
    opens: int
    closes: int
    last_admission: int
    visits: int = 0

    @property
    def shift_change(self) -> int:
        return self.opens + (self.closes - self.opens) // 2


def open_days(start: dt.date, end: dt.date) -> list[Day]:
    """The open days in [start, end), as ``opening_hours_on`` gives them: the dated opening hours, the
    special days and the closed days, read for the whole range at once (a few queries for years)."""
    if start >= end:
        return []
    return [
        Day(hours.date, to_seconds(hours.opens), to_seconds(hours.closes), to_seconds(hours.last_admission))
        for hours in opening_hours_between(start, end - dt.timedelta(days=1))
        if hours.last_admission > hours.opens
    ]


def _weight(rng: random.Random, day: Day, first: dt.date) -> float:
    age = (day.date - first).days
    ramp = min(1.0, 0.07 + 0.93 * age / RAMP_DAYS)
    growth = 1.0 + 0.04 * age / 365.25
    season = 1.0 + 0.06 * math.cos(2 * math.pi * (day.date.timetuple().tm_yday - 15) / 365.25)
    payday = 1.1 if 20 <= day.date.day <= 22 else 1.0
    noise = rng.lognormvariate(0.0, 0.12)
    return ramp * growth * season * payday * WEEKLY[day.date.weekday()] * noise


def allocate(rng: random.Random, days: list[Day], total: int) -> list[Day]:
    """Spread exactly ``total`` visits over ``days`` by the weights above (cumulative rounding)."""
    if not days:
        return []
    weights = [_weight(rng, day, days[0].date) for day in days]
    scale = total / sum(weights)
    allocated, cumulative, given = [], 0.0, 0
    for day, weight in zip(days, weights, strict=True):
        cumulative += weight * scale
        upto = round(cumulative)
        allocated.append(Day(day.date, day.opens, day.closes, day.last_admission, upto - given))
        given = upto
    return allocated


def arrival_times(rng: random.Random, day: Day, count: int) -> list[int]:
    """``count`` arrival times within [opens, last admission), sorted: two peaks and a floor."""
    span = day.last_admission - day.opens
    times: list[int] = []
    while len(times) < count:
        pick = rng.random()
        if pick < 0.45:
            x = rng.gauss(0.3, 0.13)
        elif pick < 0.85:
            x = rng.gauss(0.72, 0.12)
        else:
            x = rng.random()
        if 0.0 <= x < 1.0:
            times.append(day.opens + int(x * span))
    times.sort()
    return times

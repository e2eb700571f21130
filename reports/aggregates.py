"""Median and 90th percentile in the database.

PostgreSQL computes them with the ordered-set aggregate ``percentile_cont``: one query, nothing but the
results leaves the database. SQLite has no such aggregate; there (the embedded development database
only) the durations come back as one sorted column and the same interpolation is done here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections
from django.db.models import Aggregate, Count, DurationField, Expression, F, Field, FloatField, QuerySet


class PercentileCont(Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``: the continuous percentile,
    interpolated between the two nearest values, as PostgreSQL defines it."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra) -> None:
        fraction = float(fraction)
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("A percentile is a fraction between 0 and 1.")
        extra.setdefault("output_field", FloatField())
        # A float literal we made ourselves, never user input: safe in the SQL text.
        super().__init__(expression, fraction=repr(fraction), **extra)


@dataclass(frozen=True)
class DurationStats:
    """How many durations there were, and their median and 90th percentile in seconds (None when none)."""

    count: int
    median: float | None
    p90: float | None

    @property
    def median_minutes(self) -> float | None:
        return None if self.median is None else self.median / 60

    @property
    def p90_minutes(self) -> float | None:
        return None if self.p90 is None else self.p90 / 60


def interpolated_percentile(ordered: Sequence[float], fraction: float) -> float | None:
    """``percentile_cont`` over values already in ascending order."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower = math.floor(position)
    upper = math.ceil(position)
    low, high = ordered[lower], ordered[upper]
    return low + (high - low) * (position - lower)


def _seconds(value) -> float | None:
    return None if value is None else _seconds_of(value)


def _seconds_of(value) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


def duration_stats(queryset: QuerySet, expression: Expression | str | None = None) -> DurationStats:
    """Count, median and 90th percentile of ``expression`` (seconds, or an interval) over ``queryset``.

    Without ``expression`` the queryset already carries a ``_duration`` annotation (an aggregate per
    group, say: PostgreSQL then takes the percentiles over the grouped rows as a subquery). Null
    durations (a timer still running) are left out: ``percentile_cont`` and ``COUNT(column)`` skip them.
    """
    if expression is not None:
        queryset = queryset.annotate(_duration=F(expression) if isinstance(expression, str) else expression)
    if connections[queryset.db].vendor == "postgresql":
        output_field = _output_field(queryset)
        result = queryset.aggregate(
            n=Count("_duration"),
            median=PercentileCont("_duration", 0.5, output_field=output_field),
            p90=PercentileCont("_duration", 0.9, output_field=output_field),
        )
        return DurationStats(count=result["n"], median=_seconds(result["median"]), p90=_seconds(result["p90"]))
    # SQLite (development only): one sorted column, interpolated as percentile_cont does.
    ordered = [
        _seconds_of(value)
        for value in queryset.filter(_duration__isnull=False).order_by("_duration").values_list("_duration", flat=True)
    ]
    return DurationStats(
        count=len(ordered),
        median=interpolated_percentile(ordered, 0.5),
        p90=interpolated_percentile(ordered, 0.9),
    )


def _output_field(queryset: QuerySet) -> Field:
    """Percentiles of an interval are intervals; of a number, floating point."""
    field = queryset.query.annotations["_duration"].output_field
    return DurationField() if isinstance(field, DurationField) else FloatField()

"""Writes of the reports app: the starting budget, and the daily rollup the long-range charts read."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from health.models import Emergency
from reports.models import AnnualBudget, DailyFigures
from reports.selectors.charts import daily_counts
from visits.models import Client, Refusal, Visit

# Bergen's injection room in its first full year (NRK, 2017). Administrators add the other years.
DEFAULT_BUDGETS = [(2017, 18_300_000, "NRK 2017: 18,3 millioner kroner")]


@transaction.atomic
def annual_budget_load_defaults() -> None:
    """Create the known budgets where the year has none; never changes a year that is there."""
    for year, amount, note in DEFAULT_BUDGETS:
        AnnualBudget.objects.get_or_create(year=year, defaults={"amount_nok": amount, "note": note})


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def first_record_date() -> dt.date | None:
    """The local date of the earliest record the rollup counts, or None when there are none."""
    dates = [
        _local_date(Visit.objects.aggregate(first=Min("checked_in_at"))["first"]),
        _local_date(Client.objects.aggregate(first=Min("registered_at"))["first"]),
        _local_date(Refusal.objects.aggregate(first=Min("at"))["first"]),
        _local_date(Emergency.objects.aggregate(first=Min("started_at"))["first"]),
    ]
    known = [date for date in dates if date is not None]
    return min(known) if known else None


@transaction.atomic
def daily_figures_rollup(*, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """Count every day from ``first`` to ``last`` afresh from the records and store it, replacing what was there.

    The rolled-up days stay one unbroken stretch, since the charts read every day inside it from the
    rollup: a range that would leave a gap is widened to close it. Returns the range done.
    """
    if last < first:
        raise ValueError("The last day comes before the first.")
    span = DailyFigures.objects.select_for_update().aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is not None:
        first = min(first, span["last"] + dt.timedelta(days=1))
        last = max(last, span["first"] - dt.timedelta(days=1))
    now = now or timezone.now()
    counts = daily_counts(first, last)
    DailyFigures.objects.filter(date__gte=first, date__lte=last).delete()
    DailyFigures.objects.bulk_create(
        [DailyFigures(date=day, computed_at=now, **figures) for day, figures in counts.items()], batch_size=1000
    )
    return first, last


def daily_figures_catch_up(*, today: dt.date, recheck_days: int = 3) -> tuple[dt.date, dt.date] | None:
    """What the nightly run does: every day up to yesterday not rolled up yet, and the last few again,
    since records are sometimes entered late. From the first record when the rollup is empty."""
    yesterday = today - dt.timedelta(days=1)
    last_rolled = DailyFigures.objects.aggregate(last=Max("date"))["last"]
    if last_rolled is None:
        first = first_record_date()
        if first is None or first > yesterday:
            return None
    else:
        first = min(last_rolled - dt.timedelta(days=recheck_days - 1), yesterday)
    return daily_figures_rollup(first=first, last=yesterday)

"""Writes of the reports app: the starting budget, and the daily rollup the long-range charts read.

The rollup follows corrections: the database marks the days a changed record is counted on
(``RollupMark``), and ``daily_figures_follow_corrections`` counts exactly those again.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max, Min, QuerySet, Subquery
from django.utils import timezone

from health.models import Emergency
from reports.models import AnnualBudget, DailyFigures, RollupMark
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


def _store(first: dt.date, last: dt.date, now: dt.datetime) -> None:
    """Count the days from ``first`` to ``last`` afresh from the records, replacing their rows."""
    counts = daily_counts(first, last)
    DailyFigures.objects.filter(date__gte=first, date__lte=last).delete()
    DailyFigures.objects.bulk_create(
        [DailyFigures(date=day, computed_at=now, **figures) for day, figures in counts.items()], batch_size=1000
    )


def _lock_rollup() -> None:
    """Let one transaction at a time write the rollup, until it ends; readers of the charts never wait.

    Two recounts of a day must not commit in the other order from the one they counted in, or the
    older count would stand over the newer. SQLite has one writer at a time anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {DailyFigures._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def _take_marks(condition: str, params: tuple[str, ...] = ()) -> list[dt.date]:
    """Clear the committed marks that meet the SQL ``condition``, and return their UTC dates.

    One statement reads and deletes, so exactly the marks read are cleared, and the counts that follow
    see every change whose mark was taken. A writer not committed yet is not seen: its mark stays for
    the next run. Call it after ``_lock_rollup`` and before counting.
    """
    table = RollupMark._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"WITH taken AS (DELETE FROM {table} WHERE {condition} RETURNING utc_date) "
                "SELECT DISTINCT utc_date FROM taken",
                params,
            )
        else:  # SQLite: its transactions here take the write lock at the start, so nothing comes in between
            cursor.execute(f"DELETE FROM {table} WHERE {condition} RETURNING utc_date", params)
        dates = {
            value if isinstance(value, dt.date) else dt.date.fromisoformat(value) for (value,) in cursor.fetchall()
        }
    return sorted(dates)


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as unbroken stretches, first and last day of each."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


@transaction.atomic
def daily_figures_rollup(*, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """Count every day from ``first`` to ``last`` afresh from the records and store it, replacing what was there.

    The rolled-up days stay one unbroken stretch, since the charts read every day inside it from the
    rollup: a range that would leave a gap is widened to close it. The marks of corrections whose days
    are all counted here, or lie beyond the rollup, are cleared. Returns the range done.
    """
    if last < first:
        raise ValueError("The last day comes before the first.")
    _lock_rollup()
    span = DailyFigures.objects.aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is not None:
        first = min(first, span["last"] + dt.timedelta(days=1))
        last = max(last, span["first"] - dt.timedelta(days=1))
    # A mark of UTC date d is Oslo days d and d + 1: cleared when d + 1 is counted here too, or is past
    # the rollup's end (counted afresh when the rollup gets there).
    beyond = span["last"] is None or last >= span["last"]
    _take_marks(
        "utc_date >= %s AND utc_date <= %s",
        (first.isoformat(), (last if beyond else last - dt.timedelta(days=1)).isoformat()),
    )
    _store(first, last, now or timezone.now())
    return first, last


def _marked_in_rollup() -> QuerySet[RollupMark]:
    """The marks of UTC dates up to the rollup's last day: those that may touch a rolled-up day."""
    return RollupMark.objects.filter(utc_date__lte=Subquery(DailyFigures.objects.order_by("-date").values("date")[:1]))


def daily_figures_follow_corrections(*, now: dt.datetime | None = None) -> list[dt.date]:
    """Count again the rolled-up days that a record was added to, changed on or removed from since they were counted.

    The database marks those days as the records change (``RollupMark``); the dashboard calls this
    before it reads the rollup, and the nightly run after its catch-up. Marked days outside the rollup
    need nothing (the charts count them from the records, a catch-up counts them afresh): their marks
    are cleared once the rollup's end has passed them. One query when nothing is marked. Safe to run
    twice at once: the second waits for the first and finds the marks it took gone. Returns the days counted.
    """
    if not _marked_in_rollup().exists():
        return []
    return _recount_marked(now or timezone.now())


@transaction.atomic
def _recount_marked(now: dt.datetime) -> list[dt.date]:
    _lock_rollup()
    dates = _take_marks(f"utc_date <= (SELECT MAX(date) FROM {DailyFigures._meta.db_table})")
    span = DailyFigures.objects.aggregate(first=Min("date"), last=Max("date"))
    if span["first"] is None:
        return []
    # A mark of UTC date d is Oslo days d and d + 1; only those inside the rollup are counted.
    days = sorted(
        {day for date in dates for day in (date, date + dt.timedelta(days=1)) if span["first"] <= day <= span["last"]}
    )
    for first, last in _runs(days):
        _store(first, last, now)
    return days


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

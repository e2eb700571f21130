"""Roll up each day's figures for the long-range dashboard charts. Idempotent: run it as often as wanted.

Nightly from cron, shortly after midnight (Europe/Oslo), as the app's user and environment:

    15 0 * * *  cd /srv/facility && .venv/bin/python manage.py rollup_daily

That catches up every day up to yesterday and recounts the last three, and then every rolled-up day
on which a record was added, changed or removed since it was counted (the database marks those days
as the records change; the dashboard counts them again too, as it opens). Once after importing history:
``rollup_daily --all``, or ``--from``/``--to``, or ``--date`` (repeatable).
Without it the charts are still right: they count from the records what the rollup lacks, only slower.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.services import (
    daily_figures_catch_up,
    daily_figures_follow_corrections,
    daily_figures_rollup,
    first_record_date,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Recompute the daily figures the dashboard's long-range charts read (default: catch up to yesterday)."

    def add_arguments(self, parser):
        parser.add_argument("--date", action="append", default=[], help="a day to recompute (YYYY-MM-DD); repeatable")
        parser.add_argument("--from", dest="first", help="first day of a range to recompute")
        parser.add_argument("--to", dest="last", help="last day of the range (default: yesterday)")
        parser.add_argument(
            "--all", dest="everything", action="store_true", help="recompute every day from the first record"
        )

    def handle(self, *args, date, first, last, everything, **options):
        today = timezone.localdate()
        yesterday = today - dt.timedelta(days=1)
        ranges: list[tuple[dt.date, dt.date]] = [(_date(day), _date(day)) for day in date]
        if everything:
            start = first_record_date()
            if start is None:
                self.stdout.write("No records yet; nothing to roll up.")
                return
            ranges.append((start, max(start, yesterday)))
        elif first or last:
            if not first:
                raise CommandError("--to needs --from.")
            ranges.append((_date(first), _date(last) if last else yesterday))
        if not ranges:
            done = daily_figures_catch_up(today=today)
            ranges_done = [done] if done else []
        else:
            ranges_done = []
            for start, end in ranges:
                if end < start:
                    raise CommandError(f"{end} comes before {start}.")
                ranges_done += self._in_years(start, end)
        corrected = daily_figures_follow_corrections()
        if not ranges_done and not corrected:
            self.stdout.write("Nothing to roll up.")
        for start, end in ranges_done:
            self.stdout.write(f"Rolled up {start} to {end} ({(end - start).days + 1} days).")
        if corrected:
            days = ", ".join(day.isoformat() for day in corrected)
            self.stdout.write(f"Counted again after corrections: {days} ({len(corrected)} days).")

    def _in_years(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
        """A long range a year at a time, so that each transaction stays short and progress shows."""
        done = []
        while start <= end:
            stop = min(end, dt.date(start.year, 12, 31))
            done.append(daily_figures_rollup(first=start, last=stop))
            start = stop + dt.timedelta(days=1)
        return done

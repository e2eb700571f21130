from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from demo.synthetic import generate_history


class Command(BaseCommand):
    help = (
        "Fill the database with a synthetic history: pseudonymous clients, visits with every step, "
        "overdoses, health help, counseling, referrals, hand-outs and stock, bans and incidents, shifts. "
        "For benchmarks and demos only: never run it against real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--visits", type=int, default=1_000_000, help="how many visits (default 1,000,000)")
        parser.add_argument("--years", type=float, default=10.0, help="over how many years before today")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same history")
        parser.add_argument("--end", help="the day after the history, YYYY-MM-DD (default today)")

    def handle(self, *args, visits, years, seed, end, **options):
        if visits < 1 or years <= 0:
            raise CommandError("--visits must be at least 1 and --years above 0.")
        try:
            end_day = dt.date.fromisoformat(end) if end else None
        except ValueError as error:
            raise CommandError(f"--end: {error}") from None
        self.stdout.write(f"Generating {visits:,} visits over {years:g} years (seed {seed}) ...")
        try:
            summary = generate_history(
                visits=visits, years=years, seed=seed, end=end_day, progress=lambda line: self.stdout.write(line)
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.visits:,} visits of {summary.clients:,} clients over {summary.days:,} days "
                f"({summary.first_day} to {summary.last_day}), {summary.booths} booths, "
                f"{sum(summary.rows.values()):,} rows in {summary.seconds:.0f} s"
            )
        )

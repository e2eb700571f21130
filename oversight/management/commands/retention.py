"""``manage.py retention``: run daily (cron or a systemd timer) to apply the retention rules."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from oversight.retention import retention_run


class Command(BaseCommand):
    help = (
        "Deregister clients with no visit for DEREGISTER_AFTER_MONTHS (default 12) and anonymise "
        "clients not seen for RETENTION_YEARS (default 10). Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=settings.DEREGISTER_AFTER_MONTHS)
        parser.add_argument("--years", type=int, default=settings.RETENTION_YEARS)

    def handle(self, *args, months: int, years: int, **options):
        result = retention_run(months=months, years=years)
        self.stdout.write(f"deregistered={result.deregistered} anonymised={result.anonymised}")

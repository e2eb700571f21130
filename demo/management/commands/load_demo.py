from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.core.management.base import BaseCommand

from demo.defaults import facility_load_defaults
from demo.stock import demo_stock_count
from demo.synthetic import generate_history
from duty.services.roster import demo_roster_create, staffing_minimums_load_defaults
from staff.models import User
from staff.services import demo_staff_create
from visits.models import Visit


class Command(BaseCommand):
    help = "Load the Bergen facility's settings and one demo account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password for new demo accounts (default: DEMO_PASSWORD)")
        parser.add_argument(
            "--password-file",
            help="where the password is kept between runs; made with a random password when missing",
        )
        parser.add_argument(
            "--history",
            type=int,
            default=0,
            metavar="VISITS",
            help="also a synthetic year of history with this many visits, when there are no visits yet",
        )

    def handle(self, *args, password=None, password_file=None, history=0, **options):
        facility_load_defaults()
        password = password or os.environ.get("DEMO_PASSWORD") or self._stored_password(password_file)
        usernames = demo_staff_create(password=password)
        staffing_minimums_load_defaults()
        demo_roster_create(by=User.objects.get(username="coordinator"))
        self.stdout.write(self.style.SUCCESS("Demo logins (username = role):"))
        self.stdout.write(f"  users:    {', '.join(usernames)}")
        self.stdout.write(f"  password: {password}")
        if history > 0:
            self._history(history)
        # After the history, which counts the items it hands out: the rest get an opening count.
        demo_stock_count(by=User.objects.get(username="coordinator"))

    def _history(self, visits: int) -> None:
        if Visit.objects.exists():
            self.stdout.write("There are visits already; no synthetic history added.")
            return
        summary = generate_history(visits=visits, years=1, seed=1, progress=lambda line: None)
        self.stdout.write(
            f"Synthetic history: {summary.visits:,} visits of {summary.clients:,} clients, "
            f"{summary.first_day} to {summary.last_day}"
        )

    @staticmethod
    def _stored_password(path: str | None) -> str:
        if path is None:
            return secrets.token_urlsafe(9)
        file = Path(path)
        if file.exists():
            return file.read_text().strip()
        password = secrets.token_urlsafe(9)
        file.write_text(password + "\n")
        file.chmod(0o600)
        return password

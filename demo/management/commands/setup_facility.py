"""``manage.py setup_facility``: the starting settings, and an opening count of the equipment.

Asked interactively, item by item (blank skips one); for scripts, ``--opening-count "Needle=400"`` (by the
item's Norwegian or English name, repeatable) or ``--no-count``. An item not counted stays plainly
"never counted — count needed" until someone counts it (the stocktake page).
"""

from __future__ import annotations

import sys
import uuid

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from demo.defaults import facility_load_defaults
from staff.models import User
from visits.models import EquipmentItem
from visits.selectors.stock import stock_lines
from visits.services.stock import MAX_DELIVERY, stock_take

OPENING_REASON = "Opening count"


class Command(BaseCommand):
    help = (
        "Create the facility's starting settings (rooms, booths, hours, lists) where they are missing, "
        "and record an opening count of the equipment."
    )
    stealth_options = ("stdin",)  # the answers, for a test (as createsuperuser takes them)

    def add_arguments(self, parser):
        parser.add_argument(
            "--opening-count",
            action="append",
            default=[],
            metavar="ITEM=N",
            help="the opening count of one item, by its Norwegian or English name (repeatable)",
        )
        parser.add_argument(
            "--no-count",
            action="store_true",
            help="record no count: every item not yet counted stays marked 'count needed'",
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="the staff account the count is recorded under (default: an administrator)"
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="ask nothing (as when not at a terminal)"
        )

    def handle(self, *args, opening_count, no_count, by, interactive, **options):
        if opening_count and no_count:
            raise CommandError("--opening-count and --no-count exclude each other.")
        stdin = options.get("stdin") or sys.stdin
        facility = facility_load_defaults()
        self.stdout.write(f"Facility settings ready: {facility.name}")
        lines = stock_lines()
        if no_count:
            counts = {}
        elif opening_count:
            counts = self._parse(opening_count, [line.item for line in lines])
        elif interactive and (options.get("stdin") is not None or sys.stdin.isatty()):
            try:
                _recorder(by)  # before asking: a count needs an account to be recorded under
            except CommandError as exc:
                self.stdout.write(str(exc))
                counts = {}
            else:
                counts = self._ask(stdin, [line for line in lines if line.needs_count])
        else:
            counts = {}
        if counts:
            self._record(counts, by)
        uncounted = [line.item.label for line in stock_lines() if line.needs_count]
        if uncounted:
            self.stdout.write(
                "Count needed (never counted): " + ", ".join(uncounted) + ". Count them on the stocktake page."
            )
        else:
            self.stdout.write("Every item is counted.")

    @staticmethod
    def _parse(given: list[str], items: list[EquipmentItem]) -> dict[EquipmentItem, int]:
        by_name = {name.casefold(): item for item in items for name in (item.name, item.name_en) if name}
        counts: dict[EquipmentItem, int] = {}
        for entry in given:
            name, sign, number = entry.rpartition("=")
            item = by_name.get(name.strip().casefold())
            if not sign or item is None:
                known = ", ".join(sorted({item.name for item in items}))
                raise CommandError(f"--opening-count {entry!r}: give ITEM=N with one of: {known}")
            counts[item] = _number(number, f"--opening-count {entry!r}")
        return counts

    def _ask(self, stdin, lines) -> dict[EquipmentItem, int]:
        if not lines:
            return {}
        self.stdout.write("Opening count: how many of each item are on the shelves? Leave blank to skip an item.")
        counts: dict[EquipmentItem, int] = {}
        for line in lines:
            while True:
                self.stdout.write(f"  {line.item.label} ({line.item.get_unit_display()}): ", ending="")
                self.stdout.flush()
                answer = stdin.readline()
                if not answer:  # end of input: the rest is skipped
                    return counts
                if not answer.strip():
                    break
                try:
                    counts[line.item] = _number(answer, line.item.label)
                except CommandError as exc:
                    self.stdout.write(f"    {exc}")
                    continue
                break
        return counts

    def _record(self, counts: dict[EquipmentItem, int], username: str | None) -> None:
        user = _recorder(username)
        try:
            stock_take(counts=counts, reason=OPENING_REASON, token=uuid.uuid4(), by=user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Opening count recorded for {len(counts)} item(s), by {user.get_username()}.")


def _number(text: str, what: str) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise CommandError(f"{what}: a whole number from 0 to {MAX_DELIVERY}") from None
    if not 0 <= number <= MAX_DELIVERY:
        raise CommandError(f"{what}: a whole number from 0 to {MAX_DELIVERY}")
    return number


def _recorder(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--by {username!r}: no active staff account of that name.")
        return user
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("date_joined", "pk").first()
    if user is None:
        raise CommandError(
            "A count is recorded under a staff account: create an administrator first (createsuperuser), "
            "give --by USERNAME, or run with --no-count."
        )
    return user

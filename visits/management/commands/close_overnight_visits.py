from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from visits.services.rooms import visits_close_overnight


class Command(BaseCommand):
    help = (
        "Close every visit still open from before today, as the system account, with the reason "
        "'closed automatically overnight'; each ends at its day's closing time. Idempotent: run it from "
        "cron or a systemd timer after midnight (the first check-in of the day does the same)."
    )

    def handle(self, *args, **options):
        # The notes on the visits and their events are written in the facility's language.
        with translation.override(settings.LANGUAGE_CODE):
            closed = visits_close_overnight()
        self.stdout.write(f"Closed {closed} visit(s) left open overnight.")

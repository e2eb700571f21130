from django.core.management.base import BaseCommand

from demo.defaults import facility_load_defaults


class Command(BaseCommand):
    help = "Create the facility's starting settings (rooms, booths, hours, lists) where they are missing."

    def handle(self, *args, **options):
        facility = facility_load_defaults()
        self.stdout.write(f"Facility settings ready: {facility.name}")

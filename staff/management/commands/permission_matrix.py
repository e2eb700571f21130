"""``manage.py permission_matrix``: print the permission matrix as Markdown, or write docs/permissions.md."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from staff.matrix import render_markdown


class Command(BaseCommand):
    help = "Print the permission matrix (staff/matrix.py) as Markdown; --write puts it in docs/permissions.md."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="write docs/permissions.md")

    def handle(self, *args, write: bool, **options):
        text = render_markdown()
        if write:
            (settings.BASE_DIR / "docs" / "permissions.md").write_text(text, encoding="utf-8")
            self.stdout.write("docs/permissions.md written")
        else:
            self.stdout.write(text, ending="")

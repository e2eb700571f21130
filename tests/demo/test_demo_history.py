"""``load_demo --history``: a demo with a synthetic year behind it, added once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from visits.models import Visit


def test_it_gives_the_demo_a_year_of_history_once(db):
    out = StringIO()
    call_command("load_demo", "--password", "demo-password-123", "--history", "150", stdout=out)
    call_command("load_demo", "--password", "demo-password-123", "--history", "150", stdout=out)

    assert Visit.objects.count() == 150
    assert "Synthetic history: 150 visits" in out.getvalue()
    assert "no synthetic history added" in out.getvalue()

"""Retention: deregistering after a year's absence, anonymising past the retention period, figures kept."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, Sum

from audit.models import AccessLogEntry
from counseling.models import CounselingSession, Intake, Referral, ReferralFollowUpChange
from counseling.services import referral_follow_up_set
from health.models import Emergency, HealthService
from oversight.retention import REDACTED, anonymous_code, retention_run
from tests.support.factories import closed_visit, make_client
from tests.support.time import oslo
from visits.models import Ban, BoothSession, Client, Contact, Incident, Refusal, Visit
from visits.services.incidents import incident_record

MONTHS = [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]


def figures() -> dict:
    """The figures the reports compute from client records, independently of the reports app."""
    visits = Visit.objects.all()
    return {
        "visits": visits.count(),
        "unique_clients": visits.values("client").distinct().count(),
        "by_gender_and_year": sorted(
            Client.objects.values_list("gender", "birth_year").annotate(n=Count("id")).order_by()
        ),
        "registered_per_day": sorted((c.registered_at.date(), c.gender) for c in Client.objects.all()),
        "refusals": sorted(Refusal.objects.values_list("reason", flat=True)),
        "emergencies": sorted(Emergency.objects.values_list("kind", "outcome", "duration_seconds")),
        "health_services": sorted(HealthService.objects.values_list("kind", flat=True)),
        "sessions": CounselingSession.objects.aggregate(n=Count("id"), seconds=Sum("duration_seconds")),
        "referrals": sorted(Referral.objects.values_list("service_id", "status")),
        "booth_seconds": BoothSession.objects.aggregate(s=Sum("duration_seconds"))["s"],
        "bans": Ban.objects.count(),
        "intakes": sorted(Intake.objects.values_list("outcome", flat=True)),
    }


def reports_figures(now) -> list[str]:
    monthly = pytest.importorskip("reports.selectors.monthly")
    return [repr(monthly.monthly_report(month, now=now).figures) for month in MONTHS]


ELEVEN_YEARS_LATER = oslo(dt.date(2037, 4, 1), 3)


def test_it_keeps_every_figure_of_the_reports_the_same(history):
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        now = dt.datetime.now(tz=dt.UTC)
        before_own, before_reports = figures(), reports_figures(now)

        result = retention_run()

        assert result.anonymised == 1
        assert figures() == before_own
        assert reports_figures(now) == before_reports


def test_it_replaces_the_code_and_blanks_the_free_text_but_keeps_year_and_gender(history):
    year, gender = history.birth_year, history.gender
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    history.refresh_from_db()
    assert history.code == anonymous_code(history.pk)
    assert (history.birth_year, history.gender) == (year, gender)
    assert set(CounselingSession.objects.values_list("notes", "next_steps")) == {(REDACTED, REDACTED)}
    assert set(Intake.objects.values_list("notes", flat=True)) == {REDACTED}
    assert set(Ban.objects.values_list("reason", "lift_reason")) == {(REDACTED, "")}
    assert set(HealthService.objects.values_list("site", flat=True)) == {REDACTED}


def test_it_scrubs_the_old_values_from_the_change_history_too(history):
    session = CounselingSession.objects.get(client=history)
    session.notes = "Still grieving"
    session.save()
    old_code = history.code
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    assert not Client.history.filter(code=old_code).exists()
    assert set(CounselingSession.history.values_list("notes", flat=True)) == {REDACTED}
    assert set(Client.history.values_list("code", flat=True)) == {anonymous_code(history.pk)}


def test_it_blanks_why_a_follow_up_date_was_moved_and_keeps_the_dates(history, cast):
    referral = Referral.objects.get(client=history)
    with time_machine.travel(oslo(dt.date(2026, 3, 11), 10), tick=False):
        referral_follow_up_set(
            referral=referral, follow_up_on=dt.date(2026, 3, 24), by=cast["counselor"], reason="Mother in hospital"
        )
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    assert list(ReferralFollowUpChange.objects.values_list("from_date", "to_date", "reason")) == [
        (dt.date(2026, 3, 17), dt.date(2026, 3, 24), REDACTED)
    ]
    assert set(ReferralFollowUpChange.history.values_list("reason", flat=True)) == {REDACTED}


def test_it_keeps_who_viewed_the_record(client_for, history, at_noon):
    client_for("reception").get(f"/clients/{history.pk}/")
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()

    assert AccessLogEntry.objects.filter(client=history).count() == 1


def test_it_leaves_a_client_seen_within_the_period_alone(history, cast):
    with time_machine.travel(oslo(dt.date(2035, 1, 1), 12), tick=False):
        result = retention_run()

    history.refresh_from_db()
    assert result.anonymised == 0
    assert not history.code.startswith("ANON")


def test_it_is_idempotent(history):
    with time_machine.travel(ELEVEN_YEARS_LATER, tick=False):
        retention_run()
        again = retention_run()

    assert (again.deregistered, again.anonymised) == (0, 0)


def test_it_deregisters_after_twelve_months_without_a_visit(cast, facility):
    gone = make_client("GONE1980M", by=cast["reception"], at=oslo(dt.date(2025, 1, 10)))
    closed_visit(gone, by=cast["reception"], at=oslo(dt.date(2025, 2, 1)))
    recent = make_client("HERE1980K", by=cast["reception"], at=oslo(dt.date(2025, 1, 10)))
    closed_visit(recent, by=cast["reception"], at=oslo(dt.date(2025, 4, 1)))
    never = make_client("NEVR1990M", by=cast["reception"], at=oslo(dt.date(2025, 2, 2)))

    with time_machine.travel(oslo(dt.date(2026, 3, 1)), tick=False):
        result = retention_run()

    statuses = dict(Client.objects.values_list("code", "status"))
    assert statuses == {
        "GONE1980M": Client.Status.DEREGISTERED,
        "HERE1980K": Client.Status.ACTIVE,
        "NEVR1990M": Client.Status.DEREGISTERED,
    }
    assert result.deregistered == 2
    assert never.history.count() == 2  # the deregistration is in the change history


def test_the_command_reports_what_it_did(cast, facility):
    make_client("GONE1980M", by=cast["reception"], at=oslo(dt.date(2010, 1, 10)))
    out = StringIO()

    call_command("retention", stdout=out)

    assert out.getvalue().strip() == "deregistered=1 anonymised=1"


def test_the_anonymous_codes_are_unique_and_valid():
    from django.core.validators import RegexValidator

    from visits.models.clients import CODE_PATTERN

    codes = {anonymous_code(n) for n in (1, 2, 26, 27, 456976, 456977, 10**6)}

    assert len(codes) == 7
    for code in codes:
        RegexValidator(CODE_PATTERN)(code)


def test_it_keeps_contacts_counted(cast, facility):
    person = make_client("CONT1980M", by=cast["reception"], at=oslo(dt.date(2010, 1, 10)))
    Contact.objects.create(
        client=person, at=oslo(dt.date(2010, 1, 11)), by=cast["reception"], note="asked about NAV", equipment=True
    )

    retention_run()

    assert list(Contact.objects.values_list("client_id", "note")) == [(person.pk, REDACTED)]


def test_it_blanks_the_text_of_the_incidents_the_client_was_in_and_keeps_them_counted(cast, facility):
    person = make_client("INCI1980M", by=cast["reception"], at=oslo(dt.date(2010, 1, 10)))
    other = make_client("OTHR1981K", by=cast["reception"], at=oslo(dt.date(2026, 1, 10)))
    old = incident_record(
        kind=Incident.Kind.THREATS,
        occurred_at=oslo(dt.date(2010, 1, 11)),
        area=Incident.Area.ENTRANCE,
        room=None,
        clients=[person],
        other_party="a man with a red dog",
        description="INCI1980M shouted at the door",
        action_taken="Talked INCI1980M down",
        by=cast["duty"],
        now=oslo(dt.date(2010, 1, 11)),
    )
    recent = incident_record(
        kind=Incident.Kind.DAMAGE,
        occurred_at=oslo(dt.date(2026, 1, 11)),
        area=Incident.Area.ENTRANCE,
        room=None,
        clients=[other],
        description="OTHR1981K broke the door handle",
        action_taken="Called the caretaker",
        by=cast["duty"],
        now=oslo(dt.date(2026, 1, 11)),
    )

    retention_run(now=oslo(dt.date(2026, 3, 1)))

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.description, old.action_taken, old.other_party) == (REDACTED, REDACTED, REDACTED)
    assert (old.kind, old.area, list(old.clients.all())) == (Incident.Kind.THREATS, Incident.Area.ENTRANCE, [person])
    assert recent.description == "OTHR1981K broke the door handle"

"""The synthetic history is consistent the way the services keep real data consistent."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Sum

from counseling.models import Referral, ReferralStatusChange
from health.models import Emergency, Intervention
from visits.models import (
    BoothSession,
    Client,
    HandOut,
    Observation,
    ObservationCheck,
    StockBalance,
    StockMovement,
    Visit,
    VisitEvent,
)
from visits.models.clients import CODE_PATTERN

VISITS = 1500
END = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def history(django_db_setup, django_db_blocker):
    """One history for the module, made through the command and rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("generate_history", visits=VISITS, years=1, seed=5, end=END.isoformat(), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def made(history, db):
    return history


def test_it_writes_exactly_the_visits_asked_for_and_says_so(made):
    assert Visit.objects.count() == VISITS
    assert f"{VISITS:,} visits of" in made


def test_it_reports_its_progress_with_the_visits_written_and_the_time_taken(made):
    lines = [line for line in made.splitlines() if f"of {VISITS:,} visits" in line]

    assert len(lines) >= 20  # every twentieth of the days
    assert f"{VISITS:,} of {VISITS:,} visits  100 %" in lines[-1]
    assert re.search(r"\d+ s +[\d,]+ visits/s  about +\d+ s to go$", lines[-1])


def test_it_writes_every_visits_events_in_time_order_from_check_in_to_check_out(made):
    events = defaultdict(list)
    for visit_id, kind, at in VisitEvent.objects.order_by("visit_id", "at", "pk").values_list("visit_id", "kind", "at"):
        events[visit_id].append((kind, at))
    by_pk = defaultdict(list)
    for visit_id, at in VisitEvent.objects.order_by("visit_id", "pk").values_list("visit_id", "at"):
        by_pk[visit_id].append(at)

    assert len(events) == VISITS
    for visit_id, steps in events.items():
        kinds = [kind for kind, _at in steps]
        assert kinds[0] == VisitEvent.Kind.CHECKED_IN and kinds[-1] == VisitEvent.Kind.CHECKED_OUT, visit_id
        assert kinds.count(VisitEvent.Kind.CHECKED_IN) == kinds.count(VisitEvent.Kind.CHECKED_OUT) == 1
        assert by_pk[visit_id] == sorted(by_pk[visit_id]), f"events of visit {visit_id} out of order"


def test_it_closes_every_timer_and_stores_its_duration(made):
    for model, start in ((Visit, "checked_in_at"), (BoothSession, "started_at"), (Observation, "started_at")):
        assert model.objects.exists(), model
        assert not model.objects.filter(ended_at__isnull=True).exists(), model
        for began, ended, seconds in model.objects.values_list(start, "ended_at", "duration_seconds"):
            assert seconds == int((ended - began).total_seconds())
    assert not Emergency.objects.filter(ended_at__isnull=True).exists()
    assert not Visit.objects.exclude(location=Visit.Location.GONE).exists()


def test_it_never_puts_two_clients_in_a_booth_at_once(made):
    sessions = defaultdict(list)
    for booth, started, ended in BoothSession.objects.values_list("booth_id", "started_at", "ended_at"):
        sessions[booth].append((started, ended))
    assert sum(len(spans) > 1 for spans in sessions.values()) > 1, "no booth used twice: nothing to compare"
    for booth, spans in sessions.items():
        spans.sort()
        for (_start, previous_end), (start, _end) in zip(spans, spans[1:], strict=False):
            assert start >= previous_end, f"booth {booth} double-booked at {start}"


def test_it_never_has_a_client_inside_twice(made):
    stays = defaultdict(list)
    for client, began, ended in Visit.objects.values_list("client_id", "checked_in_at", "ended_at"):
        stays[client].append((began, ended))
    assert sum(len(spans) > 1 for spans in stays.values()) > 1, "no client came twice: nothing to compare"
    for client, spans in stays.items():
        spans.sort()
        for (_began, previous_end), (began, _ended) in zip(spans, spans[1:], strict=False):
            assert began >= previous_end, f"client {client} checked in while inside"


def test_it_keeps_stock_above_zero_and_the_level_equal_to_the_ledger(made):
    ledger = defaultdict(list)
    for item, quantity, at in StockMovement.objects.values_list("item_id", "quantity", "at"):
        ledger[item].append((at, quantity))
    for item, quantity, at in HandOut.objects.values_list("item_id", "quantity", "at"):
        ledger[item].append((at, -quantity))
    assert ledger
    for item, entries in ledger.items():
        level = 0
        for _at, change in sorted(entries, key=lambda entry: (entry[0], -entry[1])):
            level += change
            assert level >= 0, f"item {item} below zero"
        assert StockBalance.objects.get(item_id=item).level == level
    handed_out = HandOut.objects.filter(visit__isnull=False).aggregate(n=Sum("quantity"))["n"]
    assert handed_out > 0


def test_it_knows_clients_by_pseudonymous_codes_and_their_age_and_gender(made):
    clients = list(Client.objects.values_list("code", "birth_year", "gender"))
    assert clients
    for code, birth_year, gender in clients:
        assert re.match(CODE_PATTERN, code)
        assert code.endswith(f"{birth_year}{gender}")
    ages = [END.year - year for year in Visit.objects.values_list("client__birth_year", flat=True)]
    assert 28 <= sum(ages) / len(ages) <= 42
    assert all(age >= 18 for age in ages)


def test_it_records_overdoses_at_a_plausible_rate_with_naloxone_given_properly(made):
    sessions = BoothSession.objects.count()
    overdoses = Emergency.objects.filter(kind__in=Emergency.OVERDOSE_KINDS).count()
    assert 0.003 * sessions <= overdoses <= 0.04 * sessions
    for emergency in Emergency.objects.select_related("visit"):
        assert emergency.visit.checked_in_at <= emergency.started_at <= emergency.ended_at <= emergency.visit.ended_at
        assert emergency.outcome
    naloxone = Intervention.objects.filter(kind=Intervention.Kind.NALOXONE)
    assert naloxone.exists()
    assert not naloxone.filter(dose_mg__isnull=True).exists()


def test_it_flags_the_check_before_an_overdose(made):
    emergencies = list(Emergency.objects.values_list("pk", "visit_id", "started_at", "kind"))
    assert emergencies, "the history has no emergency: nothing below would be checked"
    assert {kind for *_rest, kind in emergencies} & set(Emergency.OVERDOSE_KINDS)
    for pk, visit_id, started_at, _kind in emergencies:
        assert visit_id is not None, f"emergency {pk} belongs to no visit"
        flagged_before = ObservationCheck.objects.filter(
            visit_id=visit_id, flagged=True, at__lte=started_at, at__gte=started_at - dt.timedelta(minutes=5)
        )
        assert flagged_before.exists(), f"no flagged check in the minutes before emergency {pk}"


def test_it_follows_each_referral_through_dated_status_changes(made):
    referrals = list(Referral.objects.all())
    assert referrals
    for referral in referrals:
        changes = list(ReferralStatusChange.objects.filter(referral=referral).order_by("at", "pk"))
        assert changes[0].from_status == "" and changes[0].to_status == Referral.Status.PROPOSED
        for previous, change in zip(changes, changes[1:], strict=False):
            assert change.from_status == previous.to_status
        assert referral.status == changes[-1].to_status
        assert referral.status_changed_at == changes[-1].at
        assert (referral.follow_up_on is not None) == referral.is_open

"""The rollup follows corrections: a change to an old record marks its days, and the next read counts them again."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from health.models import Emergency
from reports.models import DailyFigures, RollupMark
from reports.periods import Period, PeriodKind
from reports.selectors import arrivals_heatmap, daily_counts
from reports.selectors.charts import handed_out_in
from reports.services import daily_figures_follow_corrections
from tests.support.factories import ClientFactory, RefusalFactory, VisitFactory
from tests.support.figures import chart_data, figure_cells, number
from tests.support.migrations import migrated_back
from tests.support.scenes.march import at
from visits.models import BoothSession, Client, EquipmentItem, HandOut, Refusal, Visit

pytestmark = pytest.mark.django_db

COUNTS = (
    "visits",
    "unique_clients",
    "new_registrations",
    "refusals",
    "consumption_events",
    "emergencies",
    "overdoses",
)
FIELDS = (*COUNTS, "handed_out", "arrivals_by_hour")
WATCHED = {model._meta.db_table for model in (Visit, Client, Refusal, BoothSession, Emergency, HandOut)}
FORTY_DAYS_AGO = at(3, 6, 12)  # today is 15 April 2026


@pytest.fixture
def history(march, cast):
    """The known March, a visit 40 days back and a seizure last November, all rolled up."""
    client = ClientFactory(letters="FORTY", registered_at=at(1, 10, 10))
    visit = VisitFactory(client=client, checked_in_at=FORTY_DAYS_AGO, ended_at=FORTY_DAYS_AGO, location="gone")
    emergency = Emergency.objects.create(
        kind=Emergency.Kind.SEIZURE, started_at=at(11, 20, 14, year=2025), started_by=cast["health"]
    )
    _rollup("--all")
    return visit, emergency


def _rollup(*args: str) -> str:
    out = io.StringIO()
    call_command("rollup_daily", *args, stdout=out)
    return out.getvalue()


def _charts(client_for) -> dict[str, dict[str, int]]:
    """The long-range charts as the dashboard draws them, each by its labels."""
    page = client_for("coordinator").get("/dashboard/").content.decode()
    charts = {}
    for chart in ("data-per-day", "data-per-month", "data-overdoses-per-month"):
        data = chart_data(page, chart)
        charts[chart] = dict(zip(data["labels"], data["values"], strict=True))
    return charts


def _fresh_charts(client_for) -> dict[str, dict[str, int]]:
    """The charts counted from the records alone, with no rollup."""
    DailyFigures.objects.all().delete()
    return _charts(client_for)


def _stored(day: dt.date) -> dict[str, int]:
    return dict(zip(FIELDS, DailyFigures.objects.values_list(*FIELDS).get(date=day), strict=True))


def _marks() -> list[dt.date]:
    """The marked UTC dates, each once (a date has a mark for every write to it)."""
    return sorted(set(RollupMark.objects.values_list("utc_date", flat=True)))


def test_it_counts_again_a_visit_moved_from_40_days_ago_when_the_dashboard_opens(history, client_for):
    visit, _emergency = history
    assert _stored(dt.date(2026, 3, 6))["visits"] == 1

    Visit.objects.filter(pk=visit.pk).update(checked_in_at=at(2, 20, 11))
    charts = _charts(client_for)

    assert _stored(dt.date(2026, 3, 6))["visits"] == 0
    assert _stored(dt.date(2026, 2, 20))["visits"] == 1
    assert (charts["data-per-day"]["6.3."], charts["data-per-day"]["20.2."]) == (0, 1)
    assert (charts["data-per-month"]["feb 2026"], charts["data-per-month"]["mar 2026"]) == (2, 7)
    assert charts == _fresh_charts(client_for)


def test_it_counts_again_an_emergency_from_last_year_that_turns_out_an_overdose(history, client_for):
    _visit, emergency = history
    assert "nov 2025" not in _charts(client_for)["data-overdoses-per-month"]  # no visit nor overdose yet

    emergency.kind = Emergency.Kind.OPIOID_OVERDOSE
    emergency.save()
    charts = _charts(client_for)

    assert _stored(dt.date(2025, 11, 20))["overdoses"] == 1
    assert charts["data-overdoses-per-month"]["nov 2025"] == 1
    assert charts == _fresh_charts(client_for)


def test_it_counts_again_an_overdose_from_last_year_moved_to_another_month(history, client_for):
    _visit, emergency = history
    Emergency.objects.filter(pk=emergency.pk).update(kind=Emergency.Kind.STIMULANT_OVERDOSE)
    _charts(client_for)

    emergency.refresh_from_db()
    emergency.started_at = at(12, 3, 9, year=2025)
    emergency.save()
    charts = _charts(client_for)

    assert _stored(dt.date(2025, 11, 20))["emergencies"] == 0
    assert (_stored(dt.date(2025, 12, 3))["emergencies"], _stored(dt.date(2025, 12, 3))["overdoses"]) == (1, 1)
    assert "nov 2025" not in charts["data-overdoses-per-month"]
    assert charts["data-overdoses-per-month"]["des 2025"] == 1  # in bokmål, as the coordinator reads it
    assert charts == _fresh_charts(client_for)


def test_it_counts_the_corrected_days_again_in_the_nightly_run_and_says_which(history):
    visit, emergency = history
    Visit.objects.filter(pk=visit.pk).update(checked_in_at=at(2, 20, 11))
    Emergency.objects.filter(pk=emergency.pk).update(kind=Emergency.Kind.OPIOID_OVERDOSE)

    output = _rollup()

    assert (
        "Counted again after corrections: 2025-11-20, 2025-11-21, 2026-02-20, 2026-02-21, 2026-03-06, 2026-03-07"
        in (output)
    )
    assert not [date for date in _marks() if date < dt.date(2026, 4, 14)]
    first = DailyFigures.objects.order_by("date").first()
    assert first is not None
    counted = daily_counts(first.date, dt.date(2026, 4, 14))
    stored = {day: _stored(day) for day in DailyFigures.objects.values_list("date", flat=True)}
    assert stored == counted


def test_it_says_when_nothing_was_corrected(history):
    assert "Counted again" not in _rollup()


def test_it_marks_the_old_and_the_new_day_in_the_correcting_transaction(history):
    visit, _emergency = history
    before = _marks()

    with transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(checked_in_at=at(2, 20, 11))
        assert set(_marks()) - set(before) == {dt.date(2026, 2, 20), dt.date(2026, 3, 6)}


@pytest.mark.parametrize(
    ("model", "moment"),
    [
        (Client, "registered_at"),
        (Refusal, "at"),
        (BoothSession, "started_at"),
        (Emergency, "started_at"),
        (HandOut, "at"),
    ],
)
def test_it_marks_each_counted_record_moved_in_time(history, model, moment):
    record = model.objects.filter(**{f"{moment}__month": 3}).earliest(moment)
    old = getattr(record, moment)
    RollupMark.objects.all().delete()

    model.objects.filter(pk=record.pk).update(**{moment: old - dt.timedelta(days=400)})

    assert _marks() == sorted({(old - dt.timedelta(days=400)).astimezone(dt.UTC).date(), old.astimezone(dt.UTC).date()})


def test_it_leaves_no_mark_when_the_correction_is_rolled_back(history):
    visit, emergency = history
    before = _marks()

    with pytest.raises(RuntimeError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(checked_in_at=at(2, 20, 11))
        Emergency.objects.filter(pk=emergency.pk).delete()
        raise RuntimeError("the correction fails")

    assert _marks() == before


def test_it_marks_nothing_when_what_changed_is_not_counted(history):
    visit, emergency = history
    before = _marks()

    visit.ended_at = FORTY_DAYS_AGO + dt.timedelta(hours=1)
    visit.save()  # every column written, none counted changed
    Emergency.objects.filter(pk=emergency.pk).update(place=Emergency.Place.BOOTH, notes="Found in booth 2.")
    Client.objects.filter(pk=visit.client_id).update(status=Client.Status.DEREGISTERED)

    assert _marks() == before


def test_it_counts_again_a_late_record_and_a_deleted_one(history, client_for):
    visit, emergency = history
    RefusalFactory(client=visit.client, at=at(3, 6, 13))
    VisitFactory(
        client=ClientFactory(letters="LATE", registered_at=at(3, 6, 14)),
        checked_in_at=at(3, 6, 15),
        ended_at=at(3, 6, 16),
        location="gone",
    )
    Visit.objects.filter(pk=visit.pk).delete()
    emergency.delete()

    charts = _charts(client_for)

    assert _stored(dt.date(2026, 3, 6)) == dict.fromkeys(COUNTS, 0) | {
        "visits": 1,
        "unique_clients": 1,
        "new_registrations": 1,
        "refusals": 1,
        "handed_out": {},
        "arrivals_by_hour": [0] * 15 + [1] + [0] * 8,
    }
    assert _stored(dt.date(2025, 11, 20))["emergencies"] == 0
    assert charts["data-per-day"]["6.3."] == 1
    assert charts == _fresh_charts(client_for)


def test_it_keeps_the_marks_of_days_past_the_rollup_for_the_run_that_gets_there(history, client_for):
    VisitFactory(client=ClientFactory(letters="TODAY"), checked_in_at=at(4, 15, 11))

    _charts(client_for)

    assert dt.date(2026, 4, 15) in _marks()


def test_it_asks_the_database_once_when_nothing_is_marked(history):
    RollupMark.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        assert daily_figures_follow_corrections() == []

    assert len(queries) == 1, [query["sql"] for query in queries.captured_queries]


def _triggers() -> set[tuple[str, str]]:
    """(table, event) for every rollup trigger in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = {"rollup_mark": "insert or delete", "rollup_mark_update": "update"}
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname = ANY(%s)", [list(names)]
            )
            return {(table, names[name]) for table, name in cursor.fetchall()}
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup_mark_%'")
        return {(table, name.rsplit("_", 1)[1]) for table, name in cursor.fetchall()}


def _expected() -> set[tuple[str, str]]:
    events = ("insert or delete", "update") if connection.vendor == "postgresql" else ("insert", "delete", "update")
    return {(table, event) for table in WATCHED for event in events}


def test_every_counted_table_marks_its_changes():
    """A schema change that rebuilds a table (SQLite does, to alter one) must not lose its triggers."""
    assert _triggers() == _expected()


@pytest.mark.django_db(transaction=True)
def test_the_triggers_survive_migrating_back_and_forward():
    with migrated_back([("reports", "0002_day_sheet_permission")]):
        assert _triggers() == set()

    assert _triggers() == _expected()
    ClientFactory(registered_at=FORTY_DAYS_AGO)
    assert dt.date(2026, 3, 6) in _marks()


def _handed_out_on_dashboard(client_for, item: EquipmentItem) -> int:
    """March's hand-outs of ``item`` as the dashboard shows them."""
    page = client_for("coordinator").get("/dashboard/?period=custom&start=2026-03-01&end=2026-03-31")
    return number(figure_cells(page.content.decode())[f"handed-out-{item.pk}"][1])


def test_hand_outs_and_arrivals_read_from_the_rollup_are_those_counted_from_the_records(history):
    period = Period(PeriodKind.CUSTOM, dt.date(2025, 11, 1), dt.date(2026, 4, 15))
    today = dt.date(2026, 4, 15)
    assert DailyFigures.objects.filter(date__gte=period.first).count() > 100

    rolled = handed_out_in(period, today), arrivals_heatmap(period, today)
    DailyFigures.objects.all().delete()
    counted = handed_out_in(period, today), arrivals_heatmap(period, today)

    assert rolled == counted
    assert sum(rolled[0].values()) > 0 and rolled[1].highest > 0


def test_a_hand_out_corrected_on_a_rolled_up_day_shows_on_the_next_report(history, client_for, cast):
    visit = Visit.objects.filter(checked_in_at__month=3).earliest("checked_in_at")
    item = EquipmentItem.objects.order_by("pk").first()
    assert item is not None
    before = _handed_out_on_dashboard(client_for, item)

    HandOut.objects.create(item=item, quantity=40, visit=visit, at=visit.checked_in_at, by=cast["health"])

    assert _handed_out_on_dashboard(client_for, item) == before + 40
    assert (
        DailyFigures.objects.get(date=visit.checked_in_at.astimezone(ZoneInfo("Europe/Oslo")).date()).handed_out[
            str(item.pk)
        ]
        >= 40
    )

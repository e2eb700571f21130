"""The day sheet: a known Tuesday (10 March 2026) worked out by hand, read the next morning.

The day: four visits by three clients (one of them left asleep at closing and closed with a reason),
an overdose with two doses of naloxone (a third entered by mistake and withdrawn) and an ambulance, a
seizure of an unknown person, threats at the door with the police called, two refusals, a ban, a
handover, a shift, the syringes below their warning level, CARL's intake interview, and two walk-in
contacts (one anonymous with advice, one by ANNA with equipment). Around it, a visit late the evening
before and one just after midnight, which belong to other days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext, override

from audit.models import AccessLogEntry
from counseling.models import Intake
from duty.models import Handover
from health.models import Emergency, Intervention
from tests.support.factories import BanFactory, RefusalFactory, closed_visit, make_client, shift
from tests.support.pages import marked_text, marked_texts, nav_hrefs, nb, text_of
from tests.support.queries import own_queries
from tests.support.time import TUESDAY, oslo
from visits.models import Client, Contact, EquipmentItem, HandOut, Incident, Refusal, StockBalance, Visit

pytestmark = pytest.mark.django_db

DAY = TUESDAY  # 10 March 2026
NEXT_MORNING = oslo(DAY + dt.timedelta(days=1), 9)
URL = "/reports/day/2026-03-10/"


def _emergency(*, client, at, by, kind=Emergency.Kind.OPIOID_OVERDOSE, outcome, ambulance=None, visit=None):
    return Emergency.objects.create(
        client=client,
        visit=visit,
        kind=kind,
        place=Emergency.Place.OBSERVATION,
        started_at=at,
        started_by=by,
        ended_at=at + dt.timedelta(minutes=20),
        ended_by=by,
        outcome=outcome,
        duration_seconds=20 * 60,
        ambulance_called_at=ambulance,
    )


def _naloxone(emergency, *, at, mg: str, by, withdrawn: bool = False):
    return Intervention.objects.create(
        emergency=emergency,
        kind=Intervention.Kind.NALOXONE,
        at=at,
        by=by,
        route=Intervention.Route.INTRANASAL,
        dose_mg=Decimal(mg),
        withdrawn_at=at + dt.timedelta(minutes=1) if withdrawn else None,
        withdrawn_by=by if withdrawn else None,
        withdrawn_reason="Entered twice" if withdrawn else "",
    )


@pytest.fixture
def day(cast):
    """The known Tuesday, built at noon that day (the records are written as they happen)."""
    reception, health, duty = cast["reception"], cast["health"], cast["duty"]
    with time_machine.travel(oslo(DAY, 23), tick=False):
        anna = make_client("ANNA1980K", by=reception, at=oslo(DAY - dt.timedelta(days=30)))
        bent = make_client("BENT1985M", by=reception, at=oslo(DAY - dt.timedelta(days=30)))
        carl = make_client("CARL1990M", by=reception, at=oslo(DAY, 8, 30))
        dora = make_client("DORA1975K", by=reception, at=oslo(DAY - dt.timedelta(days=30)))
        # Four visits by three clients; each a booth session (injection, heroin) and observation.
        morning = closed_visit(anna, by=health, at=oslo(DAY, 9))
        closed_visit(anna, by=health, at=oslo(DAY, 15))
        closed_visit(carl, by=health, at=oslo(DAY, 13))
        asleep = closed_visit(bent, by=health, at=oslo(DAY, 20, 50))
        Visit.objects.filter(pk=asleep.pk).update(
            ended_at=oslo(DAY, 21, 40),
            end_reason=Visit.EndReason.LEFT_AT_CLOSING,
            end_note="Asleep in the waiting room, woken and walked out",
        )
        # Other days: the evening before and just after midnight.
        closed_visit(dora, by=health, at=oslo(DAY - dt.timedelta(days=1), 23, 30), minutes=20)
        closed_visit(dora, by=health, at=oslo(DAY + dt.timedelta(days=1), 0, 10), minutes=20)

        overdose = _emergency(
            client=anna,
            visit=morning,
            at=oslo(DAY, 9, 30),
            by=health,
            outcome=Emergency.Outcome.RECOVERED,
            ambulance=oslo(DAY, 9, 33),
        )
        _naloxone(overdose, at=oslo(DAY, 9, 31), mg="1.8", by=health)
        _naloxone(overdose, at=oslo(DAY, 9, 35), mg="0.4", by=health)
        _naloxone(overdose, at=oslo(DAY, 9, 36), mg="1.8", by=health, withdrawn=True)
        _emergency(
            client=None,
            at=oslo(DAY, 20),
            by=health,
            kind=Emergency.Kind.SEIZURE,
            outcome=Emergency.Outcome.HOSPITAL,
            ambulance=oslo(DAY, 20, 2),
        )

        Incident.objects.create(
            kind=Incident.Kind.THREATS,
            occurred_at=oslo(DAY, 18),
            area=Incident.Area.ENTRANCE,
            description="Threatened staff at the door\nand kicked the bin",
            action_taken="Police called; asked to leave",
            police_called=True,
            recorded_at=oslo(DAY, 18, 20),
            recorded_by=duty,
        ).clients.set([dora])
        RefusalFactory(client=carl, at=oslo(DAY, 12), by=reception, reason=Refusal.Reason.TOO_INTOXICATED)
        RefusalFactory(client=dora, at=oslo(DAY, 18, 5), by=reception, reason=Refusal.Reason.BANNED)
        RefusalFactory(client=dora, at=oslo(DAY + dt.timedelta(days=1), 8, 5), by=reception)  # another day
        BanFactory(
            client=dora,
            reason="Threats at the door",
            starts_at=oslo(DAY, 18, 10),
            ends_at=oslo(DAY + dt.timedelta(days=7), 18, 10),
            created_by=duty,
        )
        handover = Handover.objects.create(
            written_at=oslo(DAY, 21, 45),
            written_by=duty,
            concern_notes="",
            other_notes="\nQuiet evening after the police left.\nThe bin is broken.",
        )
        handover.clients_of_concern.set([bent])
        shift(oslo(DAY, 8), oslo(DAY, 16), duty=duty, members=[(health, "health")], by=cast["coordinator"])

        counselor = cast["counselor"]
        Intake.objects.create(
            client=carl,
            at=oslo(DAY, 8, 40),
            by=counselor,
            is_adult=True,
            long_term_heroin_dependence=True,
            harmful_injection_practice=True,
            consent_given=True,
            house_rules_explained=True,
            harm_reduction_advice_given=True,
            outcome=Intake.Outcome.ACCEPTED,
        )
        Contact.objects.create(gender=Client.Gender.MAN, advice=True, at=oslo(DAY, 11), by=reception)
        Contact.objects.create(client=anna, gender=anna.gender, equipment=True, at=oslo(DAY, 19), by=reception)
        Contact.objects.create(
            gender=Client.Gender.WOMAN, advice=True, at=oslo(DAY + dt.timedelta(days=1), 8), by=reception
        )  # another day
        syringe = EquipmentItem.objects.get(name_en="Syringe 1 ml")
        HandOut.objects.create(item=syringe, quantity=3, visit=morning, at=oslo(DAY, 9, 10), by=health)
        EquipmentItem.objects.update(low_stock_threshold=0)
        EquipmentItem.objects.filter(pk=syringe.pk).update(low_stock_threshold=50)
        # Every item counted (a new installation's are not): only the syringes warn.
        for item in EquipmentItem.objects.all():
            StockBalance.objects.update_or_create(
                item=item, defaults={"level": 100, "count_needed": False, "counted_at": oslo(DAY, 7)}
            )
        StockBalance.objects.filter(item=syringe).update(level=12)
    return {"anna": anna, "bent": bent, "carl": carl, "dora": dora}


@pytest.fixture
def next_morning(facility):
    with time_machine.travel(NEXT_MORNING, tick=False) as traveller:
        yield traveller


def _figure(body: str, key: str) -> str:
    found = marked_texts(body.replace(f'data-figure="{key}"', f'data-testid="figure-{key}"'), f"figure-{key}")
    assert len(found) == 1, key
    return found[0]


def test_it_shows_the_days_figures_worked_out_by_hand(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    assert _figure(body, "visits") == f"{nb('Visits')} 4"
    assert _figure(body, "unique-clients") == f"{nb('Unique clients')} 3"
    assert _figure(body, "new-registrations").endswith(" 1")  # CARL, registered that morning
    assert _figure(body, "consumption-events").endswith(" 4")
    assert _figure(body, "overdoses").endswith(" 1")
    assert _figure(body, "emergencies-other").endswith(" 1")
    assert _figure(body, "naloxone-events").endswith(" 1")
    assert _figure(body, "naloxone-doses").endswith(" 2")  # the withdrawn third was never given
    assert _figure(body, "ambulance-calls").endswith(" 2")
    assert _figure(body, "refusals").endswith(" 2")
    assert _figure(body, "bans-started").endswith(" 1")
    assert _figure(body, "incidents").endswith(" 1")
    assert _figure(body, "intakes") == f"{nb('Intake interviews')} 1"
    assert _figure(body, "contacts") == f"{nb('Walk-in contacts')} 2"
    assert _figure(body, "contacts-anonymous").endswith(" 1")
    assert _figure(body, "contacts-equipment").endswith(" 1")
    assert _figure(body, "closed-out") == f"{nb('Visits closed without a check-out')} 1"  # BENT, asleep at closing
    syringe = EquipmentItem.objects.get(name_en="Syringe 1 ml")
    assert _figure(body, f"handed-out-{syringe.pk}") == f"Sprøyte 1 ml 3 {syringe.get_unit_display()}"


def test_it_heads_the_sheet_with_the_facility_the_hours_and_who_printed_it(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    assert "10. mars 2026" in marked_text(body, "day-sheet-date")
    assert marked_text(body, "day-sheet-facility") == (
        "Sprøyterommet i Bergen · Bergen kommune, Etat for psykisk helse og rustjenester"
    )
    hours = marked_text(body, "day-sheet-hours")
    assert "08:00–21:30" in hours
    assert "21:00" in hours  # last admission
    printed = marked_text(body, "day-sheet-printed")
    assert "11.3.2026 09:00" in printed
    assert "duty" in printed
    assert not marked_texts(body, "day-sheet-state")  # the day is over


def test_it_lists_the_emergencies_with_naloxone_outcome_and_ambulance(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    with override("nb"):
        doses = ngettext("%(counter)s dose, %(mg)s mg", "%(counter)s doses, %(mg)s mg", 2) % {"counter": 2, "mg": "2,2"}
    rows = marked_texts(body, "day-emergency")
    assert rows == [
        f"09:30 {nb('Opioid overdose')} ANNA1980K {doses} {nb('Recovered on site')} "
        + nb("called %(time)s") % {"time": "09:33"},
        f"20:00 {nb('Seizure')} {nb('unknown person')} – {nb('Transported to hospital')} "
        + nb("called %(time)s") % {"time": "20:02"},
    ]


def test_it_lists_incidents_refusals_bans_and_handovers(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    assert marked_texts(body, "day-incident") == [
        f"18:00 {nb('Threats')} {nb('At the entrance')} DORA1975K Threatened staff at the door and kicked the bin "
        f"{nb('yes')}"
    ]
    assert marked_texts(body, "day-refusal") == [
        f"12:00 CARL1990M {nb('Too intoxicated')}",
        f"18:05 DORA1975K {nb('Banned')}",
    ]
    assert marked_texts(body, "day-ban") == ["18:10 DORA1975K 17.3.2026 18:10 Threats at the door"]
    assert marked_texts(body, "day-handover") == ["21:45 duty Quiet evening after the police left."]


def test_it_lists_the_visits_closed_at_close_out_with_reason_and_note(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    assert marked_texts(body, "day-closed-visit") == [
        f"BENT1985M 20:50 21:40 {nb('Left at closing')} Asleep in the waiting room, woken and walked out"
    ]


def test_it_shows_the_staffing_and_the_stock_warnings(client_for, day, next_morning):
    body = client_for("duty").get(URL).content.decode()

    staffing = marked_text(body, "day-staffing")
    assert "08:00–16:00" in staffing
    assert "duty" in staffing and "health" in staffing
    stock = marked_text(body, "day-stock")
    assert stock.startswith("Sprøyte 1 ml: 12")
    assert "50" in stock
    assert "Kanyle" not in stock


def test_it_writes_an_access_entry_for_every_client_on_the_sheet(client_for, cast, day, next_morning):
    client_for("coordinator").get(URL)

    logged = AccessLogEntry.objects.filter(user=cast["coordinator"], kind=AccessLogEntry.Kind.DAY_SHEET)
    # ANNA (emergency), BENT (closed at close-out, handover), CARL (refusal), DORA (incident, refusal, ban):
    # once each, in one insert.
    assert sorted(logged.values_list("client__code", flat=True)) == ["ANNA1980K", "BENT1985M", "CARL1990M", "DORA1975K"]
    assert set(logged.values_list("path", flat=True)) == {URL}


def test_it_shows_the_administrator_the_figures_without_a_client(client_for, cast, day, next_morning):
    response = client_for("admin").get(URL)
    body = response.content.decode()

    assert response.status_code == 200
    assert _figure(body, "visits").endswith(" 4")
    for code in ("ANNA1980K", "BENT1985M", "CARL1990M", "DORA1975K"):
        assert code not in body
    assert "Asleep in the waiting room" not in body
    assert 'data-figure="overdoses"' not in body  # health data: for the clinical roles
    assert 'data-figure="consumption-events"' not in body
    assert marked_texts(body, "day-sheet-no-clients")
    assert not AccessLogEntry.objects.filter(user=cast["admin"]).exists()


@pytest.mark.parametrize("name", ["reception", "counselor", "health", "norole"])
@pytest.mark.parametrize("path", ["/reports/day/", URL])
def test_it_is_forbidden_to_the_other_roles(client_for, facility, name, path):
    assert client_for(name).get(path).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, facility):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("name", ["duty", "coordinator", "admin"])
def test_it_is_in_the_navigation_of_those_who_may_print_it(client_for, facility, name):
    assert "/reports/day/" in nav_hrefs(client_for(name).get("/reports/day/").content.decode())


def test_it_is_linked_from_the_dashboard(client_for, facility):
    body = client_for("duty").get("/dashboard/").content.decode()

    assert 'href="/reports/day/"' in body


def test_it_shows_today_so_far_and_says_the_day_is_not_over(client_for, cast, at_noon):
    anna = make_client("ANNA1980K", by=cast["reception"], at=oslo(DAY - dt.timedelta(days=30)))
    visit = closed_visit(anna, by=cast["health"], at=oslo(DAY, 9))
    _emergency(client=anna, visit=visit, at=oslo(DAY, 9, 30), by=cast["health"], outcome=Emergency.Outcome.RECOVERED)

    body = client_for("duty").get("/reports/day/").content.decode()

    assert "10. mars 2026" in marked_text(body, "day-sheet-date")
    assert "12:00" in marked_text(body, "day-sheet-state")
    assert _figure(body, "visits").endswith(" 1")
    assert [row.split()[0] for row in marked_texts(body, "day-emergency")] == ["09:30"]


def test_it_says_a_day_to_come_has_not_begun(client_for, day, next_morning):
    response = client_for("duty").get("/reports/day/2026-03-12/")
    body = response.content.decode()

    assert response.status_code == 200
    assert nb("This day has not begun: there is nothing to show yet.") in marked_text(body, "day-sheet-state")
    assert not marked_texts(body, "day-figures")


def test_it_links_the_day_before_and_after_and_picks_a_day(client_for, day, next_morning):
    http = client_for("duty")
    body = http.get(URL).content.decode()

    assert 'href="/reports/day/2026-03-09/"' in body
    assert 'href="/reports/day/2026-03-11/"' in body
    response = http.get("/reports/day/", {"date": "2026-03-10"})
    assert response.status_code == 302
    assert response["Location"] == URL


@pytest.mark.parametrize(
    "path",
    ["/reports/day/2026-02-30/", "/reports/day/2026-13-01/", "/reports/day/9999-12-31/", "/reports/day/0001-01-01/"],
)
def test_it_answers_a_day_that_is_no_good_with_a_404_saying_why(client_for, facility, path):
    response = client_for("duty").get(path)

    assert response.status_code == 404
    assert marked_text(response.content, "not-found-reason")


@pytest.mark.parametrize("value", ["9999-12-31", "1999-12-31", "2026-02-30", "tomorrow", "x" * 3000, "\x00"])
def test_it_answers_a_picked_date_that_is_no_good_with_a_400_and_todays_sheet(client_for, facility, value):
    response = client_for("duty").get("/reports/day/", {"date": value})

    assert response.status_code == 400
    text = text_of(response.content)
    assert "ÅÅÅÅ-MM-DD" in text or "2100" in text
    assert marked_texts(response.content, "day-sheet")


def test_it_keeps_to_the_same_number_of_queries_however_busy_the_day(client_for, cast, day, next_morning):
    http = client_for("duty")
    http.get(URL)
    with CaptureQueriesContext(connection) as quiet:
        http.get(URL)
    for n in range(6):
        at = oslo(DAY, 10, n)
        extra = make_client(f"XTRA{1980 + n}M", by=cast["reception"], at=at)
        RefusalFactory(client=extra, at=at, by=cast["reception"])
        emergency = _emergency(client=extra, at=at, by=cast["health"], outcome=Emergency.Outcome.RECOVERED)
        _naloxone(emergency, at=at, mg="0.4", by=cast["health"])
        BanFactory(client=extra, starts_at=at, created_by=cast["duty"])
    with CaptureQueriesContext(connection) as busy:
        body = http.get(URL).content.decode()

    assert len(marked_texts(body, "day-emergency")) == 8
    assert len(own_queries(busy)) == len(own_queries(quiet)), "\n".join(own_queries(busy))
    # Whether the rollup needs counting again, the period figures (about two dozen aggregates, the hand-outs
    # after the rollup's span), then one query per list: 40 in all.
    assert len(own_queries(busy)) <= 42, "\n".join(own_queries(busy))

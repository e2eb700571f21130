"""The monthly report: every indicator of the known March exactly, the external version's suppression,
the CSV's columns and encoding, month boundaries in Oslo time, and the way to a month."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from tests.support.factories import ClientFactory, VisitFactory
from tests.support.pages import marked_text_all as marked_text
from tests.support.scenes.march import at
from visits.models import Client, EquipmentItem
from visits.services.contacts import contact_record

pytestmark = pytest.mark.django_db

MARCH_CSV = "/reports/monthly/2026-03/csv/"

# Every row of March 2026's internal report, in English, in order.
MARCH_ROWS = [
    ("Report", "Month", "2026-03"),
    ("Report", "Version", "internal: all counts"),
    ("Visits and clients", "Visits", "7"),
    ("Visits and clients", "Unique clients (each counted once in the month)", "5"),
    ("Visits and clients", "New registrations", "4"),
    ("Visits and clients", "Intake interviews", "5"),
    ("Visits and clients", "Intake interview: Accepted", "3"),
    ("Visits and clients", "Intake interview: Refused", "2"),
    ("Unique clients by gender and age", "Gender: Man", "2"),
    ("Unique clients by gender and age", "Gender: Woman", "2"),
    ("Unique clients by gender and age", "Gender: Other / not stated", "1"),
    ("Unique clients by gender and age", "Age: Under 20", "1"),
    ("Unique clients by gender and age", "Age: 20–29", "1"),
    ("Unique clients by gender and age", "Age: 30–39", "1"),
    ("Unique clients by gender and age", "Age: 40–49", "0"),
    ("Unique clients by gender and age", "Age: 50–59", "1"),
    ("Unique clients by gender and age", "Age: 60 and over", "1"),
    ("Walk-in contacts (without a visit)", "Walk-in contacts", "6"),
    ("Walk-in contacts (without a visit)", "Contacts by gender: Man", "3"),
    ("Walk-in contacts (without a visit)", "Contacts by gender: Woman", "2"),
    ("Walk-in contacts (without a visit)", "Contacts by gender: Other / not stated", "1"),
    ("Walk-in contacts (without a visit)", "Anonymous", "3"),
    ("Walk-in contacts (without a visit)", "With a client code", "3"),
    ("Walk-in contacts (without a visit)", "Clients with a code (each counted once in the month)", "2"),
    ("Walk-in contacts (without a visit)", "Advice only", "2"),
    ("Walk-in contacts (without a visit)", "Equipment only", "2"),
    ("Walk-in contacts (without a visit)", "Equipment and advice", "2"),
    ("Consumption", "Consumption events", "6"),
    ("Consumption", "Substance: Heroin", "5"),
    ("Consumption", "Substance: Amphetamine", "1"),
    ("Consumption", "Route: Injection", "5"),
    ("Consumption", "Route: Smoking", "1"),
    ("Overdoses and other medical emergencies", "Overdoses", "4"),
    ("Overdoses and other medical emergencies", "Overdoses treated with naloxone", "3"),
    ("Overdoses and other medical emergencies", "Emergencies in which naloxone was given", "3"),
    ("Overdoses and other medical emergencies", "Naloxone doses given", "4"),
    ("Overdoses and other medical emergencies", "Naloxone given in total (mg)", "4.40"),
    ("Overdoses and other medical emergencies", "Other medical emergencies", "1"),
    ("Overdoses and other medical emergencies", "Kind: Opioid overdose", "3"),
    ("Overdoses and other medical emergencies", "Kind: Stimulant overdose", "1"),
    ("Overdoses and other medical emergencies", "Kind: Seizure", "1"),
    ("Overdoses and other medical emergencies", "Kind: Other medical emergency", "0"),
    ("Overdoses and other medical emergencies", "Ambulance calls", "2"),
    ("Overdoses and other medical emergencies", "Outcome: Recovered on site", "2"),
    ("Overdoses and other medical emergencies", "Outcome: Transported to hospital", "1"),
    ("Overdoses and other medical emergencies", "Outcome: Refused transport", "1"),
    ("Overdoses and other medical emergencies", "Outcome: Died", "0"),
    ("Overdoses and other medical emergencies", "Outcome: Not yet closed", "1"),
    ("Health services on site", "Health services", "4"),
    ("Health services on site", "Wound care", "2"),
    ("Health services on site", "Abscess care", "0"),
    ("Health services on site", "Vein care and injection practice advice", "1"),
    ("Health services on site", "Hygiene and self-care advice", "0"),
    ("Health services on site", "Offer of testing", "1"),
    ("Health services on site", "Offer of vaccination", "0"),
    ("Health services on site", "Referral to a doctor", "0"),
    ("Health services on site", "Other health help", "0"),
    ("Counseling and referrals", "Counseling sessions", "3"),
    ("Counseling and referrals", "Clients counseled", "2"),
    ("Counseling and referrals", "Referrals made", "3"),
    ("Counseling and referrals", "Referrals accepted by the service", "1"),
    ("Counseling and referrals", "Referrals attended", "1"),
    ("Counseling and referrals", "LAR (opioid agonist treatment): made", "2"),
    ("Counseling and referrals", "LAR (opioid agonist treatment): accepted", "1"),
    ("Counseling and referrals", "LAR (opioid agonist treatment): attended", "1"),
    ("Counseling and referrals", "NAV (labour and welfare): made", "1"),
    ("Counseling and referrals", "NAV (labour and welfare): accepted", "0"),
    ("Counseling and referrals", "NAV (labour and welfare): attended", "0"),
    ("Equipment handed out", "Syringe 1 ml (pcs)", "30"),
    ("Equipment handed out", "Needle (pcs)", "6"),
    ("Equipment handed out", "Cooker (pcs)", "0"),
    ("Equipment handed out", "Filter (pcs)", "0"),
    ("Equipment handed out", "Sterile water (pcs)", "0"),
    ("Equipment handed out", "Alcohol swab (pcs)", "0"),
    ("Equipment handed out", "Ascorbic acid (pcs)", "0"),
    ("Equipment handed out", "Tourniquet (pcs)", "0"),
    ("Equipment handed out", "Smoking foil (packs)", "1"),
    ("Equipment handed out", "Condoms (pcs)", "0"),
    ("Equipment handed out", "Naloxone nasal spray (packs)", "0"),
    ("Refusals and exclusions", "Refusals at the door", "6"),
    ("Refusals and exclusions", "Reason: Too intoxicated", "2"),
    ("Refusals and exclusions", "Reason: Substance not allowed", "2"),
    ("Refusals and exclusions", "Reason: Outside opening hours", "1"),
    ("Refusals and exclusions", "Reason: Banned", "1"),
    ("Refusals and exclusions", "Reason: Not eligible (no intake or not active)", "0"),
    ("Refusals and exclusions", "Reason: Other", "0"),
    ("Refusals and exclusions", "Substance brought: Amphetamine", "2"),
    ("Refusals and exclusions", "Bans started", "3"),
    ("Refusals and exclusions", "Bans in force at the end of the month", "3"),
    ("Visits closed without a check-out", "Visits closed without a check-out", "6"),
    ("Visits closed without a check-out", "Reason for closing: Left at closing", "2"),
    ("Visits closed without a check-out", "Reason for closing: Transferred (ambulance, hospital, police)", "1"),
    ("Visits closed without a check-out", "Reason for closing: Left without checking out", "1"),
    ("Visits closed without a check-out", "Reason for closing: Closed automatically overnight", "1"),
    ("Visits closed without a check-out", "Reason for closing: Other reason", "1"),
    ("Security incidents", "Security incidents", "3"),
    ("Security incidents", "Community-side incidents", "2"),
    ("Security incidents", "Incidents with police called", "1"),
    ("Security incidents", "Kind: Violence", "1"),
    ("Security incidents", "Kind: Threats", "1"),
    ("Security incidents", "Kind: Dealing on the premises", "0"),
    ("Security incidents", "Kind: Damage", "0"),
    ("Security incidents", "Kind: Weapon", "0"),
    ("Security incidents", "Kind: Police called", "0"),
    ("Security incidents", "Kind: Trouble outside the entrance", "0"),
    ("Security incidents", "Kind: Neighbours' complaint", "1"),
    ("Security incidents", "Kind: Other", "0"),
    ("Times", "Waiting time for a booth, median (minutes)", "10.0"),
    ("Times", "Waiting time for a booth, 90th percentile (minutes)", "26.0"),
    ("Times", "Time in the booth, median (minutes)", "20.0"),
    ("Times", "Time in the booth, 90th percentile (minutes)", "28.0"),
    ("Times", "Time in observation, median (minutes)", "17.5"),
    ("Times", "Time in observation, 90th percentile (minutes)", "19.5"),
]


def _rows(response) -> list[tuple[str, ...]]:
    return [tuple(row) for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))]


def test_it_gives_every_indicator_of_the_month_exactly(march, coordinator_en):
    rows = _rows(coordinator_en.get(MARCH_CSV))

    assert rows[0] == ("section", "indicator", "value")
    assert rows[1:] == MARCH_ROWS


def test_it_shows_the_same_indicators_on_the_page(march, coordinator_en):
    page = coordinator_en.get("/reports/monthly/2026-03/").content.decode()
    text = " ".join(marked_text(page, "monthly-report").split())

    for _section, indicator, value in MARCH_ROWS[2:]:
        assert f"{indicator} {value}" in text


def test_it_suppresses_counts_from_1_to_9_in_the_external_version(march, coordinator_en):
    external = {
        (section, indicator): value
        for section, indicator, value in _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))
    }

    assert external[("Visits and clients", "Visits")] == "<10"
    assert external[("Visits and clients", "Unique clients (each counted once in the month)")] == "<10"
    assert external[("Overdoses and other medical emergencies", "Outcome: Died")] == "0"
    assert external[("Equipment handed out", "Syringe 1 ml (pcs)")] == "30"
    assert external[("Times", "Time in the booth, median (minutes)")] == "n<10"
    assert (
        external[("Report", "Version")]
        == "external: counts from 1 to 9 as <10; : withheld so that none can be worked out"
    )


def test_it_suppresses_every_small_count_and_nothing_else(march, coordinator_en):
    internal = _rows(coordinator_en.get(MARCH_CSV))[3:]
    external = _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))[3:]

    for (section, indicator, value), shown in zip(internal, (row[2] for row in external), strict=True):
        if section == "Times" or indicator == "Naloxone given in total (mg)":  # resting on fewer than 10 events
            assert shown == "n<10"
        elif 1 <= int(value) <= 9:
            assert shown == "<10", indicator
        else:
            assert shown == value, indicator


def test_it_shows_small_counts_suppressed_on_the_external_page(march, coordinator_en):
    page = coordinator_en.get("/reports/monthly/2026-03/?version=external").content.decode()
    text = " ".join(marked_text(page, "monthly-report").split())

    assert "Visits <10" in text
    assert "Visits 7" not in text
    assert "Syringe 1 ml (pcs) 30" in text
    assert marked_text(page, "version-badge") == "For use outside the facility"


def test_it_withholds_a_second_count_where_a_breakdown_would_give_a_small_one_away(cast, coordinator_en):
    """12 men and 3 women: with the total of 15 shown, the men's 12 would give the women's 3 away."""
    with time_machine.travel(at(4, 15, 12), tick=False):
        for n in range(15):
            VisitFactory(
                client=ClientFactory(letters=f"GEN{chr(65 + n)}", gender="M" if n < 12 else "K"),
                checked_in_at=at(3, 2, 8) + dt.timedelta(minutes=10 * n),
                ended_at=at(3, 2, 8) + dt.timedelta(minutes=10 * n + 5),
            )
        internal = {(s, i): v for s, i, v in _rows(coordinator_en.get(MARCH_CSV))}
        external = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))}
        page = coordinator_en.get("/reports/monthly/2026-03/?version=external").content.decode()

    people = "Unique clients by gender and age"
    assert (internal[(people, "Gender: Man")], internal[(people, "Gender: Woman")]) == ("12", "3")
    assert external[("Visits and clients", "Unique clients (each counted once in the month)")] == "15"
    assert (external[(people, "Gender: Man")], external[(people, "Gender: Woman")]) == (":", "<10")
    assert external[(people, "Gender: Other / not stated")] == "0"
    assert "Gender: Man :" in " ".join(marked_text(page, "monthly-report").split())


def test_it_shows_a_count_of_10_in_full(cast, coordinator_en):
    with time_machine.travel(at(4, 15, 12), tick=False):
        for n in range(10):
            VisitFactory(
                client=ClientFactory(letters=f"TEN{chr(65 + n)}"),
                checked_in_at=at(3, 2, 9 + n),
                ended_at=at(3, 2, 10 + n),
            )
        rows = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))}

    assert rows[("Visits and clients", "Visits")] == "10"
    assert rows[("Visits and clients", "Unique clients (each counted once in the month)")] == "10"


CONTACTS = "Walk-in contacts (without a visit)"
CLOSED = "Visits closed without a check-out"


def test_it_adds_up_the_contacts_the_intakes_and_the_closed_visits(march, coordinator_en):
    rows = {(s, i): int(v) for s, i, v in _rows(coordinator_en.get(MARCH_CSV))[3:] if s != "Times" and "(mg)" not in i}

    def of(section: str, prefix: str) -> int:
        return sum(n for (s, i), n in rows.items() if s == section and i.startswith(prefix))

    contacts = rows[(CONTACTS, "Walk-in contacts")]
    assert of(CONTACTS, "Contacts by gender: ") == contacts
    assert rows[(CONTACTS, "Anonymous")] + rows[(CONTACTS, "With a client code")] == contacts
    assert sum(rows[(CONTACTS, i)] for i in ("Advice only", "Equipment only", "Equipment and advice")) == contacts
    assert (
        rows[(CONTACTS, "Clients with a code (each counted once in the month)")]
        <= rows[(CONTACTS, "With a client code")]
    )
    assert of("Visits and clients", "Intake interview: ") == rows[("Visits and clients", "Intake interviews")]
    assert of(CLOSED, "Reason for closing: ") == rows[(CLOSED, CLOSED)] <= rows[("Visits and clients", "Visits")]


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        # F0 checked in on 28 February at 23:30, closed overnight on 1 March; C's intake at 23:45 on 28 February;
        # an anonymous man's advice at 23:59.
        ("2026-02", {"overnight": "1", "closing": "0", "intakes": "1", "contacts": "1"}),
        # F1 checked in at 00:30 on 1 April, closed at closing; F's intake at 00:25; C's syringes at 00:15.
        ("2026-04", {"overnight": "0", "closing": "1", "intakes": "1", "contacts": "1"}),
    ],
)
def test_it_puts_contacts_intakes_and_closed_visits_in_the_oslo_month_they_belong_to(
    march, coordinator_en, month, expected
):
    rows = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"/reports/monthly/{month}/csv/"))}

    assert {
        "overnight": rows[(CLOSED, "Reason for closing: Closed automatically overnight")],
        "closing": rows[(CLOSED, "Reason for closing: Left at closing")],
        "intakes": rows[("Visits and clients", "Intake interviews")],
        "contacts": rows[(CONTACTS, "Walk-in contacts")],
    } == expected


def test_it_suppresses_the_small_counts_of_contacts_intakes_and_closed_visits_externally(march, coordinator_en):
    external = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))}

    # March's 6 contacts, 5 intake interviews and 6 visits closed without a check-out, and every part of
    # them, are 1 to 9 or 0: "<10" or "0", and nothing is large enough to need a complement.
    assert external[(CONTACTS, "Walk-in contacts")] == "<10"
    assert external[(CONTACTS, "Anonymous")] == external[(CONTACTS, "With a client code")] == "<10"
    assert external[("Visits and clients", "Intake interviews")] == "<10"
    assert external[("Visits and clients", "Intake interview: Refused")] == "<10"
    assert external[(CLOSED, CLOSED)] == external[(CLOSED, "Reason for closing: Left at closing")] == "<10"
    assert external[("Refusals and exclusions", "Reason: Banned")] == "<10"
    assert external[("Refusals and exclusions", "Reason: Not eligible (no intake or not active)")] == "0"


def test_it_withholds_a_second_contact_count_where_the_total_would_give_a_small_one_away(cast, coordinator_en):
    """12 anonymous men for advice, 3 women with a code for syringes: with the total of 15 shown, each 12
    would give its 3 away."""
    with time_machine.travel(at(4, 15, 12), tick=False):
        by, syringe = cast["reception"], EquipmentItem.objects.get(name="Sprøyte 1 ml")
        for n in range(12):
            contact_record(by=by, gender=Client.Gender.MAN, advice=True, now=at(3, 3, 9) + dt.timedelta(minutes=n))
        for n in range(3):
            woman = ClientFactory(letters=f"KON{chr(65 + n)}", gender=Client.Gender.WOMAN)
            contact_record(by=by, client=woman, items={syringe: 2}, now=at(3, 4, 9 + n))
        internal = {(s, i): v for s, i, v in _rows(coordinator_en.get(MARCH_CSV))}
        external = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"{MARCH_CSV}?version=external"))}

    def shown(rows, *indicators):
        return tuple(rows[(CONTACTS, indicator)] for indicator in indicators)

    assert shown(internal, "Walk-in contacts", "Anonymous", "With a client code") == ("15", "12", "3")
    assert shown(external, "Walk-in contacts", "Anonymous", "With a client code") == ("15", ":", "<10")
    assert shown(
        external, "Contacts by gender: Man", "Contacts by gender: Woman", "Contacts by gender: Other / not stated"
    ) == (":", "<10", "0")
    assert shown(external, "Advice only", "Equipment only", "Equipment and advice") == (":", "<10", "0")
    assert shown(external, "Clients with a code (each counted once in the month)") == ("<10",)


def test_it_sends_utf8_with_a_byte_order_mark_and_keeps_norwegian_letters(march, client_for):
    response = client_for("coordinator").get(MARCH_CSV)
    text = response.content.decode("utf-8-sig")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="monthly-report-2026-03-internal.csv"' in response["Content-Disposition"]
    assert "Røyking" in text
    assert "Sprøyte 1 ml" in text
    assert "Stasebånd" in text
    assert all(len(row) == 3 for row in csv.reader(io.StringIO(text)))


def test_it_names_the_external_file_as_such(march, client_for):
    response = client_for("coordinator").get(f"{MARCH_CSV}?version=external")

    assert 'filename="monthly-report-2026-03-external.csv"' in response["Content-Disposition"]


@pytest.mark.parametrize(("month", "visits"), [("2026-02", "1"), ("2026-03", "7"), ("2026-04", "1")])
def test_it_puts_visits_on_the_edges_of_a_month_in_the_oslo_month(march, coordinator_en, month, visits):
    rows = {(s, i): v for s, i, v in _rows(coordinator_en.get(f"/reports/monthly/{month}/csv/"))}

    assert rows[("Visits and clients", "Visits")] == visits


def test_it_counts_october_by_oslo_midnights_when_summer_time_ends(cast, coordinator_en):
    client = ClientFactory(letters="OKT")
    moments = [
        at(9, 30, 23, 30),  # September
        at(10, 1, 0, 30),  # October: 22:30 UTC on 30 September
        at(10, 25, 2, 30, fold=0),  # the hour that comes twice: both in October
        at(10, 25, 2, 30, fold=1),
        at(10, 31, 23, 30),  # October: 22:30 UTC
        at(11, 1, 0, 30),  # November: 23:30 UTC on 31 October
    ]
    for moment in moments:
        end = moment.astimezone(dt.UTC) + dt.timedelta(minutes=20)
        VisitFactory(client=client, checked_in_at=moment, ended_at=end, location="gone")

    with time_machine.travel(at(11, 15, 12), tick=False):
        counts = {
            month: {(s, i): v for s, i, v in _rows(coordinator_en.get(f"/reports/monthly/{month}/csv/"))}[
                ("Visits and clients", "Visits")
            ]
            for month in ("2026-09", "2026-10", "2026-11")
        }

    assert counts == {"2026-09": "1", "2026-10": "4", "2026-11": "1"}


def test_it_says_when_the_month_is_not_over(cast, client_for):
    with time_machine.travel(at(3, 15, 12), tick=False):
        page = client_for("coordinator").get("/reports/monthly/2026-03/").content.decode()

    assert marked_text(page, "incomplete")


def test_it_opens_last_months_report(facility, client_for):
    with time_machine.travel(at(1, 10, 12, year=2027), tick=False):
        response = client_for("coordinator").get("/reports/")

    assert response["Location"] == "/reports/monthly/2026-12/"


def test_it_opens_the_month_asked_for(facility, client_for):
    response = client_for("coordinator").get("/reports/monthly/?month=2025-11")

    assert response["Location"] == "/reports/monthly/2025-11/"


def test_it_says_so_when_the_month_asked_for_is_not_one(facility, client_for):
    response = client_for("coordinator").get("/reports/monthly/?month=2025-13", follow=True)

    assert response.status_code == 200
    assert "2025-13" in response.content.decode()


@pytest.mark.parametrize("path", ["/reports/monthly/2026-13/", "/reports/monthly/2026-00/", "/reports/monthly/26-03/"])
def test_it_has_no_page_for_a_month_that_does_not_exist(facility, client_for, path):
    assert client_for("coordinator").get(path).status_code == 404


def test_it_has_no_version_but_internal_and_external(facility, client_for):
    assert client_for("coordinator").get("/reports/monthly/2026-03/?version=public").status_code == 404


def test_it_prints_on_a4(facility, client_for):
    page = client_for("coordinator").get("/reports/monthly/2026-03/").content.decode()
    css = (Path(settings.BASE_DIR) / "static" / "css" / "reports.css").read_text()

    assert "css/reports.css" in page
    assert "size: A4" in css
    assert "data-print" in page

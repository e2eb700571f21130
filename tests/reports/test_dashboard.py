"""The dashboard shows every figure of the known March exactly, as a coordinator sees it for "last month"."""

from __future__ import annotations

import pytest

from counseling.models import ReferralService
from health.models import Emergency, HealthService
from staff.roles import Role
from tests.support.figures import figure_cells, figures, number
from tests.support.pages import marked_text_all as marked_text
from tests.support.pages import nb
from tests.support.scenes.march import EXPECTED
from visits.models import Client, EquipmentItem, Incident, Refusal, Route, Substance, Visit

pytestmark = pytest.mark.django_db

LAST_MONTH = "/dashboard/?period=last_month"


@pytest.fixture
def page(march, client_for):
    return client_for("coordinator").get(LAST_MONTH).content.decode()


def _value(page: str, key: str) -> int:
    return number(figures(page)[key])


def _line(page: str, key: str) -> int:
    """The count on a breakdown line (label, count[, unit])."""
    return number(figure_cells(page)[key][1])


def _lines(page: str, prefix: str, keys) -> dict[str, int]:
    """The breakdown lines shown (those with something in them), by key."""
    cells = figure_cells(page)
    return {key: number(cells[f"{prefix}-{key}"][1]) for key in keys if f"{prefix}-{key}" in cells}


def _nonzero(expected: dict) -> dict:
    return {key: n for key, n in expected.items() if n}


def test_it_shows_the_period_it_counts(page):
    assert marked_text(page, "period-label") == "mars 2026"


def test_it_counts_the_months_visits_by_check_in_in_oslo_time(page):
    assert _value(page, "visits") == EXPECTED["visits"]


def test_it_counts_each_client_once(page):
    assert _value(page, "unique-clients") == EXPECTED["unique_clients"]


def test_it_counts_the_clients_registered_in_the_month(page):
    assert _value(page, "new-registrations") == EXPECTED["new_registrations"]


def test_it_counts_clients_by_gender_and_age_band(page):
    shown = figures(page)

    assert {gender: number(shown[f"gender-{gender}"]) for gender in "MKA"} == EXPECTED["gender"]
    assert {band: number(shown[f"age-{band}"]) for band in EXPECTED["age"]} == EXPECTED["age"]


def test_it_counts_refusals_by_reason_and_by_substance(page):
    assert _value(page, "refusals") == sum(EXPECTED["refusals"].values())
    assert _lines(page, "refusal", Refusal.Reason.values) == _nonzero(EXPECTED["refusals"])
    amphetamine = Substance.objects.get(name="Amfetamin")
    assert _line(page, f"refusal-substance-{amphetamine.pk}") == EXPECTED["refusals_by_substance"]["Amfetamin"]


def test_it_counts_consumption_events_by_substance_and_by_route(page):
    assert _value(page, "consumption-events") == 6
    for name, n in EXPECTED["consumption_by_substance"].items():
        assert _line(page, f"substance-{Substance.objects.get(name=name).pk}") == n
    for name, n in EXPECTED["consumption_by_route"].items():
        assert _line(page, f"route-{Route.objects.get(name=name).pk}") == n


def test_it_counts_overdoses_naloxone_ambulances_and_outcomes(page):
    shown = figures(page)

    assert number(shown["overdoses"]) == number(shown["emergencies-overdoses"]) == EXPECTED["overdoses"]
    assert number(shown["emergencies-other"]) == EXPECTED["other_emergencies"]
    assert number(shown["naloxone-events"]) == number(shown["naloxone-events-detail"]) == EXPECTED["naloxone_events"]
    assert number(shown["naloxone-overdoses"]) == EXPECTED["overdoses_with_naloxone"]
    assert number(shown["naloxone-doses"]) == EXPECTED["naloxone_doses"]
    assert shown["naloxone-mg"] == "4,40"
    assert number(shown["ambulance-calls"]) == EXPECTED["ambulance_calls"]
    assert _lines(page, "emergency", Emergency.Kind.values) == _nonzero(EXPECTED["emergency_kinds"])
    assert _lines(page, "outcome", [*Emergency.Outcome.values, ""]) == _nonzero(EXPECTED["outcomes"])


def test_it_counts_health_services_by_kind(page):
    assert _value(page, "health-services") == sum(EXPECTED["health_services"].values())
    assert _lines(page, "health", HealthService.Kind.values) == EXPECTED["health_services"]


def test_it_counts_counseling_sessions_and_the_clients_counseled(page):
    assert _value(page, "counseling-sessions") == EXPECTED["counseling_sessions"]
    assert _value(page, "counseling-clients") == EXPECTED["counseling_clients"]


def test_it_shows_referrals_by_service_with_their_take_up(page):
    cells = figure_cells(page)
    lar = ReferralService.objects.get(name__startswith="LAR")
    nav = ReferralService.objects.get(name="NAV")

    assert [number(n) for n in cells[f"referral-{lar.pk}"][1:]] == list(EXPECTED["referrals"]["LAR"])
    assert [number(n) for n in cells[f"referral-{nav.pk}"][1:]] == list(EXPECTED["referrals"]["NAV"])
    assert [number(n) for n in cells["referral-total"][1:]] == [3, 1, 1]


def test_it_counts_equipment_handed_out_by_item(page):
    for name, n in EXPECTED["handed_out"].items():
        assert _line(page, f"handed-out-{EquipmentItem.objects.get(name=name).pk}") == n


def test_it_counts_walk_in_contacts_by_gender_anonymous_or_known_and_what_was_given(page):
    assert {
        key: _value(page, key)
        for key in (
            "contacts",
            "contacts-anonymous",
            "contacts-known",
            "contacts-clients",
            "contacts-advice",
            "contacts-equipment",
            "contacts-both",
        )
    } == {
        "contacts": EXPECTED["contacts"],
        "contacts-anonymous": EXPECTED["contacts_anonymous"],
        "contacts-known": EXPECTED["contacts_known"],
        "contacts-clients": EXPECTED["contacts_clients"],
        "contacts-advice": EXPECTED["contacts_advice_only"],
        "contacts-equipment": EXPECTED["contacts_equipment_only"],
        "contacts-both": EXPECTED["contacts_both"],
    }
    assert _lines(page, "contact-gender", Client.Gender.values) == EXPECTED["contacts_by_gender"]


def test_it_counts_intake_interviews_by_outcome(page):
    assert _value(page, "intakes") == sum(EXPECTED["intakes"].values())
    assert {outcome: _value(page, f"intake-{outcome}") for outcome in EXPECTED["intakes"]} == EXPECTED["intakes"]


def test_it_counts_visits_closed_without_a_check_out_by_reason(page):
    assert _value(page, "closed-out") == sum(EXPECTED["closed_out"].values())
    assert _lines(page, "closed-out", Visit.EndReason.values) == EXPECTED["closed_out"]


def test_it_lists_the_stock_below_its_warning_level(page):
    assert "Filter: 20" in " ".join(page.split())


def test_it_shows_booth_observation_and_waiting_times_as_median_and_90th_percentile(page):
    cells = figure_cells(page)

    # Minutes with one decimal, bokmål style; then how many.
    assert cells["times-booth"][1:] == ["20,0", "28,0", "5"]
    assert cells["times-observation"][1:] == ["17,5", "19,5", "2"]
    assert cells["times-wait"][1:] == ["10,0", "26,0", "5"]


def test_it_counts_bans_started_and_in_force_at_the_end_of_the_month(page):
    assert _value(page, "bans-started") == EXPECTED["bans_started"]
    assert _value(page, "bans-active") == EXPECTED["bans_active"]


def test_it_counts_security_incidents(page):
    assert _value(page, "incidents") == _value(page, "incidents-total") == EXPECTED["incidents"]
    assert _value(page, "incidents-community") == EXPECTED["incidents_community"]
    assert _value(page, "incidents-police") == EXPECTED["incidents_police"]
    assert _lines(page, "incident", Incident.Kind.values) == EXPECTED["incident_kinds"]


def _hours(hours: int, minutes: int) -> str:
    """A duration as the bokmål page writes it."""
    return nb("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}


def test_it_shows_the_opening_hours_below_the_staffing_minimum(page):
    shown = figures(page)

    assert shown["staffing-open"] == _hours(418, 30)
    assert shown["staffing-short"] == f"{_hours(410, 30)} (98,1 %)"
    assert shown[f"staffing-role-{Role.RECEPTION.value}"] == _hours(410, 30)


def test_it_shows_the_cost_per_visit_and_per_client_from_the_budget_pro_rata(page):
    shown = {key: number(text) for key, text in figures(page).items() if key in EXPECTED_COST_KEYS}

    assert shown == {
        "budget": 36_500_000,
        "budget-so-far": EXPECTED["cost"]["budget_so_far"],
        "year-visits": EXPECTED["cost"]["visits"],
        "cost-per-visit": EXPECTED["cost"]["per_visit"],
        "year-clients": EXPECTED["cost"]["clients"],
        "cost-per-client": EXPECTED["cost"]["per_client"],
    }


EXPECTED_COST_KEYS = {"budget", "budget-so-far", "year-visits", "cost-per-visit", "year-clients", "cost-per-client"}


def test_it_says_when_a_year_has_no_budget(client_for, facility, april_15):
    page = client_for("coordinator").get("/dashboard/").content.decode()

    assert "cost-per-visit" not in figures(page)
    assert "2026" in marked_text(page, "cost")


def test_it_gives_the_same_figures_for_the_same_days_as_a_custom_range(march, client_for):
    as_last_month = figures(client_for("coordinator").get(LAST_MONTH).content.decode())
    as_range = figures(
        client_for("coordinator").get("/dashboard/?period=custom&start=2026-03-01&end=2026-03-31").content.decode()
    )

    assert as_range == as_last_month

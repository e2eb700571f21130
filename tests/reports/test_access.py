"""Who sees the dashboard and the monthly report, and the budget administrators keep."""

from __future__ import annotations

import pytest

from reports.models import AnnualBudget
from tests.support.pages import nav_hrefs

pytestmark = pytest.mark.django_db

REPORT_PAGES = [
    "/reports/monthly/2026-03/",
    "/reports/monthly/2026-03/csv/",
    "/reports/monthly/2026-03/?version=external",
]


@pytest.mark.parametrize("name", ["coordinator", "duty"])
def test_it_shows_the_dashboard_to_coordinators_and_duty_officers(client_for, name):
    response = client_for(name).get("/dashboard/")

    assert response.status_code == 200
    assert "/dashboard/" in nav_hrefs(response.content.decode())


@pytest.mark.parametrize("name", ["reception", "counselor", "health", "admin", "norole"])
def test_it_forbids_the_dashboard_to_everyone_else(client_for, name):
    assert client_for(name).get("/dashboard/").status_code == 403


@pytest.mark.parametrize("path", ["/dashboard/", "/reports/", *REPORT_PAGES])
def test_it_sends_anonymous_visitors_to_log_in(client, facility, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("path", REPORT_PAGES)
def test_it_gives_the_monthly_report_to_coordinators(client_for, path):
    assert client_for("coordinator").get(path).status_code == 200


@pytest.mark.parametrize("name", ["duty", "reception", "counselor", "health", "admin", "norole"])
@pytest.mark.parametrize("path", ["/reports/", *REPORT_PAGES])
def test_it_forbids_the_monthly_report_to_everyone_else(client_for, name, path):
    assert client_for(name).get(path).status_code == 403


def test_it_links_the_coordinator_to_the_monthly_report_and_not_the_duty_officer(client_for):
    assert 'data-testid="monthly-report-link"' in client_for("coordinator").get("/dashboard/").content.decode()
    assert 'data-testid="monthly-report-link"' not in client_for("duty").get("/dashboard/").content.decode()


def test_it_seeds_the_2017_budget_with_the_facility_defaults(facility):
    assert AnnualBudget.objects.get(year=2017).amount_nok == 18_300_000


def test_it_lets_administrators_keep_the_annual_budget_in_admin(client_for):
    admin = client_for("admin")

    response = admin.post("/admin/reports/annualbudget/add/", {"year": 2026, "amount_nok": 21000000, "note": ""})

    assert response.status_code == 302
    assert AnnualBudget.objects.get(year=2026).amount_nok == 21_000_000
    assert admin.get("/admin/reports/annualbudget/").status_code == 200


def test_it_keeps_the_budget_out_of_reach_of_the_coordinator(client_for):
    assert client_for("coordinator").get("/admin/reports/annualbudget/").status_code in (302, 403)

"""Accounts unused for 90 days are listed for deactivation; a deactivated account cannot log in, keeps its history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from duty.models import Handover, Shift, StaffingMinimum
from duty.services.handover import handover_write
from staff.models import User
from staff.roles import Role
from tests.support.cast import make_user
from tests.support.factories import incident, shift
from tests.support.pages import log_in, nb
from tests.support.time import oslo
from visits.models import Incident

NOW = oslo()


@pytest.fixture
def accounts(cast):
    """Four accounts around the 90-day line, as of ``NOW``."""

    def account(name: str, *, joined_days_ago: int, last_login_days_ago: int | None) -> User:
        user = make_user(name, Role.HEALTH)
        user.date_joined = NOW - dt.timedelta(days=joined_days_ago)
        user.last_login = None if last_login_days_ago is None else NOW - dt.timedelta(days=last_login_days_ago)
        user.save()
        return user

    return {
        "left_in_spring": account("left", joined_days_ago=400, last_login_days_ago=91),
        "never_came": account("never", joined_days_ago=120, last_login_days_ago=None),
        "works_here": account("works", joined_days_ago=400, last_login_days_ago=3),
        "just_started": account("new", joined_days_ago=10, last_login_days_ago=None),
    }


def _unused_list(client) -> list[str]:
    with time_machine.travel(NOW, tick=False):
        response = client.get("/admin/staff/user/?unused=90")
    return sorted(user.username for user in response.context["cl"].result_list)


def test_it_lists_the_accounts_not_used_for_90_days(client_for, accounts):
    # The cast of the other tests logged in never and joined today: not listed either.
    assert _unused_list(client_for("admin")) == ["left", "never"]


def test_it_offers_the_90_day_filter_in_the_staff_list(client_for, accounts):
    html = client_for("admin").get("/admin/staff/user/").content.decode()

    assert nb("Not used for 90 days") in html
    assert "?unused=90" in html


def test_it_deactivates_the_listed_accounts_with_the_admin_action(client_for, accounts):
    admin = client_for("admin")
    listed = User.objects.filter(username__in=["left", "never"])

    with time_machine.travel(NOW, tick=False):
        admin.post(
            "/admin/staff/user/?unused=90",
            {"action": "deactivate", "_selected_action": [user.pk for user in listed]},
        )

    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"left", "never"}
    assert _unused_list(admin) == ["left", "never"]  # still listed, now greyed out as inactive


def test_it_refuses_a_deactivated_account_at_login(client, accounts):
    left = accounts["left_in_spring"]
    left.is_active = False
    left.save()

    response = log_in(client, "left")

    assert response.request["PATH_INFO"] == "/login/"
    assert "_auth_user_id" not in client.session


def test_it_keeps_a_deactivated_duty_officer_s_shifts_handovers_and_incidents(client_for, cast):
    officer = make_user("retired", Role.DUTY)
    officer.first_name, officer.last_name = "Randi", "Retired"
    officer.save()
    with time_machine.travel(oslo(hour=14), tick=False):
        shift(oslo(hour=8), oslo(hour=15), duty=officer)
        handover_write(by=officer, other_notes="Last handover before retiring")
        incident(by=officer, staff=[officer])

    client_for("admin").post("/admin/staff/user/", {"action": "deactivate", "_selected_action": [officer.pk]})

    officer.refresh_from_db()
    assert not officer.is_active
    assert Shift.objects.filter(assignments__user=officer).count() == 1
    assert Handover.objects.filter(written_by=officer).count() == 1
    assert Incident.objects.filter(recorded_by=officer).count() == 1
    log = client_for("coordinator").get("/handovers/").content.decode()
    assert "Randi Retired" in log
    assert "Last handover before retiring" in log


def test_it_leaves_a_deactivated_person_off_new_shifts(client_for, cast):
    cast["health"].is_active = False
    cast["health"].save()

    with time_machine.travel(timezone.now(), tick=False):
        html = client_for("coordinator").get("/roster/shifts/new/").content.decode()

    assert 'name="role_{}"'.format(cast["health"].pk) not in html
    assert 'name="role_{}"'.format(cast["reception"].pk) in html


def test_it_lets_the_administrator_set_the_staffing_minimum(client_for, cast):
    response = client_for("admin").post(
        "/admin/duty/staffingminimum/add/",
        {"role": "health", "count": "2", "weekday": "", "from_time": "", "until_time": ""},
    )

    assert response.status_code == 302
    assert StaffingMinimum.objects.get().count == 2

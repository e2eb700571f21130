"""``load_demo``: the facility's settings and one login per role, the password printed; no client data."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from staff.models import User
from staff.roles import _SETTINGS_MODELS, GROUP_NAMES, Role
from tests.support.pages import log_in
from visits.selectors.stock import stock_lines


@pytest.fixture(autouse=True)
def _no_demo_password_in_the_environment(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"^\s*password:\s*(\S+)\s*$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def test_it_creates_one_account_per_role_named_after_the_role(db):
    load_demo("--password", "demo-password-123")

    accounts = {user.username: [group.name for group in user.groups.all()] for user in User.objects.all()}
    assert accounts == {role.value: [GROUP_NAMES[role]] for role in Role}


def test_it_creates_no_client_data(db):
    load_demo("--password", "demo-password-123")

    settings_models = {f"{app}.{model}" for app, models in _SETTINGS_MODELS.items() for model in models}
    filled = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in {"visits", "counseling", "staff"}
        # The demo roster (this week's shifts for the demo accounts, and their history) is staff data,
        # not client data; the floor's change counter is a number; the opening count of the stock is the
        # equipment's.
        and model._meta.label_lower
        not in settings_models
        | {"staff.user", "duty.shift", "duty.historicalshift", "duty.shiftassignment", "visits.floorstate"}
        | {"visits.stockmovement", "visits.stockbalance"}
        and model.objects.exists()
    ]
    assert filled == []


def test_it_prints_the_password(db):
    output = load_demo("--password", "demo-password-123")

    assert printed_password(output) == "demo-password-123"


def test_it_uses_the_demo_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "from-the-environment-1")

    output = load_demo()

    assert printed_password(output) == "from-the-environment-1"
    assert User.objects.get(username="health").check_password("from-the-environment-1")


def test_it_keeps_the_accounts_when_run_again(db):
    load_demo("--password", "demo-password-123")
    before = dict(User.objects.values_list("username", "pk"))

    load_demo("--password", "demo-password-123")

    assert dict(User.objects.values_list("username", "pk")) == before


def test_it_prints_a_password_that_works_after_a_second_run(db, client):
    load_demo()

    output = load_demo()

    response = log_in(client, "reception", printed_password(output))
    assert response.request["PATH_INFO"] == "/reception/"


def test_it_keeps_the_password_in_the_password_file_between_runs(db, tmp_path):
    password_file = tmp_path / "demo-password"
    first = printed_password(load_demo("--password-file", str(password_file)))

    second = printed_password(load_demo("--password-file", str(password_file)))

    assert second == first
    assert password_file.read_text().strip() == first
    assert User.objects.get(username="duty").check_password(first)


def test_it_plans_this_week_for_the_demo_accounts_once(db):
    from duty.models import Shift, StaffingMinimum

    load_demo("--password", "demo-password-123")
    planned = Shift.objects.count()
    load_demo("--password", "demo-password-123")

    assert planned > 0
    assert Shift.objects.count() == planned
    assert StaffingMinimum.objects.exists()


def test_it_loads_the_facility_settings(db):
    load_demo("--password", "demo-password-123")

    assert apps.get_model("visits", "Booth").objects.count() == 6


def test_it_shows_counted_stock_not_count_needed(db):
    load_demo("--password", "demo-password-123")

    lines = stock_lines()
    assert lines and not [line.item.name for line in lines if line.needs_count or line.low]

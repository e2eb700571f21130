"""Who changed staff access or the facility's settings: kept with before and after, read by coordinators."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from audit.models import AdminChange
from audit.signals import audited_models
from staff.models import User
from staff.roles import GROUP_NAMES, Role
from staff.services import users_deactivate
from tests.support.cast import PASSWORD
from tests.support.pages import log_in, nb
from visits.models import Booth, ClosedDay, OpeningHours, OpeningHoursPeriod

# 11:00 in Bergen.
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)
COORDINATOR = GROUP_NAMES[Role.COORDINATOR]
ADMINISTRATOR = GROUP_NAMES[Role.ADMIN]


@pytest.fixture
def clock(cast):
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def admin_form_data(response, **changes) -> dict:
    """An admin change page's form (and its inlines) as the browser would post it unchanged, plus ``changes``."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data: dict = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else value
    data.update(changes)
    return data


def entries_for(instance) -> list[AdminChange]:
    return list(AdminChange.objects.filter(object_id=str(instance.pk), content_type__model=instance._meta.model_name))


# Roles and permissions ----------------------------------------------------------------------------------


def test_it_records_an_administrator_making_themselves_coordinator_in_the_admin(client_for, cast, clock):
    http = client_for("admin")
    me = cast["admin"]
    url = f"/admin/staff/user/{me.pk}/change/"
    page = http.get(url)
    groups = [group.pk for group in Group.objects.filter(name__in=[ADMINISTRATOR, COORDINATOR])]

    response = http.post(url, admin_form_data(page, groups=groups))

    assert response.status_code == 302
    [entry] = [e for e in entries_for(me) if e.at == START]
    assert entry.user == me
    assert entry.at == START
    assert entry.action == AdminChange.Action.CHANGED
    assert entry.changes == {"groups": {"before": [ADMINISTRATOR], "after": sorted([ADMINISTRATOR, COORDINATOR])}}


def test_the_coordinator_sees_who_gave_whom_which_role_and_when(client, client_for, cast, clock):
    admin_http = client_for("admin")
    me = cast["admin"]
    url = f"/admin/staff/user/{me.pk}/change/"
    groups = [group.pk for group in Group.objects.filter(name__in=[ADMINISTRATOR, COORDINATOR])]
    admin_http.post(url, admin_form_data(admin_http.get(url), groups=groups))
    admin_http.logout()

    client.force_login(cast["coordinator"])
    html = client.get("/access-log/admin-changes/", {"user": me.pk}).content.decode()

    assert 'data-testid="admin-change"' in html
    assert "10.3.2026 11:00:00" in html  # Bergen time
    assert ">admin<" in html
    # The roles by their names in the page's language, though the groups are kept under English names.
    assert f"{nb('Administrator')}, {nb('Coordinator')}" in html  # after
    assert f'<td data-testid="before">{nb("Administrator")}</td>' in html
    assert "Koordinator" in html and "Coordinator" not in html


def test_the_coordinator_sees_a_role_s_group_by_the_role_s_name(client_for, cast, clock):
    duty = Group.objects.get(name=GROUP_NAMES[Role.DUTY])
    duty.permissions.remove(duty.permissions.first())
    cast["reception"].groups.add(Group.objects.get(name=GROUP_NAMES[Role.COUNSELOR]))
    Group.objects.create(name="Night cover")

    html = client_for("coordinator").get("/access-log/admin-changes/").content.decode()

    assert nb("Duty officer") in html and "Duty officer" not in html
    assert f"{nb('Counselor')}, {nb('Reception')}" in html
    assert "Counselor" not in html
    assert "Night cover" in html  # a group that is no role, as it is named


def test_it_records_a_role_given_from_the_group_s_side(cast, clock):
    group = Group.objects.get(name=COORDINATOR)

    group.user_set.add(cast["reception"])

    [entry] = [e for e in entries_for(cast["reception"]) if e.at == START]
    assert entry.changes == {
        "groups": {"before": [GROUP_NAMES[Role.RECEPTION]], "after": sorted([COORDINATOR, GROUP_NAMES[Role.RECEPTION]])}
    }
    assert entry.user is None  # no request: a command or the shell


def test_it_records_a_permission_given_to_a_user_and_to_a_group(cast, clock):
    permission = Permission.objects.get(codename="review_access")
    cast["reception"].user_permissions.add(permission)
    Group.objects.get(name=GROUP_NAMES[Role.RECEPTION]).permissions.remove(
        Permission.objects.get(codename="use_reception")
    )

    [user_entry] = [e for e in entries_for(cast["reception"]) if e.at == START]
    assert user_entry.changes == {"user_permissions": {"before": [], "after": ["audit.review_access"]}}
    [group_entry] = [e for e in entries_for(Group.objects.get(name=GROUP_NAMES[Role.RECEPTION])) if e.at == START]
    assert "staff.use_reception" in group_entry.changes["permissions"]["before"]
    assert "staff.use_reception" not in group_entry.changes["permissions"]["after"]


def test_it_records_the_superuser_and_active_flags(cast, clock):
    user = cast["health"]
    user.is_superuser = True
    user.is_active = False
    user.save()

    [entry] = [e for e in entries_for(user) if e.at == START]
    assert entry.changes == {
        "is_active": {"before": True, "after": False},
        "is_superuser": {"before": False, "after": True},
    }


def test_it_records_a_deactivation_from_the_admin_s_action(client_for, cast, clock):
    http = client_for("admin")

    http.post(
        "/admin/staff/user/",
        {"action": "deactivate", "_selected_action": [cast["duty"].pk], "index": 0},
    )

    [entry] = [e for e in entries_for(cast["duty"]) if e.at == START]
    assert entry.user == cast["admin"]
    assert entry.changes == {"is_active": {"before": True, "after": False}}


def test_the_deactivation_service_names_who_did_it(cast, clock):
    users_deactivate(users=User.objects.filter(pk=cast["duty"].pk), by=cast["admin"])

    [entry] = [e for e in entries_for(cast["duty"]) if e.at == START]
    assert entry.user == cast["admin"]


def test_it_does_not_record_a_login_or_a_password(client, cast, clock):
    log_in(client, "reception")
    user = cast["reception"]
    user.set_password("a-new-long-passphrase-7")
    user.save()

    assert [e for e in entries_for(user) if e.at == START] == []
    assert not AdminChange.objects.filter(changes__has_key="password").exists()
    assert not AdminChange.objects.filter(changes__has_key="last_login").exists()


def test_a_new_account_is_recorded_with_its_roles(client_for, cast, clock):
    http = client_for("admin")

    response = http.post(
        "/admin/staff/user/add/",
        {
            "username": "newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "language": "nb",
            "groups": [Group.objects.get(name=COORDINATOR).pk],
        },
    )

    assert response.status_code == 302
    user = User.objects.get(username="newcomer")
    entries = {e.action: e for e in entries_for(user)}
    assert entries[AdminChange.Action.CREATED].changes["username"] == {"after": "newcomer"}
    assert entries[AdminChange.Action.CHANGED].changes == {"groups": {"before": [], "after": [COORDINATOR]}}
    assert {e.user for e in entries.values()} == {User.objects.get(username="admin")}


# The facility's settings -----------------------------------------------------------------------------


def test_it_records_a_booth_renamed_in_the_admin(client_for, cast, clock):
    http = client_for("admin")
    booth = Booth.objects.order_by("pk").first()
    old_label = booth.label
    url = f"/admin/visits/booth/{booth.pk}/change/"

    response = http.post(url, admin_form_data(http.get(url), label="B-99"))

    assert response.status_code == 302
    [entry] = entries_for(booth)
    assert entry.user == cast["admin"]
    assert entry.action == AdminChange.Action.CHANGED
    assert entry.object_repr == str(Booth.objects.get(pk=booth.pk))
    assert entry.changes == {"label": {"before": old_label, "after": "B-99"}}


def test_it_records_opening_hours_changed_in_the_admin(client_for, cast, clock):
    http = client_for("admin")
    period = OpeningHoursPeriod.objects.order_by("pk").first()
    day = period.days.order_by("weekday").first()
    url = f"/admin/visits/openinghoursperiod/{period.pk}/change/"
    page = http.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    index = [form.instance.pk for form in page.context["inline_admin_formsets"][0].formset.forms].index(day.pk)

    response = http.post(url, admin_form_data(page, **{f"{prefix}-{index}-closes": "23:30"}))

    assert response.status_code == 302
    [entry] = entries_for(day)
    assert entry.user == cast["admin"]
    assert entry.changes == {"closes": {"before": day.closes.isoformat(), "after": "23:30:00"}}


def test_it_records_a_setting_created_and_deleted(cast, clock):
    closed = ClosedDay.objects.create(date=dt.date(2026, 5, 17), reason="Grunnlovsdag")
    pk = closed.pk
    closed.delete()

    entries = AdminChange.objects.filter(content_type__model="closedday", object_id=str(pk)).order_by("id")
    assert [e.action for e in entries] == [AdminChange.Action.CREATED, AdminChange.Action.DELETED]
    assert entries[0].changes == {"date": {"after": "2026-05-17"}, "reason": {"after": "Grunnlovsdag"}}
    assert entries[1].changes == {"date": {"before": "2026-05-17"}, "reason": {"before": "Grunnlovsdag"}}


def test_a_setting_saved_unchanged_is_not_recorded(cast, clock):
    booth = Booth.objects.order_by("pk").first()

    booth.save()

    assert entries_for(booth) == []


def test_a_change_rolled_back_leaves_no_entry(cast, clock):
    day = OpeningHours.objects.order_by("pk").first()
    day.closes = day.opens  # the database refuses: closes after it opens
    with pytest.raises(IntegrityError), transaction.atomic():
        day.save()

    assert entries_for(day) == []


def test_every_model_in_the_admin_is_audited():
    registered = {model._meta.label for model in admin.site._registry}
    for model_admin in admin.site._registry.values():
        registered |= {inline.model._meta.label for inline in model_admin.inlines}

    assert registered <= {model._meta.label for model in audited_models()}


# The page -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "admin", "norole"])
def test_the_page_is_only_for_coordinators(client_for, role):
    assert client_for(role).get("/access-log/admin-changes/").status_code == 403


def test_the_access_log_pages_link_to_it(client_for):
    http = client_for("coordinator")
    for url in ("/access-log/", "/access-log/staff/"):
        assert 'href="/access-log/admin-changes/"' in http.get(url).content.decode()
    assert nb("Admin changes") in http.get("/access-log/").content.decode()


def test_it_filters_by_who_and_by_date(client_for, cast, clock):
    booth = Booth.objects.order_by("pk").first()
    booth._admin_audit_by = cast["admin"]
    booth.label = "Early"
    booth.save()
    clock.shift(dt.timedelta(days=2))
    booth.label = "Late"
    booth.save()
    booth._admin_audit_by = cast["coordinator"]
    booth.label = "Coordinator's"
    booth.save()
    http = client_for("coordinator")

    by_admin = http.get("/access-log/admin-changes/", {"user": cast["admin"].pk}).content.decode()
    late = http.get("/access-log/admin-changes/", {"user": cast["admin"].pk, "start": "2026-03-11"}).content.decode()

    assert "Early" in by_admin and "Late" in by_admin and "Coordinator&#x27;s" not in by_admin
    assert 'data-testid="after">Late<' in late
    assert 'data-testid="after">Early<' not in late


def test_it_refuses_a_period_that_ends_before_it_starts(client_for):
    response = client_for("coordinator").get("/access-log/admin-changes/", {"start": "2026-03-10", "end": "2026-03-01"})

    assert response.status_code == 400
    assert nb("The period ends before it starts.") in response.content.decode()


def test_it_answers_a_garbled_filter_with_a_message(client_for):
    response = client_for("coordinator").get("/access-log/admin-changes/", {"user": "x", "start": "9999-99-99"})

    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"user": "9" * 30},
        {"user": "-1"},
        {"start": "0001-01-01", "end": "9999-12-31"},
        {"page": "9" * 30},
        {"page": "-5"},
        {"start": "x" * 5000},
    ],
)
def test_it_answers_odd_filters_with_a_page_or_a_message(client_for, query):
    assert client_for("coordinator").get("/access-log/admin-changes/", query).status_code in (200, 400)


def _rename_booth(times: int, by) -> None:
    booth = Booth.objects.order_by("pk").first()
    booth._admin_audit_by = by
    for n in range(times):
        booth.label = f"L{n}"
        booth.save()


def test_the_page_costs_the_same_queries_however_many_changes(client_for, cast, clock):
    http = client_for("coordinator")
    _rename_booth(3, cast["admin"])
    http.get("/access-log/admin-changes/")
    with CaptureQueriesContext(connection) as few:
        http.get("/access-log/admin-changes/")
    _rename_booth(150, cast["admin"])
    http.get("/access-log/admin-changes/")  # the settings changed: every page reads the opening hours again once
    with CaptureQueriesContext(connection) as many:
        response = http.get("/access-log/admin-changes/")

    assert len(many) == len(few)
    assert response.context["page"].has_next()
    assert 'page=2"' in response.content.decode()


# Append-only ----------------------------------------------------------------------------------------------


def test_nobody_can_change_or_delete_an_entry(cast, clock):
    entry = AdminChange.objects.first()

    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    assert AdminChange not in admin.site._registry
    assert not any(
        user.has_perm(f"audit.{verb}_adminchange")
        for user in cast.values()
        for verb in ("add", "change", "delete", "view")
    )

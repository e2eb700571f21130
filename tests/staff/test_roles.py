"""The role groups and what each may do are written by code, after every migrate, and nothing else."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from staff.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role, sync_roles


def _permissions(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _stations(group: Group) -> set[str]:
    """The group's station permissions: which pages of the app its members work at."""
    return {perm for perm in _permissions(group) if perm.startswith("staff.use_") or perm == "staff.view_dashboard"}


def _snapshot() -> dict[str, tuple[int, set[str]]]:
    return {group.name: (group.pk, _permissions(group)) for group in Group.objects.all()}


def test_it_creates_the_six_role_groups(db):
    assert set(Group.objects.values_list("name", flat=True)) == {
        "Reception",
        "Counselor",
        "Health worker",
        "Duty officer",
        "Coordinator",
        "Administrator",
    }


@pytest.mark.parametrize("role", list(Role))
def test_it_gives_each_role_every_permission_declared_for_it(db, role):
    # A declared permission that does not exist (a typo, a renamed model) would be missing here.
    group = Group.objects.get(name=GROUP_NAMES[role])

    assert _permissions(group) == set(ROLE_PERMISSIONS[role])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.RECEPTION, {"staff.use_reception", "staff.use_floor"}),
        (Role.COUNSELOR, {"staff.use_interview", "staff.use_floor"}),
        (Role.HEALTH, {"staff.use_health", "staff.use_injection", "staff.use_observation", "staff.use_floor"}),
        (
            Role.DUTY,
            {
                "staff.use_reception",
                "staff.use_interview",
                "staff.use_health",
                "staff.use_injection",
                "staff.use_observation",
                "staff.use_floor",
                "staff.view_dashboard",
            },
        ),
        (Role.COORDINATOR, {"staff.view_dashboard"}),
        (Role.ADMIN, {"staff.use_admin"}),
    ],
)
def test_it_gives_the_station_roles_only_their_stations(db, role, expected):
    assert _stations(Group.objects.get(name=GROUP_NAMES[role])) == expected


def test_it_lets_only_the_administrator_group_use_the_admin(db):
    assert list(Group.objects.filter(permissions__codename="use_admin").values_list("name", flat=True)) == [
        "Administrator"
    ]


def test_it_lets_the_administrator_edit_staff_and_facility_settings_but_not_delete_staff(db):
    permissions = _permissions(Group.objects.get(name="Administrator"))

    assert {
        "staff.add_user",
        "staff.change_user",
        "visits.change_room",
        "visits.change_openinghoursperiod",
        "counseling.change_referralservice",
    } <= permissions
    assert "staff.delete_user" not in permissions
    assert "auth.change_group" not in permissions


def test_it_changes_nothing_when_the_roles_are_synced_again(db):
    before = _snapshot()

    sync_roles(apps)

    assert _snapshot() == before


def test_it_changes_nothing_when_migrate_runs_again(db):
    before = _snapshot()

    call_command("migrate", verbosity=0)

    assert _snapshot() == before


def test_it_removes_a_permission_added_to_a_group_by_hand(db):
    reception = Group.objects.get(name="Reception")
    declared = _permissions(reception)
    reception.permissions.add(Permission.objects.get(codename="use_admin"))

    sync_roles(apps)

    assert _permissions(reception) == declared


def test_it_gives_back_a_permission_removed_from_a_group_by_hand(db):
    health = Group.objects.get(name="Health worker")
    health.permissions.remove(Permission.objects.get(codename="use_injection"))

    sync_roles(apps)

    assert "staff.use_injection" in _permissions(health)


def test_it_recreates_a_role_group_deleted_by_hand(db):
    Group.objects.filter(name="Coordinator").delete()

    call_command("migrate", verbosity=0)

    assert _permissions(Group.objects.get(name="Coordinator")) == set(ROLE_PERMISSIONS[Role.COORDINATOR])


def test_it_lets_the_administrator_edit_every_setting_the_models_declare():
    """The settings each app marks on its models (``facility_setting``) are the ones the admin role edits."""
    from core.settings_models import setting_models

    admin = set(ROLE_PERMISSIONS[Role.ADMIN])
    declared = setting_models()

    assert len(declared) >= 14
    missing = [
        model._meta.label
        for model in declared
        if f"{model._meta.app_label}.change_{model._meta.model_name}" not in admin
    ]
    assert missing == []

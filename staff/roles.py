"""The staff roles, what each may do, and where each works.

Roles are Django groups so that an administrator assigns them in admin; what a group may do is
declared here and written to the database by ``sync_roles`` (from a data migration and after every
``migrate``), so that code, not hand edits, decides each role's permissions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Reception")
    COUNSELOR = "counselor", _("Counselor")
    HEALTH = "health", _("Health worker")
    DUTY = "duty", _("Duty officer")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMIN = "admin", _("Administrator")


# The group's name in the database. Kept in English: it is data, shown translated through Role.
GROUP_NAMES: dict[str, str] = {
    Role.RECEPTION: "Reception",
    Role.COUNSELOR: "Counselor",
    Role.HEALTH: "Health worker",
    Role.DUTY: "Duty officer",
    Role.COORDINATOR: "Coordinator",
    Role.ADMIN: "Administrator",
}
ROLE_BY_GROUP_NAME: dict[str, Role] = {name: Role(slug) for slug, name in GROUP_NAMES.items()}


def group_label(name: str) -> str:
    """A group's name as staff read it: a role's name in the page's language, any other group as it is."""
    role = ROLE_BY_GROUP_NAME.get(name)
    return str(role.label) if role is not None else name


# Permissions each role's group holds, as "app_label.codename". Station permissions are declared on
# staff.User's Meta; model permissions let administrators edit staff and facility settings in admin.
# Labels are data here, not imports: the roster's and handover's permissions are duty's, the
# incidents' are visits' (the model lives there), and ``sync_roles`` finds them by label. The settings
# are the models that declare ``facility_setting`` (core.settings_models); tests/staff/test_roles.py
# fails when one declared there is missing here.
_SETTINGS_MODELS = {
    "visits": [
        "facility",
        "openinghoursperiod",
        "openinghours",
        "closedday",
        "specialhours",
        "room",
        "booth",
        "substance",
        "route",
        "equipmentitem",
    ],
    "counseling": ["referralservice", "topic"],
    "duty": ["staffingminimum"],
    "reports": ["annualbudget"],
}


def _model_perms(
    app_label: str, model: str, actions: tuple[str, ...] = ("add", "change", "delete", "view")
) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


def _admin_permissions() -> list[str]:
    # The day sheet's figures and stock (the client rows on it are for the roles that work with clients),
    # and the close-out: a manager closing the day when no duty officer did.
    perms = ["staff.use_admin", "reports.view_day_sheet", "visits.close_visit_after_hours"]
    perms += _model_perms("staff", "user", ("add", "change", "view"))
    perms += _model_perms("auth", "group", ("view",))
    # Wall displays are revoked, never deleted: when and from where each was last seen stays on record.
    perms += _model_perms("staff", "display", ("add", "change", "view"))
    for app_label, models_ in _SETTINGS_MODELS.items():
        for model in models_:
            perms += _model_perms(app_label, model)
    return perms


_CLIENT_READ = ["visits.view_client", "visits.view_ban"]
# On the floor: moving a client between the queue and the rooms, checking out; in the injection and
# observation rooms: assigning and ending booth sessions, equipment, checks, release.
_FLOOR_MOVE = ["visits.change_visit"]
_CHECK_OUT = ["visits.check_out_visit"]
_ROOMS = [
    "visits.add_boothsession",
    "visits.change_boothsession",
    "visits.add_observationcheck",
    "visits.change_observation",
]
_BAN_WRITE = ["visits.add_ban", "visits.change_ban"]
# Anyone on the floor may raise an emergency; health workers and duty officers record it and give
# health services; coordinators read the clinical records for the reports.
_EMERGENCY_OPEN = ["health.add_emergency"]
_CLINICAL_WRITE = [
    "health.add_emergency",
    "health.change_emergency",
    "health.view_emergency",
    "health.add_healthservice",
    "health.view_healthservice",
    "visits.add_stockmovement",
    "visits.view_stockmovement",
]
_CLINICAL_READ = ["health.view_emergency", "health.view_healthservice", "visits.view_stockmovement"]
# The duty officer writes handovers and incidents (and corrects incidents) and reads the roster;
# coordinators plan the roster and read the handover log and the incidents for the reports.
_DUTY_OFFICER = [
    "duty.view_roster",
    "duty.add_handover",
    "duty.view_handover",
    "duty.acknowledge_handover",
    "visits.add_incident",
    "visits.change_incident",
    "visits.view_incident",
]
# Any station may refer a client; counselors and duty officers follow referrals up; coordinators read.
_REFERRAL_MAKE = ["counseling.add_referral", "counseling.view_referral"]
_REFERRAL_FOLLOW_UP = [*_REFERRAL_MAKE, "counseling.change_referral"]
# Consumption (substance, route) and the checks in booth and observation are health data: the clinical
# roles and the coordinator's reports see them; reception and counselors see the timers only.
_CONSUMPTION_READ = ["visits.view_boothsession", "visits.view_observationcheck"]
_ROSTER_PLANNING = ["duty.plan_roster", "duty.view_roster", "duty.view_handover", "visits.view_incident"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.RECEPTION: [
        *_EMERGENCY_OPEN,
        *_REFERRAL_MAKE,
        "staff.use_reception",
        "staff.use_floor",
        *_CLIENT_READ,
        "visits.add_client",
        "visits.add_visit",
        "visits.add_refusal",
        "visits.add_contact",
        *_FLOOR_MOVE,
        *_CHECK_OUT,
    ],
    Role.COUNSELOR: [
        *_EMERGENCY_OPEN,
        *_REFERRAL_FOLLOW_UP,
        "counseling.add_counselingsession",
        "counseling.view_counselingsession",
        "counseling.view_counseling_notes",
        "staff.use_interview",
        "staff.use_floor",
        *_CLIENT_READ,
        "visits.add_client",
        "counseling.add_intake",
        "counseling.view_intake",
        *_FLOOR_MOVE,
    ],
    Role.HEALTH: [
        *_CLINICAL_WRITE,
        *_REFERRAL_MAKE,
        *_CONSUMPTION_READ,
        "staff.use_health",
        "staff.use_injection",
        "staff.use_observation",
        "staff.use_floor",
        *_CLIENT_READ,
        "visits.add_contact",
        *_FLOOR_MOVE,
        *_CHECK_OUT,
        *_ROOMS,
    ],
    Role.DUTY: [
        *_CLINICAL_WRITE,
        *_REFERRAL_FOLLOW_UP,
        *_CONSUMPTION_READ,
        "counseling.view_counselingsession",
        "staff.use_reception",
        "staff.use_interview",
        "staff.use_health",
        "staff.use_injection",
        "staff.use_observation",
        "staff.use_floor",
        "staff.view_dashboard",
        *_CLIENT_READ,
        *_BAN_WRITE,
        "visits.add_client",
        "visits.add_visit",
        "visits.add_refusal",
        "visits.add_contact",
        "visits.override_admission",
        "counseling.add_intake",
        "counseling.view_intake",
        *_FLOOR_MOVE,
        *_CHECK_OUT,
        *_ROOMS,
        "visits.close_visit_after_hours",
        *_DUTY_OFFICER,
        "reports.view_day_sheet",
    ],
    Role.COORDINATOR: [
        *_CLINICAL_READ,
        *_CONSUMPTION_READ,
        "counseling.view_referral",
        "counseling.view_counselingsession",
        "counseling.view_counseling_notes",
        "staff.view_dashboard",
        "reports.view_monthly_report",
        "reports.view_day_sheet",
        *_CLIENT_READ,
        *_BAN_WRITE,
        "counseling.view_intake",
        *_ROSTER_PLANNING,
        # Who looked at a record, and a client's own copy of it on request (the privacy duties).
        "audit.review_access",
        "audit.export_client_data",
    ],
    Role.ADMIN: _admin_permissions(),
}


def sync_roles(apps) -> None:
    """Create the role groups and set each group's permissions to exactly the declared ones.

    Idempotent. ``apps`` is a migration's app registry or ``django.apps.apps``. Permissions whose
    model does not exist yet are skipped; the post-migrate run picks them up.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for slug, group_name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = []
        for dotted in ROLE_PERMISSIONS[slug]:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        current = set(group.permissions.values_list("pk", flat=True))
        if current != {p.pk for p in wanted}:
            group.permissions.set(wanted)

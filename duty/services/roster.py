"""Writes of the roster: plan a shift with its people, change or remove it, copy last week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.versioning import version_bump, version_check
from duty.models import FLOOR_ROLES, Shift, ShiftAssignment, StaffingMinimum
from duty.models.roster import shift_team_record, shift_team_text
from duty.selectors.roster import shifts_between, week_start
from staff.models import User
from staff.roles import Role
from visits.selectors.facility import opening_hours_on
from visits.selectors.settings import settings_changed

# What the shift form edits, compared when a change from a stale form is refused; "team" is the
# shift's people as its history keeps them.
VERSIONED_FIELDS = ("starts_at", "ends_at", "note", "team")


def _shift_label(shift: Shift) -> str:
    return f"{timezone.localtime(shift.starts_at):%d.%m.%Y} {shift.times}"


def _validated_team(*, duty_officer: User | None, members: Sequence[tuple[User, str]]) -> list[tuple[User, str, bool]]:
    """The shift's people as (user, role, is duty officer), the duty officer first, each person once."""
    if duty_officer is None:
        raise ValidationError(_("Choose the duty officer of the shift."), code="no_duty_officer")
    if not duty_officer.is_active:
        raise ValidationError(
            _("%(name)s's account is deactivated.") % {"name": duty_officer.display_name}, code="inactive"
        )
    if Role.DUTY not in duty_officer.roles:
        raise ValidationError(
            _("%(name)s does not have the duty officer role and cannot be the shift's duty officer.")
            % {"name": duty_officer.display_name},
            code="not_duty_officer",
        )
    team: list[tuple[User, str, bool]] = [(duty_officer, Role.DUTY.value, True)]
    seen = {duty_officer.pk}
    for user, role in members:
        if user.pk == duty_officer.pk:
            continue  # listed again among the staff: the duty officer is on the shift once
        if user.pk in seen:
            raise ValidationError(
                _("%(name)s is listed twice on the shift.") % {"name": user.display_name}, code="twice"
            )
        if not user.is_active:
            raise ValidationError(
                _("%(name)s's account is deactivated.") % {"name": user.display_name}, code="inactive"
            )
        if role not in FLOOR_ROLES or Role(role) not in user.roles:
            raise ValidationError(
                _("%(name)s does not have the role %(role)s.") % {"name": user.display_name, "role": Role(role).label}
                if role in Role.values
                else _("Choose a role for %(name)s.") % {"name": user.display_name},
                code="wrong_role",
            )
        seen.add(user.pk)
        team.append((user, role, False))
    return team


def _check_no_overlap(
    *, users: Sequence[User], starts_at: dt.datetime, ends_at: dt.datetime, exclude: Shift | None = None
) -> None:
    # Lock the people's rows first, so that two planners putting one person on overlapping shifts at
    # the same moment are served one after the other and the second sees the first's shift.
    list(User.objects.select_for_update().filter(pk__in=[u.pk for u in users]).order_by("pk").values_list("pk"))
    clashes = ShiftAssignment.objects.filter(
        user__in=users, shift__starts_at__lt=ends_at, shift__ends_at__gt=starts_at
    ).select_related("user", "shift")
    if exclude is not None:
        clashes = clashes.exclude(shift=exclude)
    errors = [
        ValidationError(
            _("%(name)s is already on the shift %(shift)s, which overlaps this one.")
            % {"name": clash.user.display_name, "shift": _shift_label(clash.shift)},
            code="overlap",
        )
        for clash in clashes.order_by("shift__starts_at", "user__username")
    ]
    if errors:
        raise ValidationError(errors)


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."), code="ends_before_start")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise ValidationError(_("A shift cannot be longer than 24 hours."), code="too_long")


def _save_team(shift: Shift, team: list[tuple[User, str, bool]]) -> None:
    try:
        with transaction.atomic():
            ShiftAssignment.objects.bulk_create(
                [ShiftAssignment(shift=shift, user=user, role=role, is_duty_officer=duty) for user, role, duty in team]
            )
            settings_changed()  # bulk_create sends no signal: the processes must read who is on duty again
    except IntegrityError:
        raise ValidationError(_("The shift was changed by someone else. Try again."), code="conflict") from None


@transaction.atomic
def shift_create(
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    duty_officer: User | None,
    members: Sequence[tuple[User, str]] = (),
    note: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> Shift:
    """Plan a shift with its duty officer and staff, each in a role they hold, none on two shifts at once."""
    now = now or timezone.now()
    _check_times(starts_at, ends_at)
    team = _validated_team(duty_officer=duty_officer, members=members)
    _check_no_overlap(users=[user for user, _role, _duty in team], starts_at=starts_at, ends_at=ends_at)
    shift = Shift(starts_at=starts_at, ends_at=ends_at, note=note.strip(), created_at=now, created_by=by)
    shift._history_team = shift_team_record(team)  # type: ignore[attr-defined]  # saved just below; the history holds it from the start
    shift._history_user = by  # type: ignore[attr-defined]  # set by hand for django-simple-history
    shift.save()
    _save_team(shift, team)
    return shift


@transaction.atomic
def shifts_plan(
    *,
    days: Sequence[dt.date],
    starts: dt.time,
    ends: dt.time,
    duty_officer: User | None,
    members: Sequence[tuple[User, str]] = (),
    note: str = "",
    by: User,
    now: dt.datetime | None = None,
) -> list[Shift]:
    """The same shift, local times and people, on each of ``days``: all of them or, on any error, none.

    An end before the start is the next day (18:00 to 02:00); an end equal to the start is refused.
    """
    if ends == starts:
        raise ValidationError(_("A shift cannot start and end at the same time."), code="no_length")
    shifts = []
    for day in sorted(set(days)):
        starts_at, ends_at = Shift.period(day, starts, ends)
        shifts.append(
            shift_create(
                starts_at=starts_at,
                ends_at=ends_at,
                duty_officer=duty_officer,
                members=members,
                note=note,
                by=by,
                now=now,
            )
        )
    return shifts


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    duty_officer: User | None,
    members: Sequence[tuple[User, str]] = (),
    note: str = "",
    by: User,
    seen_version: int | None = None,
) -> Shift:
    """Change a shift's times and people; the team given replaces the old one.

    ``seen_version`` is the version the form was opened with: when someone changed the shift since,
    the change is refused with what changed (``StaleEdit``) and nothing is written.
    """
    _check_times(starts_at, ends_at)
    team = _validated_team(duty_officer=duty_officer, members=members)
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    version_check(
        shift,
        seen=seen_version,
        fields=VERSIONED_FIELDS,
        display={"team": lambda record: shift_team_text(record.team)},
        labels={"team": _("Staff and their roles")},
    )
    _check_no_overlap(users=[user for user, _role, _duty in team], starts_at=starts_at, ends_at=ends_at, exclude=shift)
    shift.assignments.all().delete()
    _save_team(shift, team)
    shift.starts_at, shift.ends_at, shift.note = starts_at, ends_at, note.strip()
    version_bump(shift)
    shift._history_team = shift_team_record(team)  # type: ignore[attr-defined]  # read by the Shift history signal
    shift._history_user = by  # type: ignore[attr-defined]  # set by hand for django-simple-history
    shift.save(update_fields=["starts_at", "ends_at", "note", "version"])
    return shift


@transaction.atomic
def shift_delete(*, shift: Shift, by: User) -> None:
    """Take a shift off the roster. Handovers written on it keep their text and lose only the link."""
    Shift.objects.filter(pk=shift.pk).delete()


@transaction.atomic
def roster_copy_week(
    *, source_monday: dt.date, target_monday: dt.date, by: User, now: dt.datetime | None = None
) -> int:
    """Copy one week's shifts, same weekdays and local times, into another week that has none yet.

    People whose accounts have since been deactivated are left out; a shift whose duty officer is
    gone is still copied when someone else on it can be duty officer, otherwise skipped. Returns how
    many shifts were made.
    """
    now = now or timezone.now()
    if source_monday == target_monday:
        raise ValidationError(_("Choose another week to copy from."), code="same_week")
    if shifts_between(target_monday, 7).exists():
        raise ValidationError(
            _("This week already has shifts. Copying would double them; remove them first or plan by hand."),
            code="week_not_empty",
        )
    source = list(shifts_between(source_monday, 7))
    if not source:
        raise ValidationError(_("There are no shifts to copy in the week before."), code="nothing_to_copy")
    tz = timezone.get_default_timezone()
    shift_days = target_monday - source_monday
    made = 0
    for shift in source:
        start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
        # Local wall-clock times are kept, so that a copy across a daylight-saving change still starts at 08:00.
        new_start = timezone.make_aware(dt.datetime.combine(start.date() + shift_days, start.time()), tz)
        new_end = timezone.make_aware(dt.datetime.combine(end.date() + shift_days, end.time()), tz)
        people = [a for a in shift.assignments.all() if a.user.is_active]
        officer = next((a.user for a in people if a.is_duty_officer), None)
        if officer is None:
            officer = next((a.user for a in people if Role.DUTY in a.user.roles), None)
        if officer is None:
            continue
        members = [(a.user, a.role) for a in people if a.user != officer and Role(a.role) in a.user.roles]
        shift_create(
            starts_at=new_start,
            ends_at=new_end,
            duty_officer=officer,
            members=members,
            note=shift.note,
            by=by,
            now=now,
        )
        made += 1
    return made


# A starting point an administrator edits in admin: one duty officer, two health workers and one at
# reception whenever the facility is open (the example, plus the door).
DEFAULT_STAFFING_MINIMUMS = [(Role.DUTY, 1), (Role.HEALTH, 2), (Role.RECEPTION, 1)]


@transaction.atomic
def staffing_minimums_load_defaults() -> int:
    """Give an installation without staffing minimums the default ones. Returns how many were made."""
    if StaffingMinimum.objects.exists():
        return 0
    StaffingMinimum.objects.bulk_create(
        [StaffingMinimum(role=role, count=count) for role, count in DEFAULT_STAFFING_MINIMUMS]
    )
    settings_changed()  # bulk_create sends no signal
    return len(DEFAULT_STAFFING_MINIMUMS)


@transaction.atomic
def demo_roster_create(*, by: User, now: dt.datetime | None = None) -> int:
    """This week's roster for the demo accounts, when the week has none: a day and an evening shift.

    Idempotent like the rest of the demo data. Returns how many shifts were made.
    """
    now = now or timezone.now()
    monday = week_start(timezone.localdate(now))
    if shifts_between(monday, 7).exists():
        return 0
    people = {user.username: user for user in User.objects.filter(username__in=[r.value for r in FLOOR_ROLES])}
    duty = people.get(Role.DUTY.value)
    if duty is None:
        return 0
    day_team = [(people[role.value], role.value) for role in FLOOR_ROLES if role != Role.DUTY and role.value in people]
    evening_team = [(user, role) for user, role in day_team if role == Role.HEALTH]
    tz = timezone.get_default_timezone()
    made = 0
    for offset in range(7):
        hours = opening_hours_on(monday + dt.timedelta(days=offset))
        if hours is None:
            continue
        change = timezone.make_aware(dt.datetime.combine(hours.date, dt.time(15, 0)), tz)
        if not hours.opens < change < hours.closes:
            change = hours.closes
        shift_create(starts_at=hours.opens, ends_at=change, duty_officer=duty, members=day_team, by=by, now=now)
        made += 1
        if change < hours.closes:
            shift_create(
                starts_at=change, ends_at=hours.closes, duty_officer=duty, members=evening_team, by=by, now=now
            )
            made += 1
    return made

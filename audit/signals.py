"""Keeping ``AdminChange`` rows: every change of a staff member's access and of the facility's settings.

Signals, not the admin's hooks, so that every path is caught: the admin's forms and list edits, a
service, a command, the shell. A save compares the row with the one in the database (read in
``pre_save``) field by field; a role or permission added, removed or cleared compares the sets before
and after, from either side of the relation (``user.groups.add(group)`` or ``group.user_set.add(user)``).
The entry is written in the transaction of the change, so a change that is rolled back leaves none.

Not recorded: the defaults a new installation loads in bulk (``facility_load_defaults``, before anyone
can log in), and the fields that are bookkeeping or secret (``IGNORED_FIELDS``).
"""

from __future__ import annotations

import json
from typing import cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from audit.models import AdminChange
from audit.services import admin_change_record
from core.settings_models import setting_models


# ``tests/security/test_admin_changes.py`` fails when a model registered in the admin is missing here.
def audited_models() -> list[type[models.Model]]:
    """Whose changes are logged: staff members, roles (groups), and every one of the facility's settings,
    which each app declares on its models (``core.settings_models``)."""
    return [apps.get_model(settings.AUTH_USER_MODEL), Group, *setting_models()]


# Of a staff member, what decides their access; names, language and the last login are not audited.
USER_FIELDS = ("username", "is_active", "is_staff", "is_superuser")

# Never written to the log: secrets, and values that change by themselves.
IGNORED_FIELDS = {
    "visits.Facility": {"settings_version"},
    "staff.Display": {"token_hash", "last_seen_at", "last_address"},
}

# The relations that grant access: (model, many-to-many field).
ACCESS_RELATIONS = (("staff.User", "groups"), ("staff.User", "user_permissions"), ("auth.Group", "permissions"))

_PRE_M2M = {"pre_add": "post_add", "pre_remove": "post_remove", "pre_clear": "post_clear"}


def _acting_user(instance: models.Model | None = None):
    """Who made the change: the one a service named on the record (``_admin_audit_by``), else the user of
    the request being answered, else nobody (a command)."""
    named = getattr(instance, "_admin_audit_by", None)
    if named is not None:
        return named
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _tracked_fields(model: type[models.Model]) -> list[models.Field]:
    label = model._meta.label
    if label == settings.AUTH_USER_MODEL:
        return [cast(models.Field, model._meta.get_field(name)) for name in USER_FIELDS]
    ignored = IGNORED_FIELDS.get(label, set())
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in ignored and not field.many_to_many
    ]


def _json(value):
    """A value as it is kept in the JSON column (dates and times as ISO text, decimals as text)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _snapshot(instance: models.Model) -> dict:
    values = {}
    for field in _tracked_fields(type(instance)):
        if field.is_relation:
            # The related record's name, as a person reads it; its id would mean nothing on the page.
            related_id = getattr(instance, field.attname)
            values[field.name] = None if related_id is None else str(getattr(instance, field.name))
        else:
            values[field.name] = _json(field.value_from_object(instance))
    return values


def _pre_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    instance._admin_audit_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    tracked = {field.name for field in _tracked_fields(sender)} | {field.attname for field in _tracked_fields(sender)}
    if update_fields is not None and not tracked.intersection(update_fields):
        return  # a save of untracked fields only (the last login): nothing to compare
    previous = sender._default_manager.filter(pk=instance.pk).first()
    if previous is not None:
        instance._admin_audit_before = _snapshot(previous)


def _post_save(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    before = getattr(instance, "_admin_audit_before", None)
    instance._admin_audit_before = None
    after = _snapshot(instance)
    if created:
        changes = {name: {"after": value} for name, value in after.items()}
        action = AdminChange.Action.CREATED
    else:
        if before is None:
            return  # only untracked fields were saved
        changes = {
            name: {"before": before.get(name), "after": value}
            for name, value in after.items()
            if before.get(name) != value
        }
        action = AdminChange.Action.CHANGED
        if not changes:
            return
    admin_change_record(instance=instance, action=action, changes=changes, by=_acting_user(instance))


def _post_delete(sender, instance, **kwargs) -> None:
    changes = {name: {"before": value} for name, value in _snapshot(instance).items()}
    admin_change_record(
        instance=instance, action=AdminChange.Action.DELETED, changes=changes, by=_acting_user(instance)
    )


def _labels(field: models.ManyToManyField, owner_ids) -> dict:
    """For each owner (a user, a group), the sorted names of what the relation gives it: one query."""
    through = cast(type[models.Model], field.remote_field.through)  # a model once the apps are loaded
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if field.related_model is Permission:
        paths: tuple[str, ...] = (f"{target}__content_type__app_label", f"{target}__codename")
    else:
        paths = (f"{target}__name",)
    labels: dict = {owner_id: [] for owner_id in owner_ids}
    rows = through._default_manager.filter(**{f"{owner}_id__in": owner_ids}).values_list(f"{owner}_id", *paths)
    for owner_id, *parts in rows:
        labels[owner_id].append(".".join(parts))
    return {owner_id: sorted(names) for owner_id, names in labels.items()}


def _m2m_handler(field: models.ManyToManyField):
    owner_model = field.model
    owner_column = field.m2m_field_name()
    target_column = field.m2m_reverse_field_name()
    through = cast(type[models.Model], field.remote_field.through)  # a model once the apps are loaded

    def handler(sender, instance, action, reverse, pk_set, **kwargs) -> None:
        key = f"_admin_audit_{field.name}"
        if action in _PRE_M2M:
            if not reverse:
                owner_ids = [instance.pk]
            elif pk_set is not None:
                owner_ids = list(pk_set)
            else:  # cleared from the other side: every owner that had it
                owner_ids = list(
                    through._default_manager.filter(**{f"{target_column}_id": instance.pk}).values_list(
                        f"{owner_column}_id", flat=True
                    )
                )
            setattr(instance, key, _labels(field, owner_ids))
            return
        if action not in _PRE_M2M.values():
            return
        before = getattr(instance, key, None) or {}
        setattr(instance, key, None)
        after = _labels(field, list(before))
        changed = [owner_id for owner_id in before if before[owner_id] != after[owner_id]]
        if not changed:
            return
        owners = {instance.pk: instance} if not reverse else owner_model._default_manager.in_bulk(changed)
        by = _acting_user()
        for owner_id in changed:
            admin_change_record(
                instance=owners[owner_id],
                action=AdminChange.Action.CHANGED,
                changes={field.name: {"before": before[owner_id], "after": after[owner_id]}},
                by=by,
            )

    return handler


def connect() -> None:
    for model in audited_models():
        uid = f"admin-audit-{model._meta.label}"
        pre_save.connect(_pre_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_post_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"{uid}-delete")
    for label, name in ACCESS_RELATIONS:
        field = apps.get_model(label)._meta.get_field(name)
        m2m_changed.connect(
            _m2m_handler(field),
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"admin-audit-{label}-{name}",
        )

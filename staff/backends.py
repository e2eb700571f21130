"""Reading a staff member, what they may do, and their roles, in one query.

Every page asks: the navigation, the page's own rule, each button it shows; and the header names the
user's roles. Django's ModelBackend reads the user, then their own permissions and their groups'
permissions in two more queries, and the roles (the groups) take a fourth. This backend reads the user
with a list of everything they are granted, and answers the rest from memory as ModelBackend does.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models import CharField, Model, Value
from django.db.models.expressions import RawSQL

SEPARATOR = "\n"  # in neither a permission's codename nor a group's name (both are one line)


def _table(model: type[Model] | str | None) -> str:
    """The table of a related or through model: a model class once the apps are loaded."""
    assert isinstance(model, type)
    return model._meta.db_table


@cache
def _grants_sql() -> str:
    """A subquery: each permission of the user as ``p:app.codename`` and each group as ``g:name``."""
    user_model = get_user_model()
    users = user_model._meta.db_table
    perm = Permission._meta.db_table
    content_type = _table(Permission._meta.get_field("content_type").related_model)
    own = _table(user_model._meta.get_field("user_permissions").remote_field.through)
    member = _table(user_model._meta.get_field("groups").remote_field.through)
    group_perm = _table(Group._meta.get_field("permissions").remote_field.through)
    group = Group._meta.db_table
    user_column = f"{user_model._meta.model_name}_id"
    aggregate = "string_agg(grant_name, %s)" if connection.vendor == "postgresql" else "group_concat(grant_name, %s)"
    return f"""(SELECT {aggregate} FROM (
        SELECT 'p:' || ct.app_label || '.' || p.codename AS grant_name
          FROM {perm} p JOIN {content_type} ct ON ct.id = p.content_type_id
          JOIN {own} up ON up.permission_id = p.id WHERE up.{user_column} = {users}.id
        UNION
        SELECT 'p:' || ct.app_label || '.' || p.codename
          FROM {perm} p JOIN {content_type} ct ON ct.id = p.content_type_id
          JOIN {group_perm} gp ON gp.permission_id = p.id
          JOIN {member} ug ON ug.group_id = gp.group_id WHERE ug.{user_column} = {users}.id
        UNION
        SELECT 'g:' || g.name FROM {group} g JOIN {member} ug ON ug.group_id = g.id
         WHERE ug.{user_column} = {users}.id
    ) grants)"""


def _remember(user, grants: list[str]) -> None:
    user._perm_cache = {grant[2:] for grant in grants if grant.startswith("p:")}
    user._group_names = {grant[2:] for grant in grants if grant.startswith("g:")}


def _load(user) -> None:
    """The grants of a user read without them (a superuser has every permission): one or two queries."""
    if user.is_superuser:
        perms = Permission.objects.values_list("content_type__app_label", "codename")
        grants = [f"p:{app}.{codename}" for app, codename in perms]
    else:
        own = (
            Permission.objects.filter(user=user)
            .order_by()
            .values_list("content_type__app_label", "codename", Value("", output_field=CharField()))
        )
        through_groups = (
            Group.objects.filter(user=user)
            .order_by()
            .values_list("permissions__content_type__app_label", "permissions__codename", Value("", CharField()))
        )
        grants = [f"p:{app}.{codename}" for app, codename, _ in own.union(through_groups, all=True) if codename]
    grants += [f"g:{name}" for name in Group.objects.filter(user=user).values_list("name", flat=True)]
    _remember(user, grants)


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        user = (
            user_model._default_manager.filter(pk=user_id)
            .annotate(grant_list=RawSQL(_grants_sql(), (SEPARATOR,)))
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        if not user.is_superuser:
            _remember(user, (user.grant_list or "").split(SEPARATOR))
        return user

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            _load(user_obj)
        return user_obj._perm_cache

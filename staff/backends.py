"""Reading what a staff member may do, and their roles, in one query.

Every page asks: the navigation, the page's own rule, each button it shows; and the header names the
user's roles. Django's ModelBackend reads the user's own permissions and their groups' permissions in
two queries, and the roles (the groups) take a third; this backend reads all three at once, on the
first question of the request, and answers the rest from memory as ModelBackend does.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, Value


def _load(user) -> None:
    if user.is_superuser:
        rows = list(Permission.objects.values_list("content_type__app_label", "codename", Value("", CharField())))
        rows += [(None, None, name) for name in Group.objects.filter(user=user).values_list("name", flat=True)]
    else:
        own = Permission.objects.filter(user=user).order_by().values_list(
            "content_type__app_label", "codename", Value("", output_field=CharField())
        )
        through_groups = Group.objects.filter(user=user).order_by().values_list(
            "permissions__content_type__app_label", "permissions__codename", "name"
        )
        rows = list(own.union(through_groups, all=True))
    user._perm_cache = {f"{app}.{codename}" for app, codename, _group in rows if codename}
    user._group_names = {group for _app, _codename, group in rows if group}


class StaffBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            _load(user_obj)
        return user_obj._perm_cache

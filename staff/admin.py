from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from staff import services
from staff.models import Display, User
from staff.roles import group_label
from staff.services import displays as display_services

# An account nobody has used for this long is listed for deactivation.
UNUSED_AFTER = dt.timedelta(days=90)


def unused_accounts_q(now: dt.datetime) -> Q:
    """Accounts not used for 90 days: last login before the cut-off, or never logged in and made before it."""
    cutoff = now - UNUSED_AFTER
    return Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)


class UnusedFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "unused"

    def lookups(self, request, model_admin):
        return [("90", _("Not used for 90 days"))]

    def queryset(self, request, queryset):
        if self.value() == "90":
            return queryset.filter(unused_accounts_q(timezone.now()))
        return queryset


class RoleListFilter(admin.RelatedFieldListFilter):
    """The roles filter: each group by its role's name in the page's language (the database keeps English)."""

    def field_choices(self, field, request, model_admin):
        return [(pk, group_label(str(name))) for pk, name in super().field_choices(field, request, model_admin)]


class RoleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Group) -> str:
        return group_label(obj.name)


_DEFAULT_ACTIONS = {
    "add": _("Can add %(things)s"),
    "change": _("Can change %(things)s"),
    "delete": _("Can delete %(things)s"),
    "view": _("Can view %(things)s"),
}


def permission_label(permission: Permission) -> str:
    """A permission as the reader's language says it; its stored name is English, written when it was made."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    declared = dict(model._meta.permissions)
    if permission.codename in declared:
        return str(declared[permission.codename])
    action, _sep, rest = permission.codename.partition("_")
    if action in _DEFAULT_ACTIONS and rest == model._meta.model_name:
        return str(_DEFAULT_ACTIONS[action] % {"things": model._meta.verbose_name_plural})
    return permission.name


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The roles, read-only in practice (``sync_roles`` writes them), named in the page's language."""

    list_display = ("role",)

    @admin.display(description=_("role"), ordering="name")
    def role(self, obj: Group) -> str:
        return group_label(obj.name)

    @admin.display(description=_("permissions"))
    def permission_list(self, obj: Group):
        labels = sorted(permission_label(p) for p in obj.permissions.select_related("content_type"))
        if not labels:
            return "-"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((label,) for label in labels)))

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ("role", "permission_list")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ("role", "permission_list")
        return super().get_readonly_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = self.get_object(request, object_id)
        label = group_label(group.name) if group is not None else ""
        return super().change_view(
            request, object_id, form_url, {**(extra_context or {}), "subtitle": label, "role_label": label}
        )

    def history_view(self, request, object_id, extra_context=None):
        group = self.get_object(request, object_id)
        label = group_label(group.name) if group is not None else ""
        title = gettext("Change history: %s") % label
        return super().history_view(request, object_id, {**(extra_context or {}), "title": title, "role_label": label})


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    # No superuser flag or per-user permissions here: access comes from roles (groups) alone.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal details"), {"fields": ("first_name", "last_name", "email", "language")}),
        (_("Access"), {"fields": ("is_active", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2", "language", "groups")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "role_list", "is_active", "last_login")
    list_filter = ("is_active", UnusedFilter, ("groups", RoleListFilter))
    filter_horizontal = ()
    actions = ["deactivate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # A handful of roles: checkboxes, each named in the page's language.
            return RoleChoiceField(
                queryset=Group.objects.order_by("name"),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=gettext("Roles"),
                help_text=gettext("What the staff member may do: each role opens its stations."),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("roles"))
    def role_list(self, obj: User) -> str:
        return obj.role_labels()

    @admin.action(description=_("Deactivate the selected staff members"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = services.users_deactivate(users=queryset, by=request.user)
        self.message_user(
            request,
            ngettext("%(count)d staff member deactivated.", "%(count)d staff members deactivated.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Display)
class DisplayAdmin(admin.ModelAdmin):
    """Wall displays: created here (the link shown once), revoked here; never deleted."""

    readonly_fields = ("created_at", "created_by", "revoked_at", "revoked_by", "last_seen_at", "last_address")
    fields = ("name", "allowed_network", *readonly_fields)
    list_display = ("name", "allowed_network", "created_at", "created_by", "revoked_at", "last_seen_at", "last_address")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    actions = ["revoke"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by", "revoked_by")

    def get_fields(self, request, obj=None):
        return ("name", "allowed_network") if obj is None else self.fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # The token exists only now: kept on the object for response_add, never stored.
            obj.new_token = display_services.display_create(display=obj, by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        url = request.build_absolute_uri(reverse("visits:display-enter", args=[obj.new_token]))
        return TemplateResponse(
            request,
            "admin/staff/display/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "display": obj,
                "url": url,
                "title": _("Display created"),
            },
        )

    @admin.action(description=_("Revoke the selected displays"), permissions=["change"])
    def revoke(self, request, queryset):
        count = display_services.displays_revoke(displays=queryset, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d display revoked: it stops within a minute.",
                "%(count)d displays revoked: they stop within a minute.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

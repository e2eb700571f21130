from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff import services
from staff.models import Display, User
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
    list_filter = ("is_active", UnusedFilter, "groups")
    filter_horizontal = ("groups",)
    actions = ["deactivate"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

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

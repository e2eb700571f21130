from __future__ import annotations

import datetime as dt

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff import services
from staff.models import StaffingMinimum, User

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


@admin.register(StaffingMinimum)
class StaffingMinimumAdmin(admin.ModelAdmin):
    list_display = ("role", "count", "weekday", "from_time", "until_time")
    list_editable = ("count",)
    list_filter = ("role", "weekday")

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from staff import services
from staff.models import User


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
    list_filter = ("is_active", "groups")
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

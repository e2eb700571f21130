from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class FacilityAdminSite(admin.AdminSite):
    """Django admin for administrators only: the Administrator role, not the is_staff flag, opens it."""

    site_header = _("Facility administration")
    site_title = _("Facility administration")
    index_title = _("Staff and facility settings")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.has_perm("staff.use_admin")

    # Open to anonymous users like the method it overrides; otherwise LoginRequiredMiddleware sends
    # them to /login/?next=/admin/login/..., and after logging in even an administrator gets a 403.
    @login_not_required
    def login(self, request, extra_context=None):
        # One login page for the whole app; a logged-in non-administrator is refused, not re-asked.
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(reverse("admin:index", current_app=self.name))
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next", request.get_full_path()), settings.LOGIN_URL)

    def admin_view(self, view, cacheable=False):
        """Every admin page, with an empty ``?_to_field=`` refused as Django refuses a field it may not use.

        Django's admin reads an empty value as a field named "" and looks it up, which fails with a 500
        on the change and delete pages; no link of the admin sends one, only a crafted address.
        """

        @wraps(view)
        def refusing_an_empty_field(request, *args, **kwargs):
            if request.GET.get(TO_FIELD_VAR) == "" or request.POST.get(TO_FIELD_VAR) == "":
                raise DisallowedModelAdminToField("An empty field cannot be referenced.")
            return view(request, *args, **kwargs)

        return super().admin_view(refusing_an_empty_field, cacheable)

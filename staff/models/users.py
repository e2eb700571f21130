from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.roles import ROLE_BY_GROUP_NAME, Role


class User(AbstractUser):
    """A staff member. Roles are the user's groups; the interface speaks the user's language."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")
        permissions = [
            ("use_reception", _("Can work at reception")),
            ("use_interview", _("Can work in the interview room")),
            ("use_health", _("Can work in the health room")),
            ("use_injection", _("Can work in the injection room")),
            ("use_observation", _("Can work in the observation room")),
            ("use_floor", _("Can see the live floor board")),
            ("view_dashboard", _("Can see dashboards and reports")),
            ("use_admin", _("Can use the administration pages")),
        ]

    @cached_property
    def roles(self) -> list[Role]:
        names = getattr(self, "_group_names", None)
        if names is None and self.is_active:
            self.get_all_permissions()  # the staff backend reads the roles with the permissions
            names = getattr(self, "_group_names", None)
        if names is None:
            names = {g.name for g in self.groups.all()}
        return [role for name, role in ROLE_BY_GROUP_NAME.items() if name in names]

    def role_labels(self) -> str:
        return ", ".join(str(role.label) for role in self.roles)

    @property
    def display_name(self) -> str:
        """The name colleagues know: the full name when given, else the username."""
        return self.get_full_name() or self.get_username()

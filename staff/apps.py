from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class FacilityAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "staff.admin_site.FacilityAdminSite"


def _sync_roles_after_migrate(sender, **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from staff.roles import sync_roles

    # Permissions of every app must exist before the groups can be given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    sync_roles(apps)


class StaffConfig(AppConfig):
    default = True
    default_auto_field = "django.db.models.BigAutoField"
    name = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from staff.middleware import start_idle_clock

        post_migrate.connect(_sync_roles_after_migrate, sender=self, dispatch_uid="staff.sync_roles")
        user_logged_in.connect(start_idle_clock, dispatch_uid="staff.start_idle_clock")

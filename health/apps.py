from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "health"
    verbose_name = _("Health and emergencies")

    def ready(self) -> None:
        from django.db.models import Exists

        from health.models import Emergency
        from visits.selectors.settings import read_with_facility

        # Every page's alarm banner: whether any emergency is open comes with the facility row the
        # request reads anyway, so a page asks for the emergencies only while one is (health.alarm).
        read_with_facility("emergency_open", lambda: Exists(Emergency.objects.filter(ended_at__isnull=True)))

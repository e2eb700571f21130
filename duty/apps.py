from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    """The duty records: the roster and staffing minimums, the handover log, and the incident pages."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "duty"
    verbose_name = _("Roster")

    def ready(self) -> None:
        from duty import signals

        signals.connect()

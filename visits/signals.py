"""A change to any of the facility's cached settings replaces the token the processes keep them under."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from core.settings_models import FacilitySetting, setting_models
from visits.selectors.settings import settings_changed


def _changed(sender, **kwargs) -> None:
    settings_changed()


def connect() -> None:
    # Every app's cached settings (``core.settings_models``), the staffing minimums among them.
    for model in setting_models(FacilitySetting.CACHED):
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"settings-changed-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"settings-changed-delete-{label}")

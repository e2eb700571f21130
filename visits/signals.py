"""A change to any of the facility's settings replaces the token the processes keep them under."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

SETTINGS_MODELS = (
    "visits.OpeningHoursPeriod",
    "visits.OpeningHours",
    "visits.ClosedDay",
    "visits.Room",
    "visits.Booth",
    "visits.Route",
    "visits.Substance",
    "visits.EquipmentItem",
)


def _changed(sender, **kwargs) -> None:
    from visits.selectors.settings import settings_changed

    settings_changed()


def watch(model) -> None:
    """Count ``model`` among the facility's settings: a change to it replaces the token too.

    For the apps above visits that keep settings of their own (duty's staffing minimums).
    """
    label = model._meta.label
    post_save.connect(_changed, sender=model, dispatch_uid=f"settings-changed-save-{label}")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"settings-changed-delete-{label}")


def connect() -> None:
    from django.apps import apps

    for label in SETTINGS_MODELS:
        watch(apps.get_model(label))

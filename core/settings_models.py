"""Which models are the facility's settings: declared once, on each model, whichever app owns it.

A setting is a model an administrator edits in the admin (the inlines included). It says so with a
class attribute::

    class Room(TranslatedName):
        facility_setting = FacilitySetting.CACHED

Two parts of the app read the list from here, so neither names another app's models and a new setting
is declared in one place: every change of a setting is kept in the admin-change log (``audit.signals``),
and every save or delete of a cached one replaces the token each process keeps the settings under
(``visits.signals``).
"""

from __future__ import annotations

import enum

from django.apps import apps
from django.db import models


class FacilitySetting(enum.Enum):
    """What kind of setting a model is, as its ``facility_setting`` says."""

    # Edited by administrators; each change is kept in the admin-change log.
    LOGGED = "logged"
    # Logged, and also kept in each process's memory (``visits.selectors.settings``) under the facility
    # row's settings token, which every save or delete of a row must therefore replace.
    CACHED = "cached"


def setting_models(*kinds: FacilitySetting) -> list[type[models.Model]]:
    """The installed models that are settings of one of ``kinds`` (of any kind when none is given)."""
    wanted = set(kinds or FacilitySetting)
    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and getattr(model, "facility_setting", None) in wanted
    ]

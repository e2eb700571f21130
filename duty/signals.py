"""A change to the roster replaces the settings token, so that each process reads who is on duty again.

Every page's header shows who is on duty now; each process keeps the day's roster in memory under the
facility row's settings token (``duty.selectors.roster.on_duty_now``), as it keeps the settings. Any
save or delete of a shift or of one of its people replaces the token in the same transaction, whether
it comes from a service, the admin or the shell; so does a change of a staff member's name, which the
header shows (a login writes only ``last_login`` and leaves the token alone). A bulk write
(``bulk_create``, a queryset's ``update``) sends no signal: the code that makes one calls
``settings_changed()`` itself.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from duty.models import Shift, ShiftAssignment
from staff.models import User
from visits.selectors.settings import settings_changed


def _roster_changed(sender, **kwargs) -> None:
    settings_changed()


# What the header shows of a person on duty (``User.display_name``).
_NAME_FIELDS = frozenset({"first_name", "last_name", "username"})


def _user_saved(sender, created=False, update_fields=None, **kwargs) -> None:
    # A new account is on no shift yet.
    if not created and (update_fields is None or _NAME_FIELDS & set(update_fields)):
        settings_changed()


def connect() -> None:
    for model in (Shift, ShiftAssignment):
        label = model._meta.label
        post_save.connect(_roster_changed, sender=model, dispatch_uid=f"roster-changed-save-{label}")
        post_delete.connect(_roster_changed, sender=model, dispatch_uid=f"roster-changed-delete-{label}")
    post_save.connect(_user_saved, sender=User, dispatch_uid="roster-changed-user-name")

"""The change log for writes that send no model signals.

A conditional ``update()`` settles a race in the database (only one of two staff can end the same booth
session), and ``bulk_create`` writes several rows in one statement; neither calls ``save()``, so the
change log (django-simple-history) would miss them. These helpers write the historical rows themselves,
inside the same transaction, so that every change to a client's record keeps who, when and after.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Model
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from staff.models import User

M = TypeVar("M", bound=Model)


def history_record_change(instance: Model, *, by: User) -> None:
    """Log ``instance`` as it now stands (its fields already hold the values the update wrote)."""
    bulk_update_with_history([instance], type(instance), fields=[], default_user=by)


def history_bulk_create(objs: Sequence[M], model: type[M], *, by: User) -> list[M]:
    """``bulk_create`` that logs each new row as created by ``by``."""
    created: list[M] = bulk_create_with_history(list(objs), model, default_user=by)
    return created

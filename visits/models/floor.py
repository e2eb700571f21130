"""A counter of changes to the live floor, kept by the database itself."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class FloorState(models.Model):
    """One row whose ``version`` goes up with every change to what the boards show.

    Triggers on the live tables (visits, booth sessions, observations, checks, emergencies and their
    interventions, stock levels, shifts) raise it in the same transaction as the change, so no write can
    forget to, whether it comes from a station, the admin or a command. On PostgreSQL the triggers are
    deferred to the commit, so the row is locked only in the instant before a transaction commits and
    never while it waits for another lock. The boards compare it with the version they last showed and
    answer a poll with nothing when nothing changed (``visits.selectors.floor.floor_version``).
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="floor_state_is_single_row")]

    def __str__(self) -> str:
        return f"floor version {self.version}"

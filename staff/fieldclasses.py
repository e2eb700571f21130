"""Who may read which fields of a client's record, inside the pages they may open.

The permission matrix (``staff.matrix``) says who opens a page; this table says what of a client's
record the page then shows. Every field that holds something about a client belongs to one class,
and each class is read by the roles below:

- **operational**: what the floor runs on: the client's code, status and flags (banned, inside,
  intake due, a recent overdose), places and times, who did what, the reason chosen from a list when
  a client is turned away, reception's own notes. Everyone who works with clients.
- **counseling**: free text written in counseling work: intake notes and the reason an intake was
  refused, session notes and agreed next steps, a referral's note, the reasons given for its status
  changes and for moved follow-up dates. Counselors, and coordinators for the privacy duties
  (a client's own copy, who read what). Reception sees the flag ("intake not done", "referred to
  NAV, sent"), never the text behind it.
- **clinical**: health data: the substance brought and its dose, time of last use, other substances
  and signs of intoxication at check-in; substance and route in the booth; observation checks and the
  reason for an early release; an emergency's details, doses and vital signs; health services. Health
  workers and duty officers (who work the rooms), and coordinators.

A page asks ``may_read(user, FieldClass.X)``; a template reads ``reads.counseling`` and
``reads.clinical`` (the ``field_classes`` context processor). A field a user may not read is not
fetched, or not drawn: never hidden with CSS. ``FIELDS`` names every classified field, for the docs
and for the tests that plant a marker in each one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from staff.roles import Role


class FieldClass(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    COUNSELING = "counseling", _("Counseling free text")
    CLINICAL = "clinical", _("Clinical")


_CLIENT_WORK = frozenset({Role.RECEPTION, Role.COUNSELOR, Role.HEALTH, Role.DUTY, Role.COORDINATOR})

READERS: dict[FieldClass, frozenset[Role]] = {
    FieldClass.OPERATIONAL: _CLIENT_WORK,
    FieldClass.COUNSELING: frozenset({Role.COUNSELOR, Role.COORDINATOR}),
    FieldClass.CLINICAL: frozenset({Role.HEALTH, Role.DUTY, Role.COORDINATOR}),
}

# "app_label.Model.field" by class. Operational lists only the free text, the rest of it is codes,
# places, times and choices.
FIELDS: dict[FieldClass, tuple[str, ...]] = {
    FieldClass.OPERATIONAL: (
        "visits.Client.code",
        "visits.Ban.reason",
        "visits.Ban.lift_reason",
        "visits.Refusal.note",
        "visits.Contact.note",
        "visits.Visit.end_note",
        "visits.Visit.override_reason",
    ),
    FieldClass.COUNSELING: (
        "counseling.Intake.notes",
        "counseling.Intake.refusal_reason",
        "counseling.CounselingSession.notes",
        "counseling.CounselingSession.next_steps",
        "counseling.Referral.note",
        "counseling.ReferralStatusChange.reason",
        "counseling.ReferralFollowUpChange.reason",
    ),
    FieldClass.CLINICAL: (
        "visits.Visit.substance",
        "visits.Visit.dose",
        "visits.Visit.last_use_at",
        "visits.Visit.other_substances",
        "visits.Visit.other_substances_note",
        "visits.Visit.intoxication",
        "visits.Refusal.substance",
        "visits.BoothSession.substance",
        "visits.BoothSession.route",
        "visits.ObservationCheck.state",
        "visits.ObservationCheck.note",
        "visits.Observation.early_release_reason",
        "health.Emergency.kind",
        "health.Emergency.notes",
        "health.Emergency.signs",
        "health.Intervention.dose_mg",
        "health.Intervention.note",
        "health.VitalSigns.note",
        "health.HealthService.site",
        "health.HealthService.treatment",
        "health.HealthService.note",
    ),
}


def _roles(user) -> frozenset[Role]:
    # A wall display's request has an anonymous user: no roles, the operational board only.
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return frozenset(getattr(user, "roles", ()))


def may_read(user, field_class: FieldClass | str) -> bool:
    """Whether ``user`` may read the fields of ``field_class`` on any page they may open."""
    return bool(_roles(user) & READERS[FieldClass(field_class)])


def readers_of(field_class: FieldClass | str) -> frozenset[Role]:
    return READERS[FieldClass(field_class)]


@dataclass(frozen=True)
class Reads:
    """What a template may draw: ``{% if reads.clinical %}``."""

    operational: bool
    counseling: bool
    clinical: bool

    @classmethod
    def of(cls, user) -> Reads:
        roles = _roles(user)
        return cls(**{fc.value: bool(roles & READERS[fc]) for fc in FieldClass})


def classes_of(user) -> Iterable[FieldClass]:
    return [fc for fc in FieldClass if may_read(user, fc)]

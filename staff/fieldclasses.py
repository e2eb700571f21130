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


# The pages that draw a client's record, each under the rule above (tests/security/test_field_classes.py
# opens every one as every role).
PAGES_APPLIED = (
    "reception and its search",
    "client card (refused at intake: the date, not the reason)",
    "client timeline",
    "referral list and referral page (note and reasons)",
    "interview room (session notes, next steps)",
    "floor, injection and observation boards (substance brought and used, checks)",
    "wall display (operational only)",
    "health room, health history, emergency page, paramedic sheet (clinical roles only)",
    "handovers (codes and places)",
    "day sheet (codes, times and reasons for the roles that work with clients; emergencies for clinical roles)",
    "access report and access-request export (coordinators: every class)",
)


def render_markdown() -> list[str]:
    """The field-class table for docs/permissions.md."""
    roles = [Role.RECEPTION, Role.COUNSELOR, Role.HEALTH, Role.DUTY, Role.COORDINATOR, Role.ADMIN]
    lines = [
        "## Fields by class",
        "",
        "Inside the pages a role may open, each field of a client's record belongs to one class, and only",
        "the roles below read it (`staff/fieldclasses.py`; a template draws a field under `reads.counseling`",
        "or `reads.clinical`, a selector fetches it only for a reader). A field a role may not read is not",
        "in the page at all. Reception sees the flags (banned, intake not done, refused at intake on a date,",
        "referred and the referral's status, a recent overdose), not the text behind them. Flags drawn",
        "from clinical fields (an overdose in the last 7 days, a check flagged hard to rouse or",
        "unresponsive, that an emergency is open and where) are operational: everyone on the floor sees",
        "them, for safety. Duty officers follow referrals up and write intakes without reading the",
        "counseling text of others: they see the status, dates and who, and write their own reason.",
        "",
        "| field class | fields | " + " | ".join(role.value for role in roles) + " |",
        "|" + "---|" * (len(roles) + 2),
    ]
    for field_class in FieldClass:
        fields = ", ".join(f"`{name.split('.', 1)[1]}`" for name in FIELDS[field_class])
        if field_class == FieldClass.OPERATIONAL:
            fields = "codes, status and flags, places, times, who; free text: " + fields
        cells = " | ".join("reads" if role in READERS[field_class] else "–" for role in roles)
        lines.append(f"| {field_class.value} | {fields} | {cells} |")
    lines += ["", "Pages that apply it: " + "; ".join(PAGES_APPLIED) + ".", ""]
    return lines

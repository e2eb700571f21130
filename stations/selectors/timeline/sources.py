"""The timeline's sources in the visits and counseling apps: registration, intake, visits, refusals,
walk-in contacts, counseling sessions, referrals (their steps and follow-up dates moved) and bans; the
health app's (``health``) follow them.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

from django.db import models
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from core.durations import duration_text
from counseling.models import CounselingSession, Intake, ReferralFollowUpChange, ReferralStatusChange, Topic
from staff.fieldclasses import FieldClass, may_read
from staff.models import User
from stations.selectors.timeline.fetch import (
    _Fetched,
    _JSONList,
    _label,
    _name,
    _Nested,
    _Object,
    _own,
    _parts,
    _person,
    _record,
    _sorted_parts,
    _when,
)
from stations.selectors.timeline.health import HEALTH_SOURCES
from stations.selectors.timeline.items import (
    Detail,
    Row,
    Step,
    TimelineItem,
    TimelineSource,
    _date_time,
    _who,
)
from visits.models import (
    Ban,
    Booth,
    BoothSession,
    Client,
    Contact,
    Observation,
    ObservationCheck,
    Refusal,
    Visit,
    VisitEvent,
)

# What of each record is drawn for whom: staff.fieldclasses. A field the user may not read is not fetched.
COUNSELING = FieldClass.COUNSELING
CLINICAL = FieldClass.CLINICAL


# Registration -----------------------------------------------------------------------------------------


def _registration_fields(user: User) -> dict:
    return {**_own("registered_at"), "by": _person("registered_by")}


def _registration_item(row: Row) -> TimelineItem:
    return TimelineItem(
        at=_when(row["registered_at"]),  # type: ignore[arg-type]  # never null
        kind="registration",
        title=_("Registered"),
        details=(Detail(_("By"), _who(row["by"])),),
    )


# Intake -----------------------------------------------------------------------------------------------


def _intake_fields(user: User) -> dict:
    fields = {**_own("at", "outcome"), "by": _person("by")}
    if may_read(user, COUNSELING):
        fields |= _own("refusal_reason", "notes")
    return fields


def _intake_item(row: Row) -> TimelineItem:
    intake = _record(Intake, row)
    details = [Detail(_("Counselor"), _who(row["by"]))]
    # The reason and the notes are fetched only for those who may read them.
    if reason := row.get("refusal_reason"):
        details.append(Detail(_("Reason"), reason))
    if notes := row.get("notes"):
        details.append(Detail(_("Notes"), notes))
    return TimelineItem(
        at=intake.at,
        kind="intake",
        title=_("Intake interview: %(outcome)s") % {"outcome": intake.display("outcome")},
        details=tuple(details),
        tone="success" if intake.outcome == Intake.Outcome.ACCEPTED else "warning",
    )


# Visits with their rooms and timers -------------------------------------------------------------------

_EVENT_STEPS = (VisitEvent.Kind.MOVED, VisitEvent.Kind.OVERRIDE, VisitEvent.Kind.HANDED_OUT)


def _visit_fields(user: User) -> dict:
    clinical = may_read(user, CLINICAL)
    booth_values = {
        **_own("started_at", "ended_at", "duration_seconds", "time_limit_minutes"),
        "booth": F("booth__label"),
    }
    if clinical:
        booth_values |= {"substance": _name("substance"), "route": _name("route")}
    observation_values = _own("started_at", "ended_at", "duration_seconds", "min_minutes")
    if clinical:
        observation_values |= _own("early_release_reason")
    fields = {
        **_own("checked_in_at", "ended_at", "duration_seconds", "override_reason", "end_note"),
        "events": _parts(VisitEvent.objects.filter(kind__in=_EVENT_STEPS), "visit", **_own("at", "kind", "location")),
        "booth_sessions": _parts(BoothSession.objects.all(), "visit", **booth_values),
        "observations": _parts(Observation.objects.all(), "visit", **observation_values),
    }
    if clinical:
        fields |= {**_own("dose", "intoxication"), "substance": _name("substance")}
        fields["checks"] = _parts(ObservationCheck.objects.all(), "visit", **_own("at", "state", "note", "flagged"))
    return fields


def _visit_steps(visit: _Fetched, row: Row) -> list[Step]:
    steps = [Step(visit.checked_in_at, _("Checked in"))]
    for event in (_record(VisitEvent, part) for part in _sorted_parts(row, "events")):
        if event.kind == VisitEvent.Kind.MOVED:
            steps.append(Step(event.at, _("Moved to: %(where)s") % {"where": event.display("location")}))
        elif event.kind == VisitEvent.Kind.OVERRIDE:
            steps.append(Step(event.at, _("Admitted against a rule"), tone="warning"))
        else:
            steps.append(Step(event.at, event.display("kind")))
    for part in _sorted_parts(row, "booth_sessions"):
        session = _record(BoothSession, part)
        text = _("%(booth)s, %(duration)s (limit %(limit)d min)") % {
            "booth": Booth.__str__(SimpleNamespace(label=part["booth"])),  # type: ignore[arg-type]  # as a Booth says it
            "duration": duration_text(session.duration_seconds) if session.ended_at else _("still running"),
            "limit": session.time_limit_minutes,
        }
        if "substance" in part:
            text += f" · {_label(part['substance'])}, {_label(part['route'])}"
        over = session.duration_seconds is not None and session.duration_seconds > session.time_limit_minutes * 60
        steps.append(Step(session.started_at, text, tone="warning" if over else ""))
    for part in _sorted_parts(row, "observations"):
        observation = _record(Observation, part)
        text = _("Observation, %(duration)s (minimum %(minimum)d min)") % {
            "duration": duration_text(observation.duration_seconds) if observation.ended_at else _("still running"),
            "minimum": observation.min_minutes,
        }
        if reason := part.get("early_release_reason"):  # clinical: fetched only for those who may read it
            text += " · " + _("released early: %(reason)s") % {"reason": reason}
        steps.append(Step(observation.started_at, text))
    for check in (_record(ObservationCheck, part) for part in _sorted_parts(row, "checks")):
        text = _("Check: %(state)s") % {"state": check.display("state")}
        if check.note:
            text += f" · {check.note}"
        steps.append(Step(check.at, text, tone="danger" if check.flagged else ""))
    if visit.ended_at is not None:
        text = _("Checked out")
        if visit.end_note:
            text += f" · {visit.end_note}"
        steps.append(Step(visit.ended_at, text))
    return sorted(steps, key=lambda step: step.at)


def _visit_item(row: Row) -> TimelineItem:
    visit = _record(Visit, row)
    details = []
    if "substance" in row:
        brought = _label(row["substance"])
        if visit.dose:
            brought += f" ({visit.dose})"
        details += [
            Detail(_("Substance brought"), brought),
            Detail(_("Visible signs of intoxication"), visit.display("intoxication")),
        ]
    if visit.override_reason:
        details.append(Detail(_("Admitted against the rules"), visit.override_reason))
    if visit.ended_at is None:
        title = _("Visit, inside now")
    else:
        title = _("Visit, %(duration)s") % {"duration": duration_text(visit.duration_seconds)}
    return TimelineItem(
        at=visit.checked_in_at,
        ended_at=visit.ended_at,
        kind="visit",
        title=title,
        details=tuple(details),
        steps=tuple(_visit_steps(visit, row)),
        tone="warning" if visit.override_reason else "",
    )


# Arrivals turned away and walk-in contacts ------------------------------------------------------------


def _refusal_fields(user: User) -> dict:
    fields = _own("at", "reason", "note")
    if may_read(user, CLINICAL):
        fields["substance"] = _name("substance")
    return fields


def _refusal_item(row: Row) -> TimelineItem:
    refusal = _record(Refusal, row)
    details = []
    if brought := _label(row.get("substance")):
        details.append(Detail(_("Substance brought"), brought))
    if refusal.note:
        details.append(Detail(_("Note"), refusal.note))
    return TimelineItem(
        at=refusal.at,
        kind="refusal",
        title=_("Turned away: %(reason)s") % {"reason": refusal.display("reason")},
        details=tuple(details),
        tone="warning",
    )


def _contact_fields(user: User) -> dict:
    return _own("at", "equipment", "advice", "note")


def _contact_item(row: Row) -> TimelineItem:
    contact = _record(Contact, row)
    given = [str(label) for label, yes in ((_("equipment"), contact.equipment), (_("advice"), contact.advice)) if yes]
    return TimelineItem(
        at=contact.at,
        kind="contact",
        title=_("Walk-in contact: %(given)s") % {"given": ", ".join(given)},
        details=(Detail(_("Note"), contact.note),) if contact.note else (),
    )


# Counseling and referrals -----------------------------------------------------------------------------


def _session_fields(user: User) -> dict:
    topics = Topic.objects.filter(sessions=OuterRef("pk")).order_by().values("sessions")
    fields = {
        **_own("started_at", "ended_at", "duration_seconds"),
        "counselor": _person("counselor"),
        "topics": _Nested(
            Subquery(
                topics.annotate(
                    rows=_JSONList(_Object(pk=F("pk"), position=F("position"), **_own("name", "name_en")))
                ).values("rows")
            )
        ),
    }
    if may_read(user, COUNSELING):
        fields |= _own("next_steps", "notes")
    return fields


def _session_item(row: Row) -> TimelineItem:
    session = _record(CounselingSession, row)
    topics = sorted(row.get("topics") or [], key=lambda topic: (topic["position"], topic["pk"]))
    details = [
        Detail(_("Counselor"), _who(row["counselor"])),
        Detail(_("Topics"), ", ".join(_label({"name": t["name"], "name_en": t["name_en"]}) for t in topics)),
    ]
    # The next steps and the notes are fetched only for those who may read them.
    if next_steps := row.get("next_steps"):
        details.append(Detail(_("Agreed next steps"), next_steps))
    if notes := row.get("notes"):
        details.append(Detail(_("Notes"), notes))
    return TimelineItem(
        at=session.started_at,
        ended_at=session.ended_at,
        kind="counseling",
        title=_("Counseling session, %(duration)s") % {"duration": duration_text(session.duration_seconds)},
        details=tuple(details),
    )


def _referral_fields(user: User) -> dict:
    fields = {
        **_own("at", "from_status", "to_status"),
        "referral": F("referral_id"),
        "service": _name("referral__service"),
        "by": _person("by"),
    }
    if may_read(user, COUNSELING):
        fields |= {**_own("reason"), "note": F("referral__note")}
    return fields


def _referral_item(row: Row) -> TimelineItem:
    change = _record(ReferralStatusChange, row)
    service = _label(row["service"])
    details = [Detail(_("By"), _who(row["by"]))]
    if not change.from_status:
        title = _("Referred to %(service)s") % {"service": service}
        if note := row.get("note"):  # counseling text: fetched only for those who may read it
            details.append(Detail(_("Note"), note))
    else:
        title = _("Referral to %(service)s: %(status)s") % {
            "service": service,
            "status": change.display("to_status"),
        }
    if reason := row.get("reason"):
        details.append(Detail(_("Reason"), reason))
    return TimelineItem(
        at=change.at,
        kind="referral",
        title=title,
        details=tuple(details),
        url=reverse("counseling:referral-detail", args=[row["referral"]]),
        tone="success" if change.to_status == "attended" else "",
    )


def _referral_follow_up_fields(user: User) -> dict:
    fields = {
        **_own("at", "from_date", "to_date"),
        "referral": F("referral_id"),
        "service": _name("referral__service"),
        "by": _person("by"),
    }
    if may_read(user, COUNSELING):
        fields |= _own("reason")
    return fields


def _referral_follow_up_item(row: Row) -> TimelineItem:
    change = _record(ReferralFollowUpChange, row)
    return TimelineItem(
        at=change.at,
        kind="referral",
        title=_("Referral to %(service)s: follow-up moved from %(from)s to %(to)s")
        % {
            "service": _label(row["service"]),
            "from": formats.date_format(change.from_date, "j.n.Y") if change.from_date else "–",
            "to": formats.date_format(change.to_date, "j.n.Y"),
        },
        details=(Detail(_("By"), _who(row["by"])),)
        + ((Detail(_("Reason"), row["reason"]),) if row.get("reason") else ()),
        url=reverse("counseling:referral-detail", args=[row["referral"]]),
    )


# Bans -------------------------------------------------------------------------------------------------


def _ban_fields(user: User) -> dict:
    return {
        **_own("starts_at", "ends_at", "reason", "lifted_at", "lift_reason"),
        "created_by": _person("created_by"),
        "lifted_by": _person("lifted_by"),
    }


def _ban_item(row: Row) -> TimelineItem:
    ban = _record(Ban, row)
    if ban.ends_at:
        title = _("Banned until %(end)s") % {"end": _date_time(ban.ends_at)}
    else:
        title = _("Banned until further notice")
    details = [Detail(_("Reason"), ban.reason), Detail(_("By"), _who(row["created_by"]))]
    if ban.lifted_at:
        details.append(
            Detail(
                _("Lifted"),
                _("%(when)s by %(who)s: %(reason)s")
                % {"when": _date_time(ban.lifted_at), "who": _who(row["lifted_by"]), "reason": ban.lift_reason},
            )
        )
    return TimelineItem(
        at=ban.starts_at, ended_at=ban.ends_at, kind="ban", title=title, details=tuple(details), tone="danger"
    )


def _of_client(model: type[models.Model], path: str = "client") -> Callable[[Client], QuerySet]:
    return lambda client: model._default_manager.filter(**{path: client})


SOURCES: list[TimelineSource] = [
    TimelineSource(
        "registration",
        "visits.view_client",
        lambda client: Client.objects.filter(pk=client.pk),
        "registered_at",
        _registration_fields,
        _registration_item,
    ),
    TimelineSource("intake", "visits.view_client", _of_client(Intake), "at", _intake_fields, _intake_item),
    TimelineSource("visit", "visits.view_client", _of_client(Visit), "checked_in_at", _visit_fields, _visit_item),
    TimelineSource("refusal", "visits.view_client", _of_client(Refusal), "at", _refusal_fields, _refusal_item),
    TimelineSource("contact", "visits.view_client", _of_client(Contact), "at", _contact_fields, _contact_item),
    TimelineSource(
        "counseling",
        "counseling.view_counselingsession",
        _of_client(CounselingSession),
        "started_at",
        _session_fields,
        _session_item,
    ),
    TimelineSource(
        "referral",
        "counseling.view_referral",
        _of_client(ReferralStatusChange, "referral__client"),
        "at",
        _referral_fields,
        _referral_item,
    ),
    TimelineSource(
        "referral-follow-up",
        "counseling.view_referral",
        _of_client(ReferralFollowUpChange, "referral__client"),
        "at",
        _referral_follow_up_fields,
        _referral_follow_up_item,
    ),
    TimelineSource("ban", "visits.view_ban", _of_client(Ban), "starts_at", _ban_fields, _ban_item),
    *HEALTH_SOURCES,
]

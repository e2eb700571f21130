"""The client timeline: everything that happened to one client, a month to a page, newest first.

Each kind of record is a *source*: one function that returns ``TimelineItem``s for the client within a
time window, and one that counts the client's records per month for the index of months. A source
carries the permission needed to see it at all; the item function leaves out the details the viewer
may not see. A page costs a fixed number of queries per source (the month counts, the window's rows and
their fixed prefetches), however long the client's history is, and a source the viewer may not see is
never queried. Add a source by appending it to ``SOURCES``; the template needs no change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain

from django.apps import apps
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counseling.models import CounselingSession, Intake, ReferralStatusChange
from visits.models import Ban, BoothSession, Client, Contact, Observation, ObservationCheck, Refusal, Visit, VisitEvent

NOTES = "counseling.view_counseling_notes"
CONSUMPTION = "visits.view_boothsession"
CHECKS = "visits.view_observationcheck"


@dataclass(frozen=True)
class Window:
    """One calendar month in the facility's time zone, [start, end)."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def month_of(cls, day: dt.date) -> Window:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        tz = timezone.get_current_timezone()
        return cls(
            dt.datetime.combine(first, dt.time.min).replace(tzinfo=tz),
            dt.datetime.combine(following, dt.time.min).replace(tzinfo=tz),
        )

    @property
    def month(self) -> dt.date:
        return self.start.date()


@dataclass(frozen=True)
class Detail:
    label: str
    value: str


@dataclass(frozen=True)
class Step:
    """A timed step inside an item: a visit's rooms and timers."""

    at: dt.datetime
    text: str
    tone: str = ""


@dataclass(frozen=True)
class TimelineItem:
    """One thing that happened, as the viewer may see it. Strings only: the template escapes them."""

    at: dt.datetime
    kind: str
    title: str
    ended_at: dt.datetime | None = None
    details: tuple[Detail, ...] = ()
    steps: tuple[Step, ...] = ()
    tone: str = ""
    url: str = ""

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.at).date()


ItemsFunc = Callable[[Client, Window, object], Iterable[TimelineItem]]
MonthsFunc = Callable[[Client], Iterable[tuple[dt.date, int]]]


@dataclass(frozen=True)
class TimelineSource:
    slug: str
    permission: str
    items: ItemsFunc
    months: MonthsFunc


def _month_counts(queryset: QuerySet, field_name: str) -> list[tuple[dt.date, int]]:
    """How many rows fall in each local month, counted in the database."""
    rows = (
        queryset.annotate(month=TruncMonth(field_name))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "n")
    )
    return [(timezone.localtime(month).date() if isinstance(month, dt.datetime) else month, n) for month, n in rows]


def _in(window: Window, field_name: str) -> dict:
    return {f"{field_name}__gte": window.start, f"{field_name}__lt": window.end}


def _hhmm(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "H:i")


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("%(minutes)d min") % {"minutes": minutes}
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _who(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


# Registration -----------------------------------------------------------------------------------------


def _registration_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    if window.start <= client.registered_at < window.end:
        yield TimelineItem(
            at=client.registered_at,
            kind="registration",
            title=_("Registered"),
            details=(Detail(_("By"), _who(client.registered_by)),),
        )


def _registration_months(client: Client) -> Iterable[tuple[dt.date, int]]:
    return [(timezone.localtime(client.registered_at).date().replace(day=1), 1)]


# Intake -----------------------------------------------------------------------------------------------


def _intake_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    may_read_notes = user.has_perm(NOTES)
    for intake in Intake.objects.filter(client=client, **_in(window, "at")).select_related("by"):
        details = [Detail(_("Counselor"), _who(intake.by))]
        if intake.refusal_reason:
            details.append(Detail(_("Reason"), intake.refusal_reason))
        if intake.notes and may_read_notes:
            details.append(Detail(_("Notes"), intake.notes))
        yield TimelineItem(
            at=intake.at,
            kind="intake",
            title=_("Intake interview: %(outcome)s") % {"outcome": intake.get_outcome_display()},
            details=tuple(details),
            tone="success" if intake.outcome == Intake.Outcome.ACCEPTED else "warning",
        )


def _intake_months(client: Client):
    return _month_counts(Intake.objects.filter(client=client), "at")


# Visits with their rooms and timers -------------------------------------------------------------------

_EVENT_STEPS = (VisitEvent.Kind.MOVED, VisitEvent.Kind.OVERRIDE, VisitEvent.Kind.HANDED_OUT)


def _visit_steps(visit: Visit, *, consumption: bool, checks: bool) -> list[Step]:
    steps = [Step(visit.checked_in_at, _("Checked in"))]
    for event in visit.timeline_events:
        if event.kind == VisitEvent.Kind.MOVED:
            steps.append(Step(event.at, _("Moved to: %(where)s") % {"where": event.get_location_display()}))
        elif event.kind == VisitEvent.Kind.OVERRIDE:
            steps.append(Step(event.at, _("Admitted against a rule"), tone="warning"))
        else:
            steps.append(Step(event.at, event.get_kind_display()))
    for session in visit.booth_sessions.all():
        text = _("%(booth)s, %(duration)s (limit %(limit)d min)") % {
            "booth": session.booth,
            "duration": _duration(session.duration_seconds) if session.ended_at else _("still running"),
            "limit": session.time_limit_minutes,
        }
        if consumption:
            text += f" · {session.substance.label}, {session.route.label}"
        over = session.duration_seconds is not None and session.duration_seconds > session.time_limit_minutes * 60
        steps.append(Step(session.started_at, text, tone="warning" if over else ""))
    for observation in visit.observations.all():
        text = _("Observation, %(duration)s (minimum %(minimum)d min)") % {
            "duration": _duration(observation.duration_seconds) if observation.ended_at else _("still running"),
            "minimum": observation.min_minutes,
        }
        if observation.early_release_reason:
            text += " · " + _("released early: %(reason)s") % {"reason": observation.early_release_reason}
        steps.append(Step(observation.started_at, text))
    if checks:
        for check in visit.checks.all():
            text = _("Check: %(state)s") % {"state": check.get_state_display()}
            if check.note:
                text += f" · {check.note}"
            steps.append(Step(check.at, text, tone="danger" if check.flagged else ""))
    if visit.ended_at is not None:
        text = _("Checked out")
        if visit.end_note:
            text += f" · {visit.end_note}"
        steps.append(Step(visit.ended_at, text))
    return sorted(steps, key=lambda step: step.at)


def _visit_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    consumption = user.has_perm(CONSUMPTION)
    checks = user.has_perm(CHECKS)
    prefetches = [
        Prefetch(
            "events",
            queryset=VisitEvent.objects.filter(kind__in=_EVENT_STEPS).order_by("at", "pk"),
            to_attr="timeline_events",
        ),
        Prefetch("booth_sessions", queryset=BoothSession.objects.select_related("booth", "route", "substance")),
        Prefetch("observations", queryset=Observation.objects.all()),
    ]
    if checks:
        prefetches.append(Prefetch("checks", queryset=ObservationCheck.objects.all()))
    visits = (
        Visit.objects.filter(client=client, **_in(window, "checked_in_at"))
        .select_related("substance")
        .prefetch_related(*prefetches)
        .order_by("-checked_in_at")
    )
    for visit in visits:
        details = []
        if consumption:
            brought = visit.substance.label
            if visit.dose:
                brought += f" ({visit.dose})"
            details += [
                Detail(_("Substance brought"), brought),
                Detail(_("Visible signs of intoxication"), visit.get_intoxication_display()),
            ]
        if visit.override_reason:
            details.append(Detail(_("Admitted against the rules"), visit.override_reason))
        if visit.ended_at is None:
            title = _("Visit, inside now")
        else:
            title = _("Visit, %(duration)s") % {"duration": _duration(visit.duration_seconds)}
        yield TimelineItem(
            at=visit.checked_in_at,
            ended_at=visit.ended_at,
            kind="visit",
            title=title,
            details=tuple(details),
            steps=tuple(_visit_steps(visit, consumption=consumption, checks=checks)),
            tone="warning" if visit.override_reason else "",
        )


def _visit_months(client: Client):
    return _month_counts(Visit.objects.filter(client=client), "checked_in_at")


# Arrivals turned away and walk-in contacts ------------------------------------------------------------


def _refusal_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    consumption = user.has_perm(CONSUMPTION)
    for refusal in Refusal.objects.filter(client=client, **_in(window, "at")).select_related("substance"):
        details = []
        if consumption and refusal.substance is not None:
            details.append(Detail(_("Substance brought"), refusal.substance.label))
        if refusal.note:
            details.append(Detail(_("Note"), refusal.note))
        yield TimelineItem(
            at=refusal.at,
            kind="refusal",
            title=_("Turned away: %(reason)s") % {"reason": refusal.get_reason_display()},
            details=tuple(details),
            tone="warning",
        )


def _refusal_months(client: Client):
    return _month_counts(Refusal.objects.filter(client=client), "at")


def _contact_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    for contact in Contact.objects.filter(client=client, **_in(window, "at")):
        given = [
            str(label) for label, yes in ((_("equipment"), contact.equipment), (_("advice"), contact.advice)) if yes
        ]
        yield TimelineItem(
            at=contact.at,
            kind="contact",
            title=_("Walk-in contact: %(given)s") % {"given": ", ".join(given)},
            details=(Detail(_("Note"), contact.note),) if contact.note else (),
        )


def _contact_months(client: Client):
    return _month_counts(Contact.objects.filter(client=client), "at")


# Counseling and referrals -----------------------------------------------------------------------------


def _session_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    may_read_notes = user.has_perm(NOTES)
    sessions = (
        CounselingSession.objects.filter(client=client, **_in(window, "started_at"))
        .select_related("counselor")
        .prefetch_related("topics")
    )
    for session in sessions:
        details = [
            Detail(_("Counselor"), _who(session.counselor)),
            Detail(_("Topics"), ", ".join(topic.label for topic in session.topics.all())),
        ]
        if session.next_steps:
            details.append(Detail(_("Agreed next steps"), session.next_steps))
        if session.notes and may_read_notes:
            details.append(Detail(_("Notes"), session.notes))
        yield TimelineItem(
            at=session.started_at,
            ended_at=session.ended_at,
            kind="counseling",
            title=_("Counseling session, %(duration)s") % {"duration": _duration(session.duration_seconds)},
            details=tuple(details),
        )


def _session_months(client: Client):
    return _month_counts(CounselingSession.objects.filter(client=client), "started_at")


def _referral_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    changes = ReferralStatusChange.objects.filter(referral__client=client, **_in(window, "at")).select_related(
        "referral__service", "by"
    )
    for change in changes:
        referral = change.referral
        service = referral.service.label
        details = [Detail(_("By"), _who(change.by))]
        if not change.from_status:
            title = _("Referred to %(service)s") % {"service": service}
            if referral.note:
                details.append(Detail(_("Note"), referral.note))
        else:
            title = _("Referral to %(service)s: %(status)s") % {
                "service": service,
                "status": change.get_to_status_display(),
            }
        if change.reason:
            details.append(Detail(_("Reason"), change.reason))
        yield TimelineItem(
            at=change.at,
            kind="referral",
            title=title,
            details=tuple(details),
            url=reverse("counseling:referral-detail", args=[referral.pk]),
            tone="success" if change.to_status == "attended" else "",
        )


def _referral_months(client: Client):
    return _month_counts(ReferralStatusChange.objects.filter(referral__client=client), "at")


# Bans -------------------------------------------------------------------------------------------------


def _ban_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    for ban in Ban.objects.filter(client=client, **_in(window, "starts_at")).select_related("created_by", "lifted_by"):
        if ban.ends_at:
            title = _("Banned until %(end)s") % {
                "end": formats.date_format(timezone.localtime(ban.ends_at), "j.n.Y H:i")
            }
        else:
            title = _("Banned until further notice")
        details = [Detail(_("Reason"), ban.reason), Detail(_("By"), _who(ban.created_by))]
        if ban.lifted_at:
            details.append(
                Detail(
                    _("Lifted"),
                    _("%(when)s by %(who)s: %(reason)s")
                    % {
                        "when": formats.date_format(timezone.localtime(ban.lifted_at), "j.n.Y H:i"),
                        "who": _who(ban.lifted_by),
                        "reason": ban.lift_reason,
                    },
                )
            )
        yield TimelineItem(
            at=ban.starts_at, ended_at=ban.ends_at, kind="ban", title=title, details=tuple(details), tone="danger"
        )


def _ban_months(client: Client):
    return _month_counts(Ban.objects.filter(client=client), "starts_at")


SOURCES: list[TimelineSource] = [
    TimelineSource("registration", "visits.view_client", _registration_items, _registration_months),
    TimelineSource("intake", "visits.view_client", _intake_items, _intake_months),
    TimelineSource("visit", "visits.view_client", _visit_items, _visit_months),
    TimelineSource("refusal", "visits.view_client", _refusal_items, _refusal_months),
    TimelineSource("contact", "visits.view_client", _contact_items, _contact_months),
    TimelineSource("counseling", "counseling.view_counselingsession", _session_items, _session_months),
    TimelineSource("referral", "counseling.view_referral", _referral_items, _referral_months),
    TimelineSource("ban", "visits.view_ban", _ban_items, _ban_months),
]
if apps.is_installed("health"):
    from counseling.selectors.timeline_health import HEALTH_SOURCES

    SOURCES += HEALTH_SOURCES


# The page ---------------------------------------------------------------------------------------------


@dataclass
class TimelinePage:
    client: Client
    window: Window
    items: list[TimelineItem]
    months: list[tuple[dt.date, int]] = field(default_factory=list)
    older: dt.date | None = None
    newer: dt.date | None = None

    @property
    def years(self) -> list[tuple[int, list[tuple[dt.date, int]]]]:
        """The index of months, grouped by year, newest first."""
        grouped: dict[int, list[tuple[dt.date, int]]] = {}
        for month, count in self.months:
            grouped.setdefault(month.year, []).append((month, count))
        return list(grouped.items())


def client_timeline(client: Client, user, *, month: dt.date | None = None) -> TimelinePage:
    """One month of the client's timeline as ``user`` may see it; without ``month``, the latest with anything."""
    sources = [source for source in SOURCES if user.has_perm(source.permission)]
    counts: Counter[dt.date] = Counter()
    for source in sources:
        for first_day, count in source.months(client):
            counts[first_day] += count
    months = sorted(counts, reverse=True)
    if month is None:
        month = months[0] if months else timezone.localdate()
    window = Window.month_of(month)
    # Newest first; of two things at the same moment, the one recorded later goes on top.
    ordered = enumerate(chain.from_iterable(source.items(client, window, user) for source in sources))
    items = [item for _position, item in sorted(ordered, key=lambda pair: (pair[1].at, pair[0]), reverse=True)]
    return TimelinePage(
        client=client,
        window=window,
        items=items,
        months=[(first_day, counts[first_day]) for first_day in months],
        older=next((m for m in months if m < window.month), None),
        newer=next((m for m in reversed(months) if m > window.month), None),
    )

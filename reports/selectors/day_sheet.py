"""The day sheet: one local day of the facility on one printable page, for the duty officer.

The day's figures are the period figures of the dashboard and the monthly report for a one-day window
(``period_figures``), so the three can never disagree. Beside them, the day's records that a duty
officer signs off: emergencies, incidents, refusals, bans started, handovers written, who was on
duty, and the visits closed at close-out rather than by checking out; and the stock warnings as they
stand now. Each list is one query however long it is, so the page's cost does not grow with the day.

A section is fetched only for a reader who may see it (``DaySheetReads``): the client rows for the
roles that work with clients, an emergency's kind and naloxone for the clinical roles (staff.fieldclasses),
the incidents, the handovers and the roster for those whose permissions open those pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from core.days import day_bounds
from duty.models import Handover, Shift
from duty.selectors.roster import shifts_between
from health.models import Emergency, Intervention
from reports.periods import Period, PeriodKind
from reports.selectors.figures import PeriodFigures, period_figures
from staff.fieldclasses import FieldClass, may_read
from staff.models import User
from visits.models import Ban, Client, Incident, Refusal, Visit
from visits.selectors.facility import DayHours, opening_hours_on
from visits.selectors.stock import StockLine, stock_alerts

# The handover's texts in the order its form asks for them: the first line of the first one written
# stands for the handover on the sheet.
HANDOVER_TEXTS = ("concern_notes", "incidents_note", "open_matters", "stock_problems", "other_notes")


@dataclass(frozen=True)
class DaySheetReads:
    """Which sections a reader of the sheet may see; what they may not see is not fetched."""

    clients: bool
    clinical: bool
    incidents: bool
    handovers: bool
    roster: bool

    @classmethod
    def of(cls, user: User) -> DaySheetReads:
        return cls(
            clients=may_read(user, FieldClass.OPERATIONAL),
            clinical=may_read(user, FieldClass.CLINICAL),
            incidents=user.has_perm("visits.view_incident"),
            handovers=user.has_perm("duty.view_handover"),
            roster=user.has_perm("duty.view_roster"),
        )


@dataclass(frozen=True)
class HandoverLine:
    handover: Handover
    first_line: str


@dataclass
class DaySheet:
    """One local day: its hours, and, once it has begun, its figures and records."""

    day: dt.date
    start: dt.datetime
    end: dt.datetime
    now: dt.datetime
    hours: DayHours | None
    reads: DaySheetReads
    figures: PeriodFigures | None = None
    emergencies: list[Emergency] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    bans: list[Ban] = field(default_factory=list)
    handovers: list[HandoverLine] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    closed_visits: list[Visit] = field(default_factory=list)
    stock: list[StockLine] = field(default_factory=list)

    @property
    def has_begun(self) -> bool:
        return self.start <= self.now

    @property
    def is_over(self) -> bool:
        return self.end <= self.now

    def clients(self) -> list[Client]:
        """Every client the sheet names: each one's record is viewed by printing it (the access log)."""
        named: list[Client] = []
        named += [e.client for e in self.emergencies if e.client is not None]
        named += [client for incident in self.incidents for client in incident.clients.all()]
        named += [refusal.client for refusal in self.refusals]
        named += [ban.client for ban in self.bans]
        named += [client for line in self.handovers for client in line.handover.clients_of_concern.all()]
        named += [visit.client for visit in self.closed_visits]
        return named


def first_line(texts: Iterable[str]) -> str:
    """The first line with something on it, of the first text that has one."""
    for text in texts:
        for line in (text or "").splitlines():
            if line.strip():
                return line.strip()
    return ""


def _in(start: dt.datetime, end: dt.datetime, name: str) -> Q:
    return Q(**{f"{name}__gte": start, f"{name}__lt": end})


def day_emergencies(start: dt.datetime, end: dt.datetime) -> QuerySet[Emergency]:
    """The emergencies begun in ``[start, end)``, each with its naloxone doses and milligrams (withdrawn
    entries, never given, left out)."""
    naloxone = Q(interventions__kind=Intervention.Kind.NALOXONE, interventions__withdrawn_at__isnull=True)
    return (
        Emergency.objects.filter(_in(start, end, "started_at"))
        .select_related("client")
        .annotate(
            naloxone_doses=Count("interventions", filter=naloxone),
            naloxone_mg=Sum("interventions__dose_mg", filter=naloxone),
        )
        .order_by("started_at", "pk")
    )


def day_sheet(day: dt.date, *, now: dt.datetime, reads: DaySheetReads) -> DaySheet:
    """The sheet of the local day ``day`` as it stands at ``now``; a day to come has its hours only."""
    start, end = day_bounds(day)
    sheet = DaySheet(day=day, start=start, end=end, now=now, hours=opening_hours_on(day), reads=reads)
    if not sheet.has_begun:
        return sheet
    sheet.figures = period_figures(Period(PeriodKind.CUSTOM, day, day), now=now)
    sheet.stock = stock_alerts()
    if reads.clients:
        if reads.clinical:
            sheet.emergencies = list(day_emergencies(start, end))
        sheet.refusals = list(
            Refusal.objects.filter(_in(start, end, "at")).select_related("client").order_by("at", "pk")
        )
        sheet.bans = list(
            Ban.objects.filter(_in(start, end, "starts_at")).select_related("client").order_by("starts_at", "pk")
        )
        # Visits of the day closed other than by the client checking out: at close-out, or overnight.
        sheet.closed_visits = list(
            Visit.objects.filter(_in(start, end, "checked_in_at"))
            .exclude(end_reason="")
            .select_related("client")
            .order_by("ended_at", "pk")
        )
        if reads.incidents:
            sheet.incidents = list(
                Incident.objects.filter(_in(start, end, "occurred_at"))
                .select_related("room")
                .prefetch_related(Prefetch("clients", queryset=Client.objects.order_by("code")))
                .order_by("occurred_at", "pk")
            )
        if reads.handovers:
            handovers = (
                Handover.objects.filter(_in(start, end, "written_at"))
                .select_related("written_by")
                .prefetch_related(Prefetch("clients_of_concern", queryset=Client.objects.order_by("code")))
                .order_by("written_at", "pk")
            )
            sheet.handovers = [
                HandoverLine(h, first_line(getattr(h, name) for name in HANDOVER_TEXTS)) for h in handovers
            ]
    if reads.roster:
        sheet.shifts = list(shifts_between(day, 1))
    return sheet

"""The figures of one period, each counted by the database from the event records.

Every number here is an aggregate (``Count``, ``Sum``, grouped ``values()``, ``percentile_cont``);
no figure is a tally kept by hand, and no event rows are looped over in Python. The dashboard and the
monthly report both read ``period_figures``, so they cannot disagree.

What belongs to a period: a visit by its check-in (and so does how it was closed: a visit left open at
closing and closed that night or the next morning belongs to the day it began), a consumption event by
the start of its booth session, an emergency (with its naloxone and ambulance) by its start, a referral
by when it was made (with its take-up whenever that came), everything else by its own timestamp (a
walk-in contact and an intake interview by when they were recorded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counseling.models import CounselingSession, Intake
from counseling.selectors import referrals_take_up
from health.models import Emergency, HealthService, Intervention
from reports.aggregates import DurationStats, duration_stats
from reports.periods import Period
from reports.selectors.charts import handed_out_in
from visits.models import (
    Ban,
    BoothSession,
    Client,
    Contact,
    EquipmentItem,
    Incident,
    Observation,
    Refusal,
    Route,
    Substance,
    Visit,
)
from visits.selectors.incidents import incident_counts

# Age bands as the authorities ask for them: key, label, lowest and highest age (None: open-ended).
AGE_BANDS: list[tuple[str, object, int | None, int | None]] = [
    ("under_20", _("Under 20"), None, 19),
    ("20_29", _("20–29"), 20, 29),
    ("30_39", _("30–39"), 30, 39),
    ("40_49", _("40–49"), 40, 49),
    ("50_59", _("50–59"), 50, 59),
    ("60_plus", _("60 and over"), 60, None),
]


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: what, and how many."""

    key: str
    label: str
    value: int
    unit: str = ""


@dataclass(frozen=True)
class TakeUpLine:
    """Referrals to one service made in the period, and how many of those were accepted and attended."""

    key: str
    label: str
    made: int
    accepted: int
    attended: int


@dataclass(frozen=True)
class EmergencyFigures:
    total: int
    overdoses: int
    by_kind: list[Line]
    # Emergencies in which naloxone was given at least once; of those, overdoses; every dose; milligrams.
    naloxone_events: int
    overdoses_with_naloxone: int
    naloxone_doses: int
    naloxone_mg: Decimal
    ambulance_calls: int
    by_outcome: list[Line]

    @property
    def other(self) -> int:
        return self.total - self.overdoses


@dataclass(frozen=True)
class Demographics:
    """Unique clients of the period by gender and by age band (age = the period's first year − birth year)."""

    year: int
    by_gender: list[Line]
    by_age_band: list[Line]
    # (gender, band) -> clients, for the cross table.
    cells: dict[tuple[str, str], int]

    def table(self) -> list[tuple[Line, list[int]]]:
        """Rows per gender, a column per age band."""
        return [
            (gender, [self.cells.get((gender.key, band.key), 0) for band in self.by_age_band])
            for gender in self.by_gender
        ]


@dataclass(frozen=True)
class ContactFigures:
    """Walk-in contacts of the period: equipment or advice without a visit, anonymous or with a client code.

    Every contact counts once in each breakdown: by gender (an anonymous contact's as stated, a known
    client's copied from the client), anonymous or known, and by what was given. The items handed out
    at contacts count with every other hand-out (``PeriodFigures.handed_out``).
    """

    total: int
    by_gender: list[Line]
    anonymous: int
    known: int
    # The clients behind the known contacts, each once.
    known_clients: int
    advice_only: int
    equipment_only: int
    both: int

    @property
    def with_equipment(self) -> int:
        return self.equipment_only + self.both

    @property
    def with_advice(self) -> int:
        return self.advice_only + self.both

    @classmethod
    def none(cls) -> ContactFigures:
        return cls(0, _choice_lines({}, Client.Gender.choices), 0, 0, 0, 0, 0, 0)


@dataclass(frozen=True)
class IntakeFigures:
    """Intake interviews held in the period (a client interviewed twice counts twice), by outcome."""

    total: int
    by_outcome: list[Line]

    @classmethod
    def none(cls) -> IntakeFigures:
        return cls(0, _choice_lines({}, Intake.Outcome.choices))


def _no_closed_out() -> list[Line]:
    return _choice_lines({}, Visit.EndReason.choices)


@dataclass(frozen=True)
class PeriodFigures:
    period: Period
    visits: int
    unique_clients: int
    new_registrations: int
    refusals_by_reason: list[Line]
    refusals_by_substance: list[Line]
    consumption_by_substance: list[Line]
    consumption_by_route: list[Line]
    emergencies: EmergencyFigures
    health_services_by_kind: list[Line]
    counseling_sessions: int
    counseling_clients: int
    referrals: list[TakeUpLine]
    handed_out: list[Line]
    booth_time: DurationStats
    observation_time: DurationStats
    booth_wait: DurationStats
    bans_started: int
    bans_active: int
    bans_active_at: dt.datetime
    incidents_total: int
    incidents_community: int
    incidents_police: int
    incidents_by_kind: list[Line]
    demographics: Demographics
    # Added later, with defaults, so that code building figures by hand need not name them.
    contacts: ContactFigures = field(default_factory=ContactFigures.none)
    intakes: IntakeFigures = field(default_factory=IntakeFigures.none)
    # The period's visits closed other than by the client checking out, by the reason recorded.
    closed_out_by_reason: list[Line] = field(default_factory=_no_closed_out)

    @property
    def closed_out(self) -> int:
        return _total(self.closed_out_by_reason)

    @property
    def refusals(self) -> int:
        return _total(self.refusals_by_reason)

    @property
    def consumption_events(self) -> int:
        return _total(self.consumption_by_route)

    @property
    def health_services(self) -> int:
        return _total(self.health_services_by_kind)

    @property
    def referrals_made(self) -> int:
        return sum(line.made for line in self.referrals)

    @property
    def referrals_accepted(self) -> int:
        return sum(line.accepted for line in self.referrals)

    @property
    def referrals_attended(self) -> int:
        return sum(line.attended for line in self.referrals)


def _total(lines: Iterable[Line]) -> int:
    return sum(line.value for line in lines)


def _grouped(queryset: QuerySet, field: str, aggregate: Aggregate | None = None) -> dict:
    """``{value of field: count (or the given aggregate)}``, grouped in the database."""
    aggregate = aggregate if aggregate is not None else Count("pk")
    return dict(queryset.order_by().values_list(field).annotate(n=aggregate).values_list(field, "n"))


def _choice_lines(counts: dict, choices: Sequence[tuple[str, object]]) -> list[Line]:
    """A line for every choice, zeros included, so that months compare row by row."""
    return [Line(str(value), str(label), counts.get(value) or 0) for value, label in choices]


def _object_lines(
    counts: dict,
    objects: Iterable,
    *,
    shown: Callable[[Any], bool] = lambda obj: True,
    unit: Callable[[Any], str] = lambda obj: "",
) -> list[Line]:
    """A line per listed object that is in use or has a count, in the list's order."""
    return [
        Line(str(obj.pk), obj.label, counts.get(obj.pk) or 0, unit(obj))
        for obj in objects
        if shown(obj) or counts.get(obj.pk)
    ]


def _in(period: Period, field: str) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def age_band_case(year: int, birth_year_field: str = "client__birth_year") -> Case:
    """The age band of a client in ``year``, from the birth year alone, as a database expression."""
    whens = []
    for key, _label, lowest, highest in AGE_BANDS:
        condition = Q()
        if highest is not None:
            condition &= Q(**{f"{birth_year_field}__gte": year - highest})
        if lowest is not None:
            condition &= Q(**{f"{birth_year_field}__lte": year - lowest})
        whens.append(When(condition, then=Value(key)))
    return Case(*whens, output_field=CharField())


def visits_in(period: Period) -> QuerySet[Visit]:
    return Visit.objects.filter(_in(period, "checked_in_at"))


def visit_totals(period: Period) -> dict[str, int]:
    # COUNT(*), not COUNT(id): the index on (checked_in_at) INCLUDE (client_id) then answers alone.
    return visits_in(period).aggregate(visits=Count("*"), unique_clients=Count("client", distinct=True))


def demographics(period: Period) -> Demographics:
    """Each client who visited counts once, in their gender and age band."""
    year = period.first.year
    # The period's clients once each (a semi-join), then grouped: no DISTINCT over the visits.
    rows = (
        Client.objects.filter(pk__in=visits_in(period).values("client"))
        .order_by()
        .values_list("gender", age_band_case(year, "birth_year"))
        .annotate(n=Count("*"))
    )
    cells = {(gender, band): n for gender, band, n in rows}
    by_gender: dict[str, int] = {}
    by_band: dict[str, int] = {}
    for (gender, band), n in cells.items():
        by_gender[gender] = by_gender.get(gender, 0) + n
        by_band[band] = by_band.get(band, 0) + n
    return Demographics(
        year=year,
        by_gender=_choice_lines(by_gender, Client.Gender.choices),
        by_age_band=_choice_lines(by_band, [(key, label) for key, label, _low, _high in AGE_BANDS]),
        cells=cells,
    )


def emergency_figures(period: Period) -> EmergencyFigures:
    emergencies = Emergency.objects.filter(_in(period, "started_at"))
    overdose = Q(kind__in=Emergency.OVERDOSE_KINDS)
    totals = emergencies.aggregate(
        total=Count("pk"),
        overdoses=Count("pk", filter=overdose),
        ambulance_calls=Count("pk", filter=Q(ambulance_called_at__isnull=False)),
    )
    # A withdrawn intervention (entered by mistake, kept in the record with why) was never given.
    naloxone = Intervention.objects.filter(
        _in(period, "emergency__started_at"), kind=Intervention.Kind.NALOXONE, withdrawn_at__isnull=True
    ).aggregate(
        events=Count("emergency", distinct=True),
        overdoses=Count("emergency", distinct=True, filter=Q(emergency__kind__in=Emergency.OVERDOSE_KINDS)),
        doses=Count("pk"),
        mg=Sum("dose_mg"),
    )
    outcomes = _grouped(emergencies, "outcome")
    return EmergencyFigures(
        total=totals["total"],
        overdoses=totals["overdoses"],
        by_kind=_choice_lines(_grouped(emergencies, "kind"), Emergency.Kind.choices),
        naloxone_events=naloxone["events"],
        overdoses_with_naloxone=naloxone["overdoses"],
        naloxone_doses=naloxone["doses"],
        naloxone_mg=naloxone["mg"] or Decimal("0"),
        ambulance_calls=totals["ambulance_calls"],
        by_outcome=_choice_lines(outcomes, [*Emergency.Outcome.choices, ("", _("Not yet closed"))]),
    )


def contact_figures(period: Period) -> ContactFigures:
    """Every figure of the walk-in contacts in one query (the ``at`` index finds the period's rows)."""
    genders = Client.Gender.values
    equipment, advice = Q(equipment=True), Q(advice=True)
    counts = Contact.objects.filter(_in(period, "at")).aggregate(
        total=Count("pk"),
        anonymous=Count("pk", filter=Q(client__isnull=True)),
        known=Count("pk", filter=Q(client__isnull=False)),
        known_clients=Count("client", distinct=True),
        advice_only=Count("pk", filter=advice & ~equipment),
        equipment_only=Count("pk", filter=equipment & ~advice),
        both=Count("pk", filter=equipment & advice),
        **{f"gender_{value}": Count("pk", filter=Q(gender=value)) for value in genders},
    )
    return ContactFigures(
        total=counts["total"],
        by_gender=_choice_lines({value: counts[f"gender_{value}"] for value in genders}, Client.Gender.choices),
        anonymous=counts["anonymous"],
        known=counts["known"],
        known_clients=counts["known_clients"],
        advice_only=counts["advice_only"],
        equipment_only=counts["equipment_only"],
        both=counts["both"],
    )


def intake_figures(period: Period) -> IntakeFigures:
    by_outcome = _choice_lines(_grouped(Intake.objects.filter(_in(period, "at")), "outcome"), Intake.Outcome.choices)
    return IntakeFigures(total=_total(by_outcome), by_outcome=by_outcome)


def closed_out_by_reason(period: Period) -> list[Line]:
    """The period's visits (by check-in) closed by staff or automatically, by reason; a line per reason.

    A blank reason is an ordinary check-out, and a visit still open has none: neither counts here.
    """
    # Named, the reasons let the partial index of visits closed out (``visit_closed_out``) answer.
    closed = visits_in(period).filter(end_reason__in=Visit.EndReason.values, ended_at__isnull=False)
    return _choice_lines(_grouped(closed, "end_reason"), Visit.EndReason.choices)


def booth_wait_stats(period: Period) -> DurationStats:
    """From check-in to the start of the visit's first booth session, for the period's visits that had one.

    The first session's start is kept on the visit by the database (``Visit.first_booth_at``), so the
    period's visits alone answer: no session is read.
    """
    waits = visits_in(period).filter(first_booth_at__isnull=False)
    return duration_stats(
        waits, ExpressionWrapper(F("first_booth_at") - F("checked_in_at"), output_field=DurationField())
    )


def referral_take_up(period: Period) -> list[TakeUpLine]:
    return [
        TakeUpLine(str(service.pk), service.label, service.made, service.accepted, service.attended)
        for service in referrals_take_up(period.start, period.end)
    ]


def period_figures(period: Period, *, now: dt.datetime) -> PeriodFigures:
    """Every figure of the dashboard and the monthly report for ``period``."""
    totals = visit_totals(period)
    substances = list(Substance.objects.all())
    refusals = Refusal.objects.filter(_in(period, "at"))
    sessions = BoothSession.objects.filter(_in(period, "started_at"))
    counseling = CounselingSession.objects.filter(_in(period, "started_at")).aggregate(
        sessions=Count("pk"), clients=Count("client", distinct=True)
    )
    handed_out = handed_out_in(period, timezone.localdate(now))
    bans_at = period.until(now)
    incidents = incident_counts(period.start, period.end)
    return PeriodFigures(
        period=period,
        visits=totals["visits"],
        unique_clients=totals["unique_clients"],
        new_registrations=Client.objects.filter(_in(period, "registered_at")).count(),
        refusals_by_reason=_choice_lines(_grouped(refusals, "reason"), Refusal.Reason.choices),
        refusals_by_substance=_object_lines(
            _grouped(refusals.filter(substance__isnull=False), "substance"), substances, shown=lambda s: False
        ),
        consumption_by_substance=_object_lines(_grouped(sessions, "substance"), substances, shown=lambda s: s.enabled),
        consumption_by_route=_object_lines(_grouped(sessions, "route"), Route.objects.all(), shown=lambda r: r.enabled),
        emergencies=emergency_figures(period),
        # Naming every kind lets the (kind, at) index answer: one index range per kind, no table scan.
        health_services_by_kind=_choice_lines(
            _grouped(HealthService.objects.filter(_in(period, "at"), kind__in=HealthService.Kind.values), "kind"),
            HealthService.Kind.choices,
        ),
        counseling_sessions=counseling["sessions"],
        counseling_clients=counseling["clients"],
        referrals=referral_take_up(period),
        handed_out=_object_lines(
            handed_out,
            EquipmentItem.objects.all(),
            shown=lambda item: item.enabled,
            unit=lambda item: item.get_unit_display(),
        ),
        booth_time=duration_stats(sessions, "duration_seconds"),
        observation_time=duration_stats(Observation.objects.filter(_in(period, "started_at")), "duration_seconds"),
        booth_wait=booth_wait_stats(period),
        bans_started=Ban.objects.filter(_in(period, "starts_at")).count(),
        bans_active=Ban.objects.filter(Ban.active_q(bans_at)).count(),
        bans_active_at=bans_at,
        incidents_total=incidents.total,
        incidents_community=incidents.community,
        incidents_police=incidents.police_called,
        incidents_by_kind=_choice_lines(incidents.by_kind, Incident.Kind.choices),
        demographics=demographics(period),
        contacts=contact_figures(period),
        intakes=intake_figures(period),
        closed_out_by_reason=closed_out_by_reason(period),
    )


@dataclass(frozen=True)
class LiveFigures:
    """Today as it stands: who is inside, how many came so far, emergencies not yet closed."""

    in_building: int
    visits_today: int
    open_emergencies: int


def live_figures(today: Period, now: dt.datetime) -> LiveFigures:
    return LiveFigures(
        in_building=Visit.objects.filter(ended_at__isnull=True).count(),
        visits_today=visits_in(today).filter(checked_in_at__lte=now).count(),
        open_emergencies=Emergency.objects.filter(ended_at__isnull=True).count(),
    )

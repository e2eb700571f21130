"""The annual report: the year's figures as the monthly report counts them, beside the previous year's.

The year is a ``Period`` of whole Oslo days, 1 January to 31 December, and its figures are
``period_figures`` laid out by ``report_layout``, exactly as a month's are: the annual and the monthly
reports cannot disagree. The annual report adds what the injection rooms' annual reports give (the
deregistrations, the mean and median age, visits per client, the share of men, overdoses per 1,000
consumption events, staffing against the minimum, cost per visit and per client), and a month-by-month
table of the main figures, counted by local month with one grouped query per figure.

The external version is audited as one report: both years, the extras and the month table (whose
months add up to the year, and whose monthly unique clients are each at most the year's), so that no
withheld cell can be worked out from anything published anywhere on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from health.models import Emergency, HealthService, Intervention
from reports.aggregates import duration_stats
from reports.disclosure import Relation, at_most, equal, is_small, withhold
from reports.periods import Period, PeriodKind
from reports.selectors.budget import CostFigures, cost_figures
from reports.selectors.charts import daily_figure_by_month
from reports.selectors.figures import PeriodFigures, period_figures, visits_in
from reports.selectors.monthly import Indicator, Layout, Section, report_layout
from reports.selectors.staffing import StaffingFigures, staffing_figures
from visits.models import BoothSession, Client, Contact, Refusal, Visit

PREVIOUS = "prev:"

# Visits per client in the year, as the injection rooms report them: key, fewest and most visits.
VISIT_BANDS: list[tuple[str, int, int | None]] = [
    ("once", 1, 1),
    ("2-5", 2, 5),
    ("6-20", 6, 20),
    ("21-100", 21, 100),
    ("over-100", 101, None),
]


def _visit_band_label(key: str) -> str:
    labels = {
        "once": _("once"),
        "2-5": _("2–5 times"),
        "6-20": _("6–20 times"),
        "21-100": _("21–100 times"),
        "over-100": _("more than 100 times"),
    }
    return labels[key]


# The month table's columns: the key of the year's count each adds up to (or, for clients, is at most).
MONTH_COLUMNS = [
    "visits",
    "clients",
    "consumption",
    "overdoses",
    "naloxone-events",
    "ambulance",
    "refusals",
    "registrations",
    "contacts",
    "health",
]


def month_column_labels() -> list[str]:
    return [
        _("Visits"),
        _("Unique clients"),
        _("Consumption events"),
        _("Overdoses"),
        _("Naloxone emergencies"),
        _("Ambulance calls"),
        _("Refusals"),
        _("New registrations"),
        _("Walk-in contacts"),
        _("Health services"),
    ]


def year_period(year: int) -> Period:
    return Period(PeriodKind.CUSTOM, dt.date(year, 1, 1), dt.date(year, 12, 31))


@dataclass(frozen=True)
class Row:
    """One figure of the year beside the previous year's (None where that year has no such line)."""

    label: str
    current: Indicator | None
    previous: Indicator | None
    # A share in per cent: its change is in percentage points, and a per cent of a per cent means nothing.
    points: bool = False

    def _published(self, external: bool) -> bool:
        return (
            self.current is not None
            and self.previous is not None
            and self.current.value is not None
            and self.previous.value is not None
            and not self.current.suppressed(external)
            and not self.previous.suppressed(external)
        )

    def change(self, external: bool, *, localize: bool = True) -> str:
        """The difference from the previous year; shown only when both years are published."""
        if not self._published(external):
            return ""
        assert self.current is not None and self.previous is not None
        assert self.current.value is not None and self.previous.value is not None
        difference = self.current.value - self.previous.value  # type: ignore[operator]  # both numbers
        decimals = self._decimals()
        if decimals:
            rounded = round(float(difference), decimals)
            text = number_format(rounded, decimals, force_grouping=True) if localize else f"{rounded:.{decimals}f}"
        else:
            rounded = int(difference)
            text = number_format(rounded, force_grouping=True) if localize else str(rounded)
        return f"+{text}" if rounded > 0 else text

    def change_percent(self, external: bool, *, localize: bool = True) -> str:
        """The change in per cent of the previous year's value, where that means something."""
        if self.points or not self._published(external):
            return ""
        assert self.current is not None and self.previous is not None
        if not self.previous.value:
            return ""
        percent = round(float(self.current.value) / float(self.previous.value) * 100 - 100, 1)  # type: ignore[arg-type]
        text = number_format(percent, 1) if localize else f"{percent:.1f}"
        return f"+{text} %" if percent > 0 else f"{text} %"

    def _decimals(self) -> int:
        indicator = self.current or self.previous
        assert indicator is not None
        if indicator.mg:
            return 2
        if indicator.minutes:
            return 1
        return indicator.decimals or 0


@dataclass(frozen=True)
class AnnualSection:
    title: str
    rows: list[Row]


@dataclass(frozen=True)
class MonthRow:
    month: dt.date
    cells: list[Indicator]


@dataclass(frozen=True)
class AnnualReport:
    year: int
    period: Period
    previous_period: Period
    figures: PeriodFigures
    previous_figures: PeriodFigures
    sections: list[AnnualSection]
    month_labels: list[str]
    months: list[MonthRow]
    # The year's totals of the month table's columns: the same cells as in the sections.
    month_totals: list[Indicator]

    def rows(self) -> list[tuple[str, Row]]:
        return [(section.title, row) for section in self.sections for row in section.rows]


@dataclass(frozen=True)
class AnnualExtras:
    """What the annual report counts beyond a month's figures, for one year."""

    deregistrations: int
    aged: int  # the year's unique clients, each with an age
    mean_age: float | None
    median_age: float | None
    visit_bands: list[tuple[str, int]]
    staffing: StaffingFigures
    cost: CostFigures


def _visit_bands(period: Period) -> list[tuple[str, int]]:
    """The year's clients by how many visits each made: one query, grouped per client in the database."""
    per_client = (
        visits_in(period).order_by().values("client").annotate(n=Count("*")).values("n")  # one row per client
    )
    conditions = {}
    for key, fewest, most in VISIT_BANDS:
        condition = Q(n__gte=fewest)
        if most is not None:
            condition &= Q(n__lte=most)
        conditions[key] = Count("n", filter=condition)
    counts = per_client.aggregate(**conditions)
    return [(key, counts[key]) for key, _fewest, _most in VISIT_BANDS]


def annual_extras(period: Period, *, now: dt.datetime) -> AnnualExtras:
    year = period.first.year
    clients = Client.objects.filter(pk__in=visits_in(period).values("client"))
    # Age = the year − the birth year: the mean and median of the birth years, turned round.
    births = duration_stats(clients, "birth_year")
    mean_birth = clients.aggregate(mean=Avg("birth_year"))["mean"]
    return AnnualExtras(
        deregistrations=Client.objects.filter(
            deregistered_at__gte=period.start, deregistered_at__lt=period.end
        ).count(),
        aged=births.count,
        mean_age=None if mean_birth is None else year - float(mean_birth),
        median_age=None if births.median is None else year - births.median,
        visit_bands=_visit_bands(period),
        staffing=staffing_figures(period, now=now),
        cost=cost_figures(period, today=timezone.localdate(now)),
    )


def _by_month(queryset: QuerySet, field: str, **counts: Count) -> dict[int, dict[str, int]]:
    """``{month number: {name: count}}``, grouped by the local month of ``field`` in the database."""
    rows = (
        queryset.order_by()
        .annotate(_month=TruncMonth(field, tzinfo=timezone.get_default_timezone()))
        .values("_month")
        .annotate(**counts)
    )
    return {row["_month"].month: {name: row[name] for name in counts} for row in rows}


def month_counts(period: Period) -> dict[int, dict[str, int]]:
    """The month table's counts, ``{month: {column: count}}``: one grouped query per kind of record, the
    consumption events from the daily rollup where it has the days (``DailyFigures``).

    Each is counted as ``period_figures`` counts the year, so that the months add up to it.
    """

    def within(field: str) -> Q:
        return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})

    found: list[dict[int, dict[str, int]]] = [
        _by_month(
            Visit.objects.filter(within("checked_in_at")),
            "checked_in_at",
            visits=Count("*"),
            clients=Count("client", distinct=True),
        ),
        # A consumption event is a booth session by its start, as the daily rollup counts them.
        {
            month: {"consumption": n}
            for month, n in daily_figure_by_month(
                period, timezone.localdate(), "consumption_events", BoothSession.objects.all(), "started_at"
            ).items()
        },
        _by_month(
            Emergency.objects.filter(within("started_at")),
            "started_at",
            overdoses=Count("pk", filter=Q(kind__in=Emergency.OVERDOSE_KINDS)),
            ambulance=Count("pk", filter=Q(ambulance_called_at__isnull=False)),
        ),
        _by_month(
            Intervention.objects.filter(
                within("emergency__started_at"), kind=Intervention.Kind.NALOXONE, withdrawn_at__isnull=True
            ),
            "emergency__started_at",
            **{"naloxone-events": Count("emergency", distinct=True)},
        ),
        _by_month(Refusal.objects.filter(within("at"), reason__in=Refusal.Reason.values), "at", refusals=Count("*")),
        _by_month(Client.objects.filter(within("registered_at")), "registered_at", registrations=Count("*")),
        _by_month(Contact.objects.filter(within("at")), "at", contacts=Count("*")),
        _by_month(
            HealthService.objects.filter(within("at"), kind__in=HealthService.Kind.values), "at", health=Count("*")
        ),
    ]
    months: dict[int, dict[str, int]] = {month: dict.fromkeys(MONTH_COLUMNS, 0) for month in range(1, 13)}
    for counts in found:
        for month, values in counts.items():
            months[month].update(values)
    return months


def _month_key(month: int, column: str) -> str:
    return f"m{month:02d}:{column}"


def _extras_layout(extras: AnnualExtras, clients_key: str, visits_key: str, men_key: str, f: PeriodFigures) -> Layout:
    """The annual extras as sections, their relations to the year's counts, and what each measure follows."""
    people = Section(_("Deregistrations, age and visits per client"))
    deregistrations = people.add(_("Deregistrations"), extras.deregistrations, key="deregistrations")
    people.add(_("Mean age (years)"), extras.mean_age, decimals=1, basis=extras.aged, key="age-mean")
    people.add(_("Median age (years)"), extras.median_age, decimals=1, basis=extras.aged, key="age-median")
    men = next((line.value for line in f.demographics.by_gender if line.key == Client.Gender.MAN), 0)
    share_men = people.add(
        _("Share of men (%)"),
        men / f.unique_clients * 100 if f.unique_clients else None,
        decimals=1,
        basis=men,
        key="share-men",
    )
    bands = [
        people.add(_("Clients who visited %(times)s") % {"times": _visit_band_label(key)}, n, key=f"per-client:{key}")
        for key, n in extras.visit_bands
    ]
    rates = Section(_("Overdoses, staffing and cost"))
    per_thousand = rates.add(
        _("Overdoses per 1,000 consumption events"),
        f.emergencies.overdoses / f.consumption_events * 1000 if f.consumption_events else None,
        decimals=2,
        basis=f.emergencies.overdoses,
        key="overdoses-per-1000",
    )
    staffing = extras.staffing
    rates.add(_("Hours open"), staffing.open_seconds / 3600, decimals=1, key="open-hours")
    if staffing.has_minimums:
        rates.add(
            _("Opening hours below the staffing minimum"),
            staffing.understaffed_seconds / 3600,
            decimals=1,
            key="understaffed-hours",
        )
        share = staffing.understaffed_share
        rates.add(
            _("Share of opening hours below the minimum (%)"),
            None if share is None else share * 100,
            decimals=1,
            key="understaffed-share",
        )
        for role, seconds in staffing.by_role:
            rates.add(
                _("Below the minimum for %(role)s (hours)") % {"role": role.label},
                seconds / 3600,
                decimals=1,
                key=f"understaffed:{role.value}",
            )
    cost = extras.cost
    rates.add(_("Budget for the year (NOK)"), cost.budget_so_far, decimals=0, key="budget")
    per_visit = rates.add(_("Cost per visit (NOK)"), cost.per_visit, decimals=0, basis=cost.visits, key="cost-visit")
    per_client = rates.add(
        _("Cost per client (NOK)"), cost.per_client, decimals=0, basis=cost.unique_clients, key="cost-client"
    )
    # Every client visited at least the fewest visits of their band: the bands bound the visits from below.
    weighted = [key for key, (_k, fewest, _most) in zip(bands, VISIT_BANDS, strict=True) for _ in range(fewest)]
    relations = [equal(clients_key, bands), at_most(weighted, visits_key)]
    follows = {
        # A share of known clients tells the count of men, and with it the clients: withheld with either.
        share_men: [men_key, clients_key],
        per_thousand: ["overdoses", "consumption"],
        per_visit: [visits_key],
        per_client: [clients_key],
    }
    return Layout([people, rates], relations, [deregistrations], follows)


def _prefixed(layout: Layout, prefix: str) -> Layout:
    def key(k: str) -> str:
        return prefix + k

    def keys(ks: Iterable[str]) -> list[str]:
        return [prefix + k for k in ks]

    sections = [
        Section(section.title, [replace(i, key=key(i.key)) for i in section.indicators]) for section in layout.sections
    ]
    relations = [Relation(tuple(keys(r.left)), tuple(keys(r.right)), r.at_most) for r in layout.relations]
    follows = {key(k): keys(v) for k, v in layout.follows.items()}
    return Layout(sections, relations, keys(layout.alone), follows)


def _year_labels() -> dict[str, str]:
    """The monthly report's labels that name the month, as the year's report says them."""
    return {
        "clients": _("Unique clients (each counted once in the year)"),
        "contacts-clients": _("Clients with a code (each counted once in the year)"),
    }


def _year_layout(f: PeriodFigures, extras: AnnualExtras) -> Layout:
    base = report_layout(f)
    labels = _year_labels()
    for section in base.sections:
        section.indicators = [replace(i, label=labels.get(i.key, i.label)) for i in section.indicators]
    added = _extras_layout(extras, "clients", "visits", f"gender:{Client.Gender.MAN}", f)
    return Layout(
        base.sections + added.sections,
        base.relations + added.relations,
        base.alone + added.alone,
        {**base.follows, **added.follows},
    )


def _month_cells(counts: dict[int, dict[str, int]]) -> tuple[list[Indicator], list[Relation]]:
    cells = [
        Indicator("", counts[month][column], key=_month_key(month, column))
        for month in range(1, 13)
        for column in MONTH_COLUMNS
    ]
    months = range(1, 13)
    relations = [
        equal(column, [_month_key(m, column) for m in months]) for column in MONTH_COLUMNS if column != "clients"
    ]
    # A client of a month is a client of the year; each of the year's came in at least one month.
    relations += [at_most(_month_key(m, "clients"), "clients") for m in months]
    relations.append(at_most("clients", [_month_key(m, "clients") for m in months]))
    relations += [at_most(_month_key(m, "clients"), _month_key(m, "visits")) for m in months]
    relations += [
        at_most(_month_key(m, "naloxone-events"), [_month_key(m, "overdoses"), "other-emergencies"]) for m in months
    ]
    relations += [
        at_most(_month_key(m, "ambulance"), [_month_key(m, "overdoses"), "other-emergencies"]) for m in months
    ]
    return cells, relations


def _mark(
    indicators: list[Indicator], complements: set[str], suppressed: set[str], follows: dict[str, list[str]]
) -> list[Indicator]:
    """Withhold the audit's complements, and each measure that would tell a withheld count it follows."""

    def withheld(i: Indicator) -> bool:
        return i.key in complements or any(k in suppressed for k in follows.get(i.key, []))

    return [replace(i, complement=True) if withheld(i) else i for i in indicators]


def annual_report(year: int, *, now: dt.datetime) -> AnnualReport:
    period, previous_period = year_period(year), year_period(year - 1)
    figures = period_figures(period, now=now)
    previous_figures = period_figures(previous_period, now=now)
    current = _year_layout(figures, annual_extras(period, now=now))
    previous = _prefixed(_year_layout(previous_figures, annual_extras(previous_period, now=now)), PREVIOUS)
    month_cells, month_relations = _month_cells(month_counts(period))

    # One audit over everything the page publishes.
    indicators = [i for layout in (current, previous) for s in layout.sections for i in s.indicators]
    counts = {i.key: i.value for i in indicators + month_cells if not i.measured}
    relations = current.relations + previous.relations + month_relations
    named = {key for relation in relations for key in relation.keys} | set(current.alone) | set(previous.alone)
    unstated = set(counts) - named
    if unstated:
        raise ValueError(f"Indicators in no relation and not declared alone: {sorted(unstated)}")
    complements = withhold(counts, relations)  # type: ignore[arg-type]  # a count (not measured) is an int
    suppressed = complements | {key for key, value in counts.items() if is_small(value)}  # type: ignore[arg-type]
    follows = {**current.follows, **previous.follows}

    sections = []
    for this, last in zip(current.sections, previous.sections, strict=True):
        marked = _mark(this.indicators, complements, suppressed, follows)
        marked_last = {
            i.key.removeprefix(PREVIOUS): i for i in _mark(last.indicators, complements, suppressed, follows)
        }
        rows = [Row(i.label, i, marked_last.pop(i.key, None), points=i.key in _POINTS) for i in marked]
        # A line only last year had (a role short-staffed then, a substance no longer in use) goes where
        # last year's report had it: after the line that came before it there.
        order = [i.key.removeprefix(PREVIOUS) for i in last.indicators]
        for key, i in marked_last.items():
            before = order[: order.index(key)]
            shown = [row_key(row) for row in rows]
            at = max((shown.index(k) + 1 for k in before if k in shown), default=0)
            rows.insert(at, Row(i.label, None, i, points=key in _POINTS))
        sections.append(AnnualSection(this.title, rows))
    month_cells = _mark(month_cells, complements, suppressed, follows)
    by_key = {row.current.key: row.current for _title, row in _rows(sections) if row.current is not None}
    return AnnualReport(
        year=year,
        period=period,
        previous_period=previous_period,
        figures=figures,
        previous_figures=previous_figures,
        sections=sections,
        month_labels=month_column_labels(),
        months=[
            MonthRow(dt.date(year, m, 1), month_cells[(m - 1) * len(MONTH_COLUMNS) : m * len(MONTH_COLUMNS)])
            for m in range(1, 13)
        ],
        month_totals=[by_key[column] for column in MONTH_COLUMNS],
    )


def row_key(row: Row) -> str:
    """The row's key without the previous year's prefix."""
    shown = row.current if row.current is not None else row.previous
    assert shown is not None  # a row has this year's figure, last year's, or both
    return shown.key.removeprefix(PREVIOUS)


# Shares in per cent, whose change is in percentage points.
_POINTS = {"share-men", "understaffed-share"}


def _rows(sections: list[AnnualSection]) -> list[tuple[str, Row]]:
    return [(section.title, row) for section in sections for row in section.rows]

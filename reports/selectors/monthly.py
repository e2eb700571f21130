"""The monthly report for the city and the health authorities: the period figures as named indicators.

Two versions: the internal one shows every count; the one that leaves the facility shows counts from 1
to 9 as "<10", as Health Canada does for supervised consumption sites (0 stays 0: an absence
identifies no one). A median or percentile resting on fewer than 10 events is withheld the same way,
since with so few it would describe a handful of people.

Counts add up across the whole report: a breakdown to its total, overdoses to their kinds, the
outcomes to every emergency, clients to at most the visits. ``report_sections`` states every such
relation beside the indicators it builds (an indicator in none must be named as standing alone, or
the report refuses to build), and ``reports.disclosure.withhold`` withholds further counts, shown as
":" (the mark Statistics Norway uses for figures withheld for confidentiality), until no withheld
count can be narrowed by any combination of published ones: complementary suppression, audited by
linear programming over the whole report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from health.models import Emergency
from reports.aggregates import DurationStats
from reports.disclosure import SMALL_COUNT_LIMIT, Relation, at_most, equal, withhold
from reports.periods import Period
from reports.selectors.figures import Line, PeriodFigures, period_figures

SUPPRESSED = "<10"
WITHHELD = "n<10"
COMPLEMENT = ":"


class Version:
    INTERNAL = "internal"
    EXTERNAL = "external"
    ALL = (INTERNAL, EXTERNAL)


@dataclass(frozen=True)
class Indicator:
    """One figure of the report. A count, or minutes or milligrams resting on ``basis`` events."""

    label: str
    value: int | float | Decimal | None
    minutes: bool = False
    basis: int | None = None
    mg: bool = False  # an amount in milligrams (naloxone), to two decimals
    key: str = ""  # names the indicator in the report's relations
    complement: bool = False  # shown as ":" so that no small count can be worked out (external only)
    decimals: int | None = None  # another measure (an age, a share, a rate, an amount), to so many decimals

    @property
    def measured(self) -> bool:
        """Not a count but a measure (minutes, milligrams, ...), withheld by the events it rests on."""
        return self.minutes or self.mg or self.decimals is not None

    @property
    def small(self) -> bool:
        small = self.basis if self.measured else self.value
        return small is not None and 0 < small < SMALL_COUNT_LIMIT

    def suppressed(self, external: bool) -> bool:
        return external and (self.small or self.complement)

    def text(self, external: bool, *, localize: bool = True) -> str:
        """The value as shown: on the page in the reader's number format, in the CSV as plain digits."""
        if external and self.complement:
            return COMPLEMENT
        if external and self.small:
            return WITHHELD if self.measured else SUPPRESSED
        if self.value is None:
            return "–" if localize else ""
        if self.mg:
            return number_format(self.value, 2) if localize else f"{self.value:.2f}"
        if self.decimals is not None:
            rounded = round(float(self.value), self.decimals)
            if not localize:
                return f"{rounded:.{self.decimals}f}"
            return number_format(rounded, self.decimals, force_grouping=True)
        if self.minutes:
            return number_format(round(float(self.value), 1), 1) if localize else f"{self.value:.1f}"
        return number_format(self.value, force_grouping=True) if localize else str(self.value)


@dataclass
class Section:
    title: str
    indicators: list[Indicator] = field(default_factory=list)

    def add(self, label: str, value: int | float | Decimal | None, *, key: str, **kwargs: Any) -> str:
        """Add one indicator; its key names it in the relations of ``report_sections``."""
        self.indicators.append(Indicator(str(label), value, key=key, **kwargs))
        return key

    def add_lines(self, lines: list[Line], template: str | None = None, *, key: str) -> list[str]:
        return [
            self.add(template % {"name": line.label} if template else line.label, line.value, key=f"{key}:{line.key}")
            for line in lines
        ]


@dataclass(frozen=True)
class MonthlyReport:
    month: dt.date
    period: Period
    figures: PeriodFigures
    sections: list[Section]

    def rows(self) -> list[tuple[str, Indicator]]:
        return [(section.title, indicator) for section in self.sections for indicator in section.indicators]


def _times(section: Section, label: str, stats: DurationStats, *, key: str) -> None:
    section.add(
        _("%(what)s, median (minutes)") % {"what": label},
        stats.median_minutes,
        minutes=True,
        basis=stats.count,
        key=f"{key}-median",
    )
    section.add(
        _("%(what)s, 90th percentile (minutes)") % {"what": label},
        stats.p90_minutes,
        minutes=True,
        basis=stats.count,
        key=f"{key}-p90",
    )


def monthly_report(month: dt.date, *, now: dt.datetime) -> MonthlyReport:
    period = Period.for_month(month)
    figures = period_figures(period, now=now)
    return MonthlyReport(month=period.first, period=period, figures=figures, sections=report_sections(figures))


@dataclass(frozen=True)
class Layout:
    """The sections of one period's figures, and what ties their counts together, before the audit.

    ``relations`` and ``alone`` together name every count; ``follows`` names, for an indicator that tells
    roughly what a count is (the milligrams its doses), the count it is withheld with.
    """

    sections: list[Section]
    relations: list[Relation]
    alone: list[str]
    follows: dict[str, list[str]]


def report_sections(f: PeriodFigures) -> list[Section]:
    """The report's sections, the external version's complements marked."""
    layout = report_layout(f)
    mark_complements(layout.sections, layout.relations, layout.alone, layout.follows)
    return layout.sections


def report_layout(f: PeriodFigures) -> Layout:
    """The report's sections and the relations between their counts (the annual report audits more).

    Every count is a cell of the disclosure audit. The relations below are everything a reader knows
    ties the counts together; adding an indicator means adding it to a relation or to ``alone``.
    """
    visits = Section(_("Visits and clients"))
    n_visits = visits.add(_("Visits"), f.visits, key="visits")
    clients = visits.add(_("Unique clients (each counted once in the month)"), f.unique_clients, key="clients")
    registrations = visits.add(_("New registrations"), f.new_registrations, key="registrations")
    intakes = visits.add(_("Intake interviews"), f.intakes.total, key="intakes")
    intake_outcomes = visits.add_lines(f.intakes.by_outcome, _("Intake interview: %(name)s"), key="intake-outcome")

    people = Section(_("Unique clients by gender and age"))
    genders = people.add_lines(f.demographics.by_gender, _("Gender: %(name)s"), key="gender")
    ages = people.add_lines(f.demographics.by_age_band, _("Age: %(name)s"), key="age")

    c = f.contacts
    contacts = Section(_("Walk-in contacts (without a visit)"))
    n_contacts = contacts.add(_("Walk-in contacts"), c.total, key="contacts")
    contact_genders = contacts.add_lines(c.by_gender, _("Contacts by gender: %(name)s"), key="contact-gender")
    anonymous = contacts.add(_("Anonymous"), c.anonymous, key="contacts-anonymous")
    known = contacts.add(_("With a client code"), c.known, key="contacts-known")
    known_clients = contacts.add(
        _("Clients with a code (each counted once in the month)"), c.known_clients, key="contacts-clients"
    )
    advice_only = contacts.add(_("Advice only"), c.advice_only, key="contacts-advice")
    equipment_only = contacts.add(_("Equipment only"), c.equipment_only, key="contacts-equipment")
    both = contacts.add(_("Equipment and advice"), c.both, key="contacts-both")

    consumption = Section(_("Consumption"))
    events = consumption.add(_("Consumption events"), f.consumption_events, key="consumption")
    substances = consumption.add_lines(f.consumption_by_substance, _("Substance: %(name)s"), key="substance")
    routes = consumption.add_lines(f.consumption_by_route, _("Route: %(name)s"), key="route")

    e = f.emergencies
    emergencies = Section(_("Overdoses and other medical emergencies"))
    overdoses = emergencies.add(_("Overdoses"), e.overdoses, key="overdoses")
    overdoses_naloxone = emergencies.add(
        _("Overdoses treated with naloxone"), e.overdoses_with_naloxone, key="overdoses-naloxone"
    )
    naloxone_events = emergencies.add(
        _("Emergencies in which naloxone was given"), e.naloxone_events, key="naloxone-events"
    )
    doses = emergencies.add(_("Naloxone doses given"), e.naloxone_doses, key="naloxone-doses")
    mg = emergencies.add(
        _("Naloxone given in total (mg)"), e.naloxone_mg, mg=True, basis=e.naloxone_doses, key="naloxone-mg"
    )
    other = emergencies.add(_("Other medical emergencies"), e.other, key="other-emergencies")
    kinds = emergencies.add_lines(e.by_kind, _("Kind: %(name)s"), key="emergency-kind")
    overdose_kinds = [key for key, line in zip(kinds, e.by_kind, strict=True) if line.key in Emergency.OVERDOSE_KINDS]
    other_kinds = [key for key in kinds if key not in overdose_kinds]
    ambulance = emergencies.add(_("Ambulance calls"), e.ambulance_calls, key="ambulance")
    outcomes = emergencies.add_lines(e.by_outcome, _("Outcome: %(name)s"), key="outcome")

    health = Section(_("Health services on site"))
    services = health.add(_("Health services"), f.health_services, key="health")
    service_kinds = health.add_lines(f.health_services_by_kind, key="health-kind")

    counseling = Section(_("Counseling and referrals"))
    sessions = counseling.add(_("Counseling sessions"), f.counseling_sessions, key="counseling")
    counseled = counseling.add(_("Clients counseled"), f.counseling_clients, key="counseled")
    made = counseling.add(_("Referrals made"), f.referrals_made, key="made")
    accepted = counseling.add(_("Referrals accepted by the service"), f.referrals_accepted, key="accepted")
    attended = counseling.add(_("Referrals attended"), f.referrals_attended, key="attended")
    take_up: list[tuple[str, str, str]] = []
    for line in f.referrals:
        take_up.append(
            (
                counseling.add(_("%(service)s: made") % {"service": line.label}, line.made, key=f"made:{line.key}"),
                counseling.add(
                    _("%(service)s: accepted") % {"service": line.label}, line.accepted, key=f"accepted:{line.key}"
                ),
                counseling.add(
                    _("%(service)s: attended") % {"service": line.label}, line.attended, key=f"attended:{line.key}"
                ),
            )
        )

    equipment = Section(_("Equipment handed out"))
    items = [
        equipment.add(f"{line.label} ({line.unit})", line.value, key=f"equipment:{line.key}") for line in f.handed_out
    ]

    refusals = Section(_("Refusals and exclusions"))
    refused = refusals.add(_("Refusals at the door"), f.refusals, key="refusals")
    reasons = refusals.add_lines(f.refusals_by_reason, _("Reason: %(name)s"), key="refusal-reason")
    brought = refusals.add_lines(f.refusals_by_substance, _("Substance brought: %(name)s"), key="refusal-substance")
    bans_started = refusals.add(_("Bans started"), f.bans_started, key="bans-started")
    bans_active = refusals.add(_("Bans in force at the end of the month"), f.bans_active, key="bans-active")

    closed = Section(_("Visits closed without a check-out"))
    closed_out = closed.add(_("Visits closed without a check-out"), f.closed_out, key="closed-out")
    closed_reasons = closed.add_lines(
        f.closed_out_by_reason, _("Reason for closing: %(name)s"), key="closed-out-reason"
    )

    incidents = Section(_("Security incidents"))
    incident_total = incidents.add(_("Security incidents"), f.incidents_total, key="incidents")
    community = incidents.add(_("Community-side incidents"), f.incidents_community, key="incidents-community")
    police = incidents.add(_("Incidents with police called"), f.incidents_police, key="incidents-police")
    incident_kinds = incidents.add_lines(f.incidents_by_kind, _("Kind: %(name)s"), key="incident-kind")

    times = Section(_("Times"))
    # Medians and percentiles add up to nothing; each is withheld by the events it rests on.
    _times(times, _("Waiting time for a booth"), f.booth_wait, key="booth-wait")
    _times(times, _("Time in the booth"), f.booth_time, key="booth-time")
    _times(times, _("Time in observation"), f.observation_time, key="observation-time")

    relations = [
        at_most(clients, n_visits),  # each client counted visited at least once
        equal(intakes, intake_outcomes),
        equal(closed_out, closed_reasons),
        at_most(closed_out, n_visits),  # the month's visits, some of them closed without a check-out
        equal(n_contacts, contact_genders),
        equal(n_contacts, [anonymous, known]),
        at_most(known_clients, known),
        equal(n_contacts, [advice_only, equipment_only, both]),
        equal(clients, genders),
        equal(clients, ages),
        equal(events, substances),  # every booth session has one substance and one route
        equal(events, routes),
        equal(overdoses, overdose_kinds),
        equal(other, other_kinds),
        equal([overdoses, other], outcomes),  # every emergency has an outcome, "not yet closed" included
        at_most(ambulance, [overdoses, other]),
        at_most(overdoses_naloxone, overdoses),
        at_most(overdoses_naloxone, naloxone_events),
        at_most(naloxone_events, [overdoses_naloxone, other]),
        at_most(naloxone_events, doses),
        equal(services, service_kinds),
        at_most(counseled, sessions),
        equal(made, [line[0] for line in take_up]),
        equal(accepted, [line[1] for line in take_up]),
        equal(attended, [line[2] for line in take_up]),
        *(at_most(line[1], line[0]) for line in take_up),  # attended counts as accepted too
        *(at_most(line[2], line[1]) for line in take_up),
        equal(refused, reasons),
        at_most(brought, refused),  # a refusal names at most one substance brought
        equal(incident_total, incident_kinds),
        at_most(community, incident_total),
        at_most(police, incident_total),
    ]
    # Tied to no other count of the report. (The items include those handed out at contacts, but a
    # contact with equipment may have been given one item or fifty: the items bound no contact count.)
    alone = [registrations, *items, bans_started, bans_active]

    sections = [
        visits,
        people,
        contacts,
        consumption,
        emergencies,
        health,
        counseling,
        equipment,
        refusals,
        closed,
        incidents,
        times,
    ]
    # The milligrams tell roughly how many doses were given: withheld with them.
    return Layout(sections, relations, alone, follows={mg: [doses]})


def mark_complements(
    sections: list[Section], relations: list[Relation], alone: list[str], follows: dict[str, list[str]]
) -> None:
    """Withhold, beside the small counts, what the disclosure audit asks; a measure follows its count."""
    counts = {i.key: i.value for section in sections for i in section.indicators if not i.measured}
    unstated = set(counts) - {key for relation in relations for key in relation.keys} - set(alone)
    if unstated:
        raise ValueError(f"Indicators in no relation and not declared alone: {sorted(unstated)}")
    complements = withhold(counts, relations)  # type: ignore[arg-type]  # a count (not measured) is an int
    for section in sections:
        section.indicators = [
            replace(i, complement=True)
            if i.key in complements or any(k in complements for k in follows.get(i.key, []))
            else i
            for i in section.indicators
        ]

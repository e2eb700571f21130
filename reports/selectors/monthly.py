"""The monthly report for the city and the health authorities: the period figures as named indicators.

Two versions: the internal one shows every count; the one that leaves the facility shows counts from 1
to 9 as "<10", as Health Canada does for supervised consumption sites (0 stays 0: an absence
identifies no one). A median or percentile resting on fewer than 10 events is withheld the same way,
since with so few it would describe a handful of people.

A breakdown (clients by gender, consumption by substance ...) adds up to a total the report shows, so
one small count withheld alone could be worked out by subtraction. Where a breakdown withholds exactly
one count, the next smallest count of that breakdown is withheld too and shown as ":" (the mark
Statistics Norway uses for figures withheld for confidentiality): complementary suppression.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from reports.aggregates import DurationStats
from reports.periods import Period
from reports.selectors.figures import Line, PeriodFigures, period_figures

SMALL_COUNT_LIMIT = 10
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
    breakdown: str = ""  # the lines of one breakdown, which add up to a total, share it
    complement: bool = False  # withheld beside a small count of the same breakdown (external only)

    @property
    def measured(self) -> bool:
        """Not a count but a measure (minutes, milligrams), withheld by the events it rests on."""
        return self.minutes or self.mg

    @property
    def small(self) -> bool:
        small = self.basis if self.measured else self.value
        return small is not None and 0 < small < SMALL_COUNT_LIMIT

    def suppressed(self, external: bool) -> bool:
        return external and (self.small or self.complement)

    def text(self, external: bool, *, localize: bool = True) -> str:
        """The value as shown: on the page in the reader's number format, in the CSV as plain digits."""
        if external and self.small:
            return WITHHELD if self.measured else SUPPRESSED
        if external and self.complement:
            return COMPLEMENT
        if self.value is None:
            return "–" if localize else ""
        if self.mg:
            return number_format(self.value, 2) if localize else f"{self.value:.2f}"
        if self.minutes:
            return number_format(round(self.value, 1), 1) if localize else f"{self.value:.1f}"
        return number_format(self.value, force_grouping=True) if localize else str(self.value)


@dataclass
class Section:
    title: str
    indicators: list[Indicator] = field(default_factory=list)

    def add(self, label: str, value, **kwargs) -> None:
        self.indicators.append(Indicator(str(label), value, **kwargs))

    def add_lines(self, lines: list[Line], template: str | None = None, *, breakdown: str = "") -> None:
        breakdown = breakdown or f"{self.title}/{template or ''}"
        for line in lines:
            label = template % {"name": line.label} if template else line.label
            self.add(label, line.value, breakdown=breakdown)

    def protect_breakdowns(self) -> None:
        """Where a breakdown withholds one small count alone, withhold its next smallest count too."""
        breakdowns: dict[str, list[int]] = {}
        for index, indicator in enumerate(self.indicators):
            if indicator.breakdown:
                breakdowns.setdefault(indicator.breakdown, []).append(index)
        for members in breakdowns.values():
            if sum(1 for i in members if self.indicators[i].small) != 1:
                continue
            others = [i for i in members if not self.indicators[i].small and (self.indicators[i].value or 0) > 0]
            if others:
                chosen = min(others, key=lambda i: self.indicators[i].value)
                self.indicators[chosen] = replace(self.indicators[chosen], complement=True)


@dataclass(frozen=True)
class MonthlyReport:
    month: dt.date
    period: Period
    figures: PeriodFigures
    sections: list[Section]

    def rows(self) -> list[tuple[str, Indicator]]:
        return [(section.title, indicator) for section in self.sections for indicator in section.indicators]


def _times(section: Section, label: str, stats: DurationStats) -> None:
    section.add(
        _("%(what)s, median (minutes)") % {"what": label}, stats.median_minutes, minutes=True, basis=stats.count
    )
    section.add(
        _("%(what)s, 90th percentile (minutes)") % {"what": label}, stats.p90_minutes, minutes=True, basis=stats.count
    )


def monthly_report(month: dt.date, *, now: dt.datetime) -> MonthlyReport:
    period = Period.for_month(month)
    f = period_figures(period, now=now)

    visits = Section(_("Visits and clients"))
    visits.add(_("Visits"), f.visits)
    visits.add(_("Unique clients (each counted once in the month)"), f.unique_clients)
    visits.add(_("New registrations"), f.new_registrations)

    people = Section(_("Unique clients by gender and age"))
    people.add_lines(f.demographics.by_gender, _("Gender: %(name)s"))
    people.add_lines(f.demographics.by_age_band, _("Age: %(name)s"))

    consumption = Section(_("Consumption"))
    consumption.add(_("Consumption events"), f.consumption_events)
    consumption.add_lines(f.consumption_by_substance, _("Substance: %(name)s"))
    consumption.add_lines(f.consumption_by_route, _("Route: %(name)s"))

    e = f.emergencies
    emergencies = Section(_("Overdoses and other medical emergencies"))
    emergencies.add(_("Overdoses"), e.overdoses)
    emergencies.add(_("Overdoses treated with naloxone"), e.overdoses_with_naloxone)
    emergencies.add(_("Emergencies in which naloxone was given"), e.naloxone_events)
    emergencies.add(_("Naloxone doses given"), e.naloxone_doses)
    emergencies.add(_("Naloxone given in total (mg)"), e.naloxone_mg, mg=True, basis=e.naloxone_doses)
    emergencies.add(_("Other medical emergencies"), e.other)
    emergencies.add_lines(e.by_kind, _("Kind: %(name)s"))
    emergencies.add(_("Ambulance calls"), e.ambulance_calls)
    emergencies.add_lines(e.by_outcome, _("Outcome: %(name)s"))

    health = Section(_("Health services on site"))
    health.add(_("Health services"), f.health_services)
    health.add_lines(f.health_services_by_kind)

    counseling = Section(_("Counseling and referrals"))
    counseling.add(_("Counseling sessions"), f.counseling_sessions)
    counseling.add(_("Clients counseled"), f.counseling_clients)
    counseling.add(_("Referrals made"), f.referrals_made)
    counseling.add(_("Referrals accepted by the service"), f.referrals_accepted)
    counseling.add(_("Referrals attended"), f.referrals_attended)
    for line in f.referrals:  # each of the three adds up, over the services, to its total above
        counseling.add(_("%(service)s: made") % {"service": line.label}, line.made, breakdown="made")
        counseling.add(_("%(service)s: accepted") % {"service": line.label}, line.accepted, breakdown="accepted")
        counseling.add(_("%(service)s: attended") % {"service": line.label}, line.attended, breakdown="attended")

    equipment = Section(_("Equipment handed out"))
    for line in f.handed_out:
        equipment.add(f"{line.label} ({line.unit})", line.value)

    refusals = Section(_("Refusals and exclusions"))
    refusals.add(_("Refusals at the door"), f.refusals)
    refusals.add_lines(f.refusals_by_reason, _("Reason: %(name)s"))
    refusals.add_lines(f.refusals_by_substance, _("Substance brought: %(name)s"))
    refusals.add(_("Bans started"), f.bans_started)
    refusals.add(_("Bans in force at the end of the month"), f.bans_active)

    incidents = Section(_("Security incidents"))
    incidents.add(_("Security incidents"), f.incidents_total)
    incidents.add(_("Community-side incidents"), f.incidents_community)
    incidents.add(_("Incidents with police called"), f.incidents_police)
    incidents.add_lines(f.incidents_by_kind, _("Kind: %(name)s"))

    times = Section(_("Times"))
    _times(times, _("Waiting time for a booth"), f.booth_wait)
    _times(times, _("Time in the booth"), f.booth_time)
    _times(times, _("Time in observation"), f.observation_time)

    sections = [visits, people, consumption, emergencies, health, counseling, equipment, refusals, incidents, times]
    for section in sections:
        section.protect_breakdowns()
    return MonthlyReport(month=period.first, period=period, figures=f, sections=sections)

"""The external monthly report attacked as an outsider would: from what it publishes alone.

Hypothesis makes hundreds of months of figures (the example from the report that started this, months
where every count of a section is small, all small, all zero, big ones); the real function the report
uses turns each into its indicators, and the test keeps only the text the CSV and page publish. For
every withheld cell, SciPy's HiGHS (an independent solver, not the one the report uses) finds the
smallest and largest value it can take given every published count, every relation a reader knows
(written here from the labels, not taken from the report's code), counts not negative, "<10" meaning
1 to 9 and ":" 1 or more (0 is never withheld). The interval must span at least five values. The narrowest interval
found is printed.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from counseling.models import Intake
from health.models import Emergency, HealthService
from reports.aggregates import DurationStats
from reports.disclosure import PROTECTION_WIDTH
from reports.periods import Period
from reports.selectors.figures import (
    AGE_BANDS,
    ContactFigures,
    Demographics,
    EmergencyFigures,
    IntakeFigures,
    Line,
    PeriodFigures,
    TakeUpLine,
)
from reports.selectors.monthly import COMPLEMENT, SUPPRESSED, report_sections
from tests.support.factories import ClientFactory, VisitFactory
from tests.support.pages import marked_text_all as marked_text
from tests.support.scenes.march import at
from visits.models import Client, Incident, Refusal, Visit

MARCH = Period.for_month(dt.date(2026, 3, 1))
SUBSTANCES = [("1", "Heroin"), ("2", "Amphetamine"), ("3", "Cocaine")]
ROUTES = [("1", "Injection"), ("2", "Smoking"), ("3", "Sniffing")]
SERVICES = [("1", "Housing office"), ("2", "Opioid agonist treatment"), ("3", "Detox")]
ITEMS = [("1", "Syringe 1 ml"), ("2", "Filter")]
OUTCOMES = [*Emergency.Outcome.choices, ("", "Not yet closed")]
MONTHS_ATTACKED = 200


def _lines(choices, values) -> list[Line]:
    """Lines labelled in English, as ``period_figures`` labels them for an English reader."""
    with translation.override("en"):
        return [Line(str(key), str(label), value) for (key, label), value in zip(choices, values, strict=True)]


def _durations(count: int) -> DurationStats:
    return DurationStats(count, 600.0 if count else None, 900.0 if count else None)


def month_figures(
    *,
    genders,
    ages,
    extra_visits=0,
    substances,
    routes,
    kinds,
    outcomes,
    ambulance=0,
    naloxone=(0, 0, 0),
    health,
    counseling=(0, 0),
    referrals=(),
    items=(0, 0),
    reasons,
    brought=(0, 0, 0),
    bans=(0, 0),
    incidents,
    community=0,
    police=0,
    new=0,
    contacts=((0, 0, 0), (0, 0), 0, (0, 0, 0)),
    intakes=(0, 0),
    closed=(0, 0, 0, 0, 0),
) -> PeriodFigures:
    """A month's figures as ``period_figures`` would count them; the totals follow from the lines."""
    overdoses_naloxone, other_naloxone, extra_doses = naloxone
    contact_genders, (anonymous, known), known_clients, (advice_only, equipment_only, both) = contacts
    unique = sum(genders)
    overdoses = sum(
        v for (key, _label), v in zip(Emergency.Kind.choices, kinds, strict=True) if key in Emergency.OVERDOSE_KINDS
    )
    return PeriodFigures(
        period=MARCH,
        visits=unique + extra_visits,
        unique_clients=unique,
        new_registrations=new,
        refusals_by_reason=_lines(Refusal.Reason.choices, reasons),
        refusals_by_substance=_lines(SUBSTANCES, brought),
        consumption_by_substance=_lines(SUBSTANCES, substances),
        consumption_by_route=_lines(ROUTES, routes),
        emergencies=EmergencyFigures(
            total=sum(kinds),
            overdoses=overdoses,
            by_kind=_lines(Emergency.Kind.choices, kinds),
            naloxone_events=overdoses_naloxone + other_naloxone,
            overdoses_with_naloxone=overdoses_naloxone,
            naloxone_doses=overdoses_naloxone + other_naloxone + extra_doses,
            naloxone_mg=Decimal("0.4") * (overdoses_naloxone + other_naloxone + extra_doses),
            ambulance_calls=ambulance,
            by_outcome=_lines(OUTCOMES, outcomes),
        ),
        health_services_by_kind=_lines(HealthService.Kind.choices, health),
        counseling_sessions=counseling[0],
        counseling_clients=counseling[1],
        referrals=[
            TakeUpLine(key, label, *take_up) for (key, label), take_up in zip(SERVICES, referrals, strict=False)
        ],
        handed_out=[Line(key, label, value, "pcs") for (key, label), value in zip(ITEMS, items, strict=True)],
        booth_time=_durations(sum(substances)),
        observation_time=_durations(sum(kinds)),
        booth_wait=_durations(unique),
        bans_started=bans[0],
        bans_active=bans[1],
        bans_active_at=MARCH.end,
        incidents_total=sum(incidents),
        incidents_community=community,
        incidents_police=police,
        incidents_by_kind=_lines(Incident.Kind.choices, incidents),
        demographics=Demographics(
            year=2026,
            by_gender=_lines(Client.Gender.choices, genders),
            by_age_band=_lines([(key, label) for key, label, _low, _high in AGE_BANDS], ages),
            cells={},
        ),
        contacts=ContactFigures(
            total=sum(contact_genders),
            by_gender=_lines(Client.Gender.choices, contact_genders),
            anonymous=anonymous,
            known=known,
            known_clients=known_clients,
            advice_only=advice_only,
            equipment_only=equipment_only,
            both=both,
        ),
        intakes=IntakeFigures(total=sum(intakes), by_outcome=_lines(Intake.Outcome.choices, intakes)),
        closed_out_by_reason=_lines(Visit.EndReason.choices, closed),
    )


def _issue_example() -> PeriodFigures:
    """Opioid overdoses 15, stimulant 3, seizures 12: withholding the seizures alone gave the 3 away."""
    return month_figures(
        genders=[30, 12, 0],
        ages=[0, 12, 20, 10, 0, 0],
        extra_visits=200,
        substances=[150, 60, 0],
        routes=[180, 30, 0],
        kinds=[15, 3, 12, 0],
        outcomes=[20, 10, 0, 0, 0],
        ambulance=10,
        naloxone=(15, 0, 5),
        health=[12] + [0] * (len(HealthService.Kind.choices) - 2) + [10],
        counseling=(25, 20),
        referrals=[(12, 10, 10)],
        items=(400, 300),
        reasons=[10] + [0] * (len(Refusal.Reason.choices) - 1),
        incidents=[0] * len(Incident.Kind.choices),
    )


def _open_ended_example() -> PeriodFigures:
    """9 visits by 6 clients, 3 consumption events: the visits are shown as ":" and nothing caps them."""
    return month_figures(
        genders=[0, 1, 5],
        ages=[1] * len(AGE_BANDS),
        extra_visits=3,
        substances=[1, 1, 1],
        routes=[1, 1, 1],
        kinds=[0] * len(Emergency.Kind.choices),
        outcomes=[0] * len(OUTCOMES),
        health=[0] * len(HealthService.Kind.choices),
        reasons=[0] * len(Refusal.Reason.choices),
        incidents=[0] * len(Incident.Kind.choices),
    )


# --- Hypothesis: months of every kind ------------------------------------------------------------

COUNTS = {
    "zero": st.just(0),
    "small": st.integers(1, 9),
    "large": st.integers(10, 80),
    "mixed": st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 40)),
}


@st.composite
def _split(draw, total: int, parts: int) -> list[int]:
    """``total`` shared out over ``parts`` lines at random."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def months(draw) -> PeriodFigures:
    whole_month = draw(st.sampled_from([None, None, None, "small", "zero", "mixed"]))

    def counts(n: int) -> list[int]:
        """n counts of one section, drawn in one manner: many small ones in one section is common."""
        manner = whole_month or draw(st.sampled_from(list(COUNTS)))
        return [draw(COUNTS[manner]) for _ in range(n)]

    def upto(n: int) -> int:
        return draw(st.integers(0, n))

    genders = counts(len(Client.Gender.choices))
    substances = counts(len(SUBSTANCES))
    kinds = counts(len(Emergency.Kind.choices))
    overdoses = sum(
        n for (key, _label), n in zip(Emergency.Kind.choices, kinds, strict=True) if key in Emergency.OVERDOSE_KINDS
    )
    other = sum(kinds) - overdoses
    overdoses_naloxone, other_naloxone = upto(overdoses), upto(other)
    incidents = counts(len(Incident.Kind.choices))
    refusals = counts(len(Refusal.Reason.choices))
    referrals = []
    for made in counts(upto(3)):
        made = max(made, 1)  # a service is listed when it had a referral
        accepted = upto(made)
        referrals.append((made, accepted, upto(accepted)))
    clients = counts(1)[0]
    contact_genders = counts(len(Client.Gender.choices))
    contacts = sum(contact_genders)
    known = upto(contacts)
    known_clients = min(known, max(1, upto(known))) if known else 0  # a known contact has a client
    given = draw(_split(contacts, 3))
    visits = sum(genders) + counts(1)[0]
    return month_figures(
        genders=genders,
        ages=draw(_split(sum(genders), len(AGE_BANDS))),
        extra_visits=visits - sum(genders),
        substances=substances,
        routes=draw(_split(sum(substances), len(ROUTES))),
        kinds=kinds,
        outcomes=draw(_split(sum(kinds), len(OUTCOMES))),
        ambulance=upto(sum(kinds)),
        naloxone=(overdoses_naloxone, other_naloxone, upto(2 * (overdoses_naloxone + other_naloxone))),
        health=counts(len(HealthService.Kind.choices)),
        counseling=(clients + counts(1)[0], clients),
        referrals=referrals,
        items=tuple(counts(2)),
        reasons=refusals,
        brought=draw(_split(upto(sum(refusals)), len(SUBSTANCES))),
        bans=tuple(counts(2)),
        incidents=incidents,
        community=upto(sum(incidents)),
        police=upto(sum(incidents)),
        new=counts(1)[0],
        contacts=(contact_genders, (contacts - known, known), known_clients, tuple(given)),
        intakes=tuple(counts(len(Intake.Outcome.choices))),
        closed=tuple(draw(_split(upto(visits), len(Visit.EndReason.choices)))),
    )


# --- The outsider ------------------------------------------------------------------------------


def published(figures: PeriodFigures) -> dict[tuple[str, str], str]:
    """(section, indicator) -> the text the external CSV (and page) shows, in English."""
    return report_texts(figures)[0]


def report_texts(figures: PeriodFigures) -> tuple[dict, dict]:
    """The external report's text per cell, and the internal one's (the truth), from the real report code."""
    with translation.override("en"):
        sections = report_sections(figures)
    cells = [((section.title, i.label), i) for section in sections for i in section.indicators]
    return (
        {cell: i.text(True, localize=False) for cell, i in cells},
        {cell: i.text(False, localize=False) for cell, i in cells},
    )


def known_relations(cells) -> list[tuple[dict, bool]]:
    """What a reader knows from the labels: ({cell: coefficient}, is_inequality) for sum(...) (= or ≤) 0."""
    visits, people, use = "Visits and clients", "Unique clients by gender and age", "Consumption"
    em, health, counsel = (
        "Overdoses and other medical emergencies",
        "Health services on site",
        "Counseling and referrals",
    )
    refusals, incidents = "Refusals and exclusions", "Security incidents"
    contacts, closed = "Walk-in contacts (without a visit)", "Visits closed without a check-out"

    def lines(section, prefix="", suffix=""):
        return [c for c in cells if c[0] == section and c[1].startswith(prefix) and c[1].endswith(suffix)]

    relations = []

    def same(left, right, at_most=False):
        terms = {}
        for c in left:
            terms[c] = terms.get(c, 0) + 1
        for c in right:
            terms[c] = terms.get(c, 0) - 1
        relations.append((terms, at_most))

    clients = [(visits, "Unique clients (each counted once in the month)")]
    same(clients, [(visits, "Visits")], at_most=True)
    same(clients, lines(people, "Gender: "))
    same(clients, lines(people, "Age: "))
    same([(visits, "Intake interviews")], lines(visits, "Intake interview: "))
    total_contacts = [(contacts, "Walk-in contacts")]
    same(total_contacts, lines(contacts, "Contacts by gender: "))
    same(total_contacts, [(contacts, "Anonymous"), (contacts, "With a client code")])
    same(total_contacts, [(contacts, "Advice only"), (contacts, "Equipment only"), (contacts, "Equipment and advice")])
    same(
        [(contacts, "Clients with a code (each counted once in the month)")],
        [(contacts, "With a client code")],
        at_most=True,
    )
    same([(closed, "Visits closed without a check-out")], lines(closed, "Reason for closing: "))
    same([(closed, "Visits closed without a check-out")], [(visits, "Visits")], at_most=True)
    same([(use, "Consumption events")], lines(use, "Substance: "))
    same([(use, "Consumption events")], lines(use, "Route: "))
    overdoses, other = (em, "Overdoses"), (em, "Other medical emergencies")
    same([overdoses], [(em, "Kind: Opioid overdose"), (em, "Kind: Stimulant overdose")])
    same([other], [(em, "Kind: Seizure"), (em, "Kind: Other medical emergency")])
    same([overdoses, other], lines(em, "Outcome: "))
    same([(em, "Ambulance calls")], [overdoses, other], at_most=True)
    treated, given = (em, "Overdoses treated with naloxone"), (em, "Emergencies in which naloxone was given")
    same([treated], [overdoses], at_most=True)
    same([treated], [given], at_most=True)
    same([given], [treated, other], at_most=True)
    same([given], [(em, "Naloxone doses given")], at_most=True)
    same([(health, "Health services")], [c for c in lines(health) if c[1] != "Health services"])
    same([(counsel, "Clients counseled")], [(counsel, "Counseling sessions")], at_most=True)
    for total, suffix in (("Referrals made", ": made"), ("Referrals accepted by the service", ": accepted")):
        same([(counsel, total)], lines(counsel, suffix=suffix))
    same([(counsel, "Referrals attended")], lines(counsel, suffix=": attended"))
    for made in lines(counsel, suffix=": made"):
        service = made[1].removesuffix(": made")
        same([(counsel, f"{service}: accepted")], [made], at_most=True)
        same([(counsel, f"{service}: attended")], [(counsel, f"{service}: accepted")], at_most=True)
    same([(refusals, "Refusals at the door")], lines(refusals, "Reason: "))
    same(lines(refusals, "Substance brought: "), [(refusals, "Refusals at the door")], at_most=True)
    same([(incidents, "Security incidents")], lines(incidents, "Kind: "))
    same([(incidents, "Community-side incidents")], [(incidents, "Security incidents")], at_most=True)
    same([(incidents, "Incidents with police called")], [(incidents, "Security incidents")], at_most=True)
    return relations


def attack(shown: dict[tuple[str, str], str]) -> dict[tuple[str, str], tuple[float, float]]:
    """For every withheld count, the least and greatest value a linear program finds from the rest."""
    counts = {cell: text for cell, text in shown.items() if cell[0] != "Times" and not cell[1].endswith("(mg)")}
    hidden = [cell for cell, text in counts.items() if text in (SUPPRESSED, COMPLEMENT)]
    column = {cell: i for i, cell in enumerate(hidden)}
    a_eq, b_eq, a_ub, b_ub = [], [], [], []
    for terms, inequality in known_relations(counts):
        row, constant = [0.0] * len(hidden), 0.0
        for cell, coefficient in terms.items():
            if cell in column:
                row[column[cell]] += coefficient
            else:
                constant += coefficient * int(counts[cell])
        (a_ub if inequality else a_eq).append(row)
        (b_ub if inequality else b_eq).append(-constant)
    bounds = [(1, 9) if counts[cell] == SUPPRESSED else (1, None) for cell in hidden]
    ranges = {}
    for cell, i in column.items():
        objective = [0.0] * len(hidden)
        objective[i] = 1.0
        least = _solve(objective, a_ub, b_ub, a_eq, b_eq, bounds)
        assert least is not None, f"{cell}: unbounded below, but every count is at least 1"
        objective[i] = -1.0
        greatest = _solve(objective, a_ub, b_ub, a_eq, b_eq, bounds)
        ranges[cell] = (least, float("inf") if greatest is None else -greatest)
    return ranges


def _solve(objective, a_ub, b_ub, a_eq, b_eq, bounds) -> float | None:
    """The least value of ``objective``, or None when it has none (unbounded below).

    Only HiGHS's "optimal" (0) and "unbounded" (3) are answers; anything else (infeasible, iteration
    limit, numerical trouble) fails the test, since the true figures are always a solution. HiGHS's
    presolve may say only "unbounded or infeasible" (4): solved again without it, it tells which.
    """
    problem = dict(A_ub=a_ub or None, b_ub=b_ub or None, A_eq=a_eq or None, b_eq=b_eq or None, bounds=bounds)
    result = linprog(objective, **problem, method="highs")
    if result.status == 4:
        result = linprog(objective, **problem, method="highs", options={"presolve": False})
    if result.status == 3:
        return None
    assert result.status == 0, f"HiGHS status {result.status}: {result.message}"
    return result.fun


# --- The tests ---------------------------------------------------------------------------------


def test_it_leaves_no_withheld_count_narrower_than_the_protection_interval(capsys):
    narrowest: dict = {"width": float("inf")}
    attacked = []

    # A fixed sample of months (derandomize), the same on every run, and no shrinking (a failing month
    # is reported as drawn): the audit stays reproducible and within CI's time on a slow machine. To
    # explore other months, set derandomize=False and run with --hypothesis-seed=<any number>.
    @settings(
        max_examples=MONTHS_ATTACKED + 20,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(months())
    @example(_issue_example())
    @example(_open_ended_example())
    def outsider_attacks(figures: PeriodFigures) -> None:
        shown, actual = report_texts(figures)
        for terms, inequality in known_relations(actual):  # the generated month is a possible one
            total = sum(c * int(actual[cell]) for cell, c in terms.items())
            assert total <= 0 if inequality else total == 0, terms
        ranges = attack(shown)
        for cell, (low, high) in ranges.items():
            assert low - 1e-6 <= int(actual[cell]) <= high + 1e-6, cell
            assert high - low >= PROTECTION_WIDTH - 1e-6, f"{cell} narrowed to {low:g}–{high:g}: {shown}"
            if high - low < narrowest["width"]:
                narrowest.update(width=high - low, cell=cell, low=low, high=high)
        attacked.append(len(ranges))

    outsider_attacks()

    with capsys.disabled():
        print(
            f"\nDisclosure audit: {len(attacked)} months, {sum(attacked)} withheld counts attacked; "
            f"narrowest interval {narrowest.get('low', 0):g}–{narrowest.get('high', 0):g} "
            f"(width {narrowest['width']:g}, {narrowest.get('cell')})"
        )
    assert len(attacked) >= MONTHS_ATTACKED


def test_it_does_not_give_the_stimulant_overdoses_away_in_the_example():
    """Overdoses 18 and opioid 15 are no longer both shown; the 3 keeps at least five possible values."""
    em = "Overdoses and other medical emergencies"
    shown = published(_issue_example())

    assert shown[(em, "Kind: Stimulant overdose")] == "<10"
    assert COMPLEMENT in (shown[(em, "Overdoses")], shown[(em, "Kind: Opioid overdose")])
    low, high = attack(shown)[(em, "Kind: Stimulant overdose")]
    assert high - low >= PROTECTION_WIDTH


def test_it_finds_no_upper_limit_for_a_withheld_count_that_nothing_caps():
    """The visits are at least the 6 clients and nothing more is known: as wide as can be."""
    visits = ("Visits and clients", "Visits")
    shown = published(_open_ended_example())

    assert shown[visits] == COMPLEMENT
    assert attack(shown)[visits] == (6, float("inf"))


def test_it_withholds_nothing_more_than_the_small_counts_where_nothing_can_be_worked_out():
    shown = published(_issue_example())

    assert shown[("Equipment handed out", "Syringe 1 ml (pcs)")] == "400"
    assert shown[("Overdoses and other medical emergencies", "Kind: Seizure")] == "12"
    assert shown[("Visits and clients", "Visits")] == "242"


def test_it_does_not_give_away_the_contacts_with_a_code_beside_many_anonymous_ones():
    """15 walk-in contacts, 12 anonymous men for advice, 3 women with a code for equipment."""
    contacts = "Walk-in contacts (without a visit)"
    shown = published(month_figures(**_CONTACTS_ONLY))

    assert shown[(contacts, "Walk-in contacts")] == "15"
    assert shown[(contacts, "With a client code")] == SUPPRESSED
    assert shown[(contacts, "Anonymous")] == COMPLEMENT
    ranges = attack(shown)
    for cell in [
        (contacts, "With a client code"),
        (contacts, "Contacts by gender: Woman"),
        (contacts, "Equipment only"),
    ]:
        low, high = ranges[cell]
        assert high - low >= PROTECTION_WIDTH, cell


_CONTACTS_ONLY = dict(
    genders=[0, 0, 0],
    ages=[0] * len(AGE_BANDS),
    substances=[0, 0, 0],
    routes=[0, 0, 0],
    kinds=[0] * len(Emergency.Kind.choices),
    outcomes=[0] * len(OUTCOMES),
    health=[0] * len(HealthService.Kind.choices),
    reasons=[0] * len(Refusal.Reason.choices),
    incidents=[0] * len(Incident.Kind.choices),
    contacts=((12, 3, 0), (12, 3), 3, (12, 3, 0)),
)


# --- The real page and CSV ----------------------------------------------------------------------


def _page_cells(page: str) -> dict[str, str]:
    return {
        html.unescape(label.strip()): html.unescape(value.strip())
        for label, value in re.findall(
            r'<tr data-indicator><th scope="row" class="fw-normal">(.*?)</th><td[^>]*>(.*?)</td>', page, re.S
        )
    }


@pytest.mark.django_db
def test_it_publishes_the_same_withheld_counts_on_the_page_and_in_the_csv_and_says_why(cast, coordinator_en):
    """12 men and 3 women in March: the women are withheld, the men too, the same on the page and in the CSV."""
    with time_machine.travel(at(4, 15, 12), tick=False):
        for n in range(15):
            VisitFactory(
                client=ClientFactory(letters=f"DIS{chr(65 + n)}", gender="M" if n < 12 else "K"),
                checked_in_at=at(3, 2, 8) + dt.timedelta(minutes=10 * n),
                ended_at=at(3, 2, 8) + dt.timedelta(minutes=10 * n + 5),
            )
        page = coordinator_en.get("/reports/monthly/2026-03/?version=external").content.decode()
        csv_text = coordinator_en.get("/reports/monthly/2026-03/csv/?version=external").content.decode("utf-8-sig")

    csv_cells = {}
    for line in csv_text.splitlines()[3:]:
        *_section, indicator, value = line.rsplit(",", 2)
        csv_cells[indicator.strip('"')] = value
    page_cells = _page_cells(page)
    withheld_on_page = {label for label, value in page_cells.items() if value in (SUPPRESSED, COMPLEMENT)}
    withheld_in_csv = {label for label, value in csv_cells.items() if value in (SUPPRESSED, COMPLEMENT)}

    assert withheld_on_page == withheld_in_csv
    assert {"Gender: Man", "Gender: Woman"} <= withheld_on_page
    assert (page_cells["Gender: Woman"], page_cells["Gender: Man"]) == ("<10", ":")
    legend = " ".join(marked_text(page, "withheld-legend").split())
    assert "Counts from 1 to 9 are shown as" in legend
    assert "further counts are withheld too, shown as “:” (withheld, 1 or more)" in legend
    assert "no withheld count can be narrowed to fewer than five possible values" in legend

"""The annual report of 2018 against the two known years (tests.support.scenes.known_year), counted by hand:
each figure beside 2017's with its change, on the page in bokmål and in English and in the CSV; the month
table by Oslo month; the ages by the report's year; the external version's withheld counts and changes.

The figures the scene's dictionaries do not name (deregistrations, mean and median age, share of men,
visits per client, overdoses per 1,000 consumption events, cost) are worked out by hand in the comments."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine

from tests.support.figures import marked_rows
from tests.support.pages import nb, t
from tests.support.scenes.known_year import (
    EXPECTED_2017,
    EXPECTED_2018,
    FEBRUARY_15_2019,
    OVERDOSES_PER_MONTH,
    VISITS_PER_MONTH,
    build_known_year,
)

pytestmark = pytest.mark.django_db

PAGE = "/reports/annual/2018/"
CSV = "/reports/annual/2018/csv/"
WITHHELD = ("<10", ":")

GENDERS = {"M": "Man", "K": "Woman", "A": "Other / not stated"}
AGE_BANDS = {
    "under_20": "Under 20",
    "20_29": "20–29",
    "30_39": "30–39",
    "40_49": "40–49",
    "50_59": "50–59",
    "60_plus": "60 and over",
}
# The scene's substances and routes by their names in the database (bokmål) and in English.
SUBSTANCES = {"Heroin": "Heroin", "Amfetamin": "Amphetamine"}
ROUTES = {"Injeksjon": "Injection", "Røyking": "Smoking"}


@pytest.fixture
def known_year(cast):
    """The two years built, and time standing still at noon on 15 February 2019 (Oslo)."""
    with time_machine.travel(FEBRUARY_15_2019, tick=False):
        yield build_known_year(cast)


def _figures(e: dict[str, Any], language: str) -> dict[str, Any]:
    """The hand-counted figures of one year, by the label the report gives each in ``language``."""

    def label(msgid: str, **values: str) -> str:
        if language == "nb":
            return t(msgid, **values)
        return msgid % values if values else msgid

    def name(english: str) -> str:
        return nb(english) if language == "nb" else english

    rows: dict[str, Any] = {
        label("Visits"): e["visits"],
        label("Unique clients (each counted once in the year)"): e["unique_clients"],
        label("New registrations"): e["new_registrations"],
        label("Walk-in contacts"): e["contacts"],
        label("Anonymous"): e["contacts_anonymous"],
        label("With a client code"): e["contacts_known"],
        label("Consumption events"): e["consumption_events"],
        label("Overdoses"): e["overdoses"],
        label("Emergencies in which naloxone was given"): e["naloxone_events"],
        label("Naloxone doses given"): e["naloxone_doses"],
        label("Naloxone given in total (mg)"): e["naloxone_mg"],
        label("Other medical emergencies"): e["other_emergencies"],
        label("Ambulance calls"): e["ambulance_calls"],
        label("Refusals at the door"): sum(e["refusals"].values()),
        label("Reason: %(name)s", name=name("Too intoxicated")): e["refusals"].get("intoxicated", 0),
        label("Reason: %(name)s", name=name("Outside opening hours")): e["refusals"].get("hours", 0),
    }
    rows.update({label("Gender: %(name)s", name=name(GENDERS[k])): n for k, n in e["gender"].items()})
    rows.update({label("Age: %(name)s", name=name(AGE_BANDS[k])): n for k, n in e["age"].items()})
    for names, key in ((SUBSTANCES, "consumption_by_substance"), (ROUTES, "consumption_by_route")):
        msgid = "Substance: %(name)s" if key == "consumption_by_substance" else "Route: %(name)s"
        for stored, english in names.items():
            rows[label(msgid, name=stored if language == "nb" else english)] = e[key].get(stored, 0)
    return rows


def _plain(value: Any) -> str:
    """A figure as the CSV writes it: plain digits, the naloxone in mg with two decimals."""
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def _change(now: Any, before: Any) -> list[str]:
    """The change and the change in per cent, as the CSV writes them (no per cent of nothing)."""
    difference = now - before
    text = _plain(difference)
    change = f"+{text}" if difference > 0 else text
    if not before:
        return [change, ""]
    percent = round(float(now) / float(before) * 100 - 100, 1)
    return [change, f"+{percent:.1f} %" if percent > 0 else f"{percent:.1f} %"]


def _expected(language: str) -> dict[str, list[str]]:
    """``{label: [2018, 2017, change, change in per cent]}`` for every hand-counted figure."""
    now, before = _figures(EXPECTED_2018, language), _figures(EXPECTED_2017, language)
    return {key: [_plain(now[key]), _plain(before[key]), *_change(now[key], before[key])] for key in now}


def _csv(response) -> dict[tuple[str, str], list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    return {(row[0], row[1]): row[2:] for row in rows[1:]}


def _by_label(rows: dict[tuple[str, str], list[str]]) -> dict[str, list[str]]:
    """The report's rows by label (each label is in one section only), the month table left out."""
    return {label: values for (section, label), values in rows.items() if not section.startswith("Month ")}


class _IndicatorRows(HTMLParser):
    """The cells of each ``<tr data-indicator>`` of the page: label, this year, last year, change, per cent."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and "data-indicator" in dict(attrs):
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self.row is not None and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _page_rows(response, language: str) -> dict[str, list[str]]:
    """The page's rows by label, the numbers written as the CSV writes them (no grouping, a decimal point)."""
    parser = _IndicatorRows()
    parser.feed(response.content.decode())

    def plain(text: str) -> str:
        text = text.replace("\xa0", "").replace(" ", "")
        text = text.replace(",", ".") if language == "nb" else text.replace(",", "")
        return text.removesuffix("%") + " %" if text.endswith("%") else text

    return {row[0]: [plain(cell) for cell in row[1:]] for row in parser.rows}


def test_its_csv_shows_every_hand_counted_figure_beside_2017s_with_the_change(known_year, reader):
    rows = _by_label(_csv(reader("coordinator", "en").get(CSV)))

    assert rows["Year"][:2] == ["2018", "2017"]
    assert {label: rows[label] for label in _expected("en")} == _expected("en")
    # Spelled out for the headline figures: 5 visits against 7 (−2, −28.6 %); 1 registration against 4
    # (T only; S at 23:30 on 31 December 2017 and P at 00:15 on 1 January 2017 are 2017's); 2 overdoses
    # each year; no ambulance in 2018 against 2 (E1, E3): −100 %.
    assert rows["Visits"] == ["5", "7", "-2", "-28.6 %"]
    assert rows["New registrations"] == ["1", "4", "-3", "-75.0 %"]
    assert rows["Overdoses"] == ["2", "2", "0", "0.0 %"]
    assert rows["Ambulance calls"] == ["0", "2", "-2", "-100.0 %"]
    # Over 60 in 2018 (R), none in 2017: no per cent of nothing.
    assert rows["Age: 60 and over"] == ["1", "0", "+1", ""]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_its_page_shows_every_hand_counted_figure_beside_2017s_with_the_change(known_year, reader, language):
    response = reader("coordinator", language).get(PAGE)
    assert response.status_code == 200
    rows = _page_rows(response, language)

    assert {label: rows[label] for label in _expected(language)} == _expected(language)


def test_it_adds_the_annual_figures_worked_out_by_hand(known_year, reader):
    rows = _by_label(_csv(reader("coordinator", "en").get(CSV)))

    # No client of the scene is deregistered.
    assert rows["Deregistrations"] == ["0", "0", "0", ""]
    # 2018 (age = 2018 − birth year): Q 20, P 30, S 33, T 40, R 60: 183 / 5 = 36.6; median 33.
    # 2017: Q 19, P 29, S 32, U 47, R 59: 186 / 5 = 37.2; median 32. 36.6 / 37.2 = 0.984: −1.6 %; 33 / 32: +3.1 %.
    assert rows["Mean age (years)"] == ["36.6", "37.2", "-0.6", "-1.6 %"]
    assert rows["Median age (years)"] == ["33.0", "32.0", "+1.0", "+3.1 %"]
    # Men P and R of 5 in 2018 = 40 %; P, U and R of 5 in 2017 = 60 %: −20 percentage points, no per cent.
    assert rows["Share of men (%)"] == ["40.0", "60.0", "-20.0", ""]
    # 2018: T1, P4, Q2, R2, S2, each client once. 2017: P three times (P1, P2, P3), U, Q, R and S once.
    assert rows["Clients who visited once"] == ["5", "4", "+1", "+25.0 %"]
    assert rows["Clients who visited 2–5 times"] == ["0", "1", "-1", "-100.0 %"]
    for more in ("6–20 times", "21–100 times", "more than 100 times"):
        assert rows[f"Clients who visited {more}"] == ["0", "0", "0", ""]
    # 2 overdoses / 2 consumption events × 1,000 = 1,000; 2017: 2 / 4 × 1,000 = 500: +500, +100 %.
    assert rows["Overdoses per 1,000 consumption events"] == ["1000.00", "500.00", "+500.00", "+100.0 %"]
    # Only 2017 has a budget (18,300,000 kr, the facility's default): / 7 visits = 2,614,286; / 5 clients
    # = 3,660,000. 2018 has none: no cost, and no change.
    assert rows["Budget for the year (NOK)"] == ["", "18300000", "", ""]
    assert rows["Cost per visit (NOK)"] == ["", "2614286", "", ""]
    assert rows["Cost per client (NOK)"] == ["", "3660000", "", ""]


def test_it_counts_the_ages_by_the_reports_year(known_year, reader):
    """P (29 → 30), Q (19 → 20), R (59 → 60) and T (39 → 40) each change band across New Year: each year's
    column counts them at that year's age, not at the other year's or today's (2019)."""
    rows = _by_label(_csv(reader("coordinator", "en").get(CSV)))
    bands = {band: rows[f"Age: {name}"][:2] for band, name in AGE_BANDS.items()}

    # 2018: Q 20, P 30, S 33, T 40, R 60. 2017: Q 19, P 29, S 32, U 47, R 59 (T did not come in 2017).
    assert bands == {
        "under_20": ["0", "1"],
        "20_29": ["1", "1"],
        "30_39": ["2", "1"],
        "40_49": ["1", "1"],
        "50_59": ["0", "1"],
        "60_plus": ["1", "0"],
    }
    assert {band: int(now) for band, (now, _before) in bands.items()} == EXPECTED_2018["age"]
    assert {band: int(before) for band, (_now, before) in bands.items()} == EXPECTED_2017["age"]


MONTHS_2018 = [dt.date(2018, month, 1) for month in range(1, 13)]


def test_its_month_table_counts_2018_by_oslo_month(known_year, reader):
    rows = _csv(reader("coordinator", "en").get(CSV))

    def column(label: str) -> list[int]:
        return [int(rows[(f"Month {month:%Y-%m}", label)][0]) for month in MONTHS_2018]

    # T1 and P4 (00:40 and 00:50 on 1 January, 2017 in UTC) and Q2 are January's; S2 (23:30 on 31 December)
    # is December's; V1 (00:20 on 1 January 2019, 2018 in UTC) is no month of 2018. E4 and E5 likewise.
    assert column("Visits") == [VISITS_PER_MONTH.get(month, 0) for month in MONTHS_2018]
    assert column("Overdoses") == [OVERDOSES_PER_MONTH.get(month, 0) for month in MONTHS_2018]
    assert sum(column("Visits")) == EXPECTED_2018["visits"]
    assert sum(column("Overdoses")) == EXPECTED_2018["overdoses"]
    # January in full: T, P, Q; T1's booth; E4 with naloxone, no ambulance; Q refused at 00:10; T registered
    # at 00:30; P's contact at 00:40. December: S2, and R refused at 23:45; V's refusal at 00:05 on
    # 1 January 2019 and V's registration are 2019's.
    assert [rows[("Month 2018-01", label)][0] for label in _month_labels()] == [
        "3", "3", "1", "1", "1", "0", "1", "1", "1", "0",
    ]  # fmt: skip
    assert [rows[("Month 2018-12", label)][0] for label in _month_labels()] == [
        "1", "1", "0", "0", "0", "0", "1", "0", "0", "0",
    ]  # fmt: skip


def _month_labels() -> list[str]:
    return [
        "Visits",
        "Unique clients",
        "Consumption events",
        "Overdoses",
        "Naloxone emergencies",
        "Ambulance calls",
        "Refusals",
        "New registrations",
        "Walk-in contacts",
        "Health services",
    ]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_its_month_table_on_the_page_counts_2018_by_oslo_month(known_year, reader, language):
    table = marked_rows(reader("coordinator", language).get(PAGE).content.decode(), "month-table-rows")
    header, months, total = table[0], table[1:-1], table[-1]
    visits, overdoses = header.index(t("Visits") if language == "nb" else "Visits"), 4

    assert header[overdoses] == (t("Overdoses") if language == "nb" else "Overdoses")
    assert [row[0] for row in months][:1] == [("januar" if language == "nb" else "January")]
    assert [int(row[visits]) for row in months] == [VISITS_PER_MONTH.get(m, 0) for m in MONTHS_2018]
    assert [int(row[overdoses]) for row in months] == [OVERDOSES_PER_MONTH.get(m, 0) for m in MONTHS_2018]
    assert (int(total[visits]), int(total[overdoses])) == (EXPECTED_2018["visits"], EXPECTED_2018["overdoses"])


def test_its_external_version_withholds_exactly_the_small_counts(known_year, reader):
    """Every count of the scene is below 10 but the 10 syringes: each count from 1 to 9 is withheld, and each
    0 and the 10 are shown. By hand, 2018 withholds: visits 5, clients 5, registrations 1, men 2, women 2,
    other 1, ages 20–29 1, 30–39 2, 40–49 1, 60+ 1, P's contact (1: a man's, with a code, equipment only),
    consumption 2 (heroin, amphetamine, injection, smoking 1 each), overdoses 2 (both opioid, both
    recovered), naloxone 2 overdoses, 2 emergencies, 2 doses, refusals 2 (too intoxicated 1, outside the
    hours 1), the 5 clients who came once, and the months' cells from 1 to 3: January's eight (all but the
    ambulance and the health services), June's five (visits, clients, consumption, overdose, naloxone) and
    December's three (visit, client, refusal). 2017 withholds its 7 visits, 5 clients, 4 registrations,
    men 3, women 1, other 1, the five ages 1 each, 2 anonymous contacts (a man, a woman; advice 1, equipment
    1, 2 needles), 4 consumption events (heroin 3, amphetamine 1, injection 3, smoking 1), 2 overdoses
    (opioid 1, stimulant 1), 1 seizure, naloxone 1 overdose, 1 emergency, 2 doses, 2 ambulance calls,
    recovered 2, hospital 1, refusals 2 (1 and 1), the 4 who came once and P, who came 2–5 times."""
    internal = _csv(reader("coordinator", "en").get(CSV))
    external = _csv(reader("coordinator", "en").get(CSV + "?version=external"))
    assert internal.keys() == external.keys()

    counts = 0
    for key, values in internal.items():
        for year in (0, 1):
            value, shown = values[year], external[key][year]
            # Counts only: the year, and the hours and kroner (measures, below), are none.
            if not value.isdigit() or key[1] == "Year" or key[0] == "Overdoses, staffing and cost":
                continue
            counts += 1
            if 0 < int(value) < 10:
                assert shown in WITHHELD, key
            else:
                assert shown == value, key
    assert counts > 200  # every count of both years and of the twelve months was looked at

    rows = _by_label(external)
    assert rows["Visits"][0] in WITHHELD and rows["Visits"][1] in WITHHELD
    assert rows["Age: Under 20"][0] == "0" and rows["Age: Under 20"][1] in WITHHELD
    # The 10 syringes P took on 1 January 2018 (none in 2017): both published, and so the change.
    assert rows["Syringe 1 ml (pcs)"] == ["10", "0", "+10", ""]
    # The ages rest on 5 clients each year: fewer than 10.
    assert rows["Mean age (years)"][:2] == ["n<10", "n<10"]
    assert rows["Median age (years)"][:2] == ["n<10", "n<10"]
    # The share of men would tell the withheld men (2 and 3) with the clients; the rate, the overdoses and
    # consumption events; the cost per visit and per client, 2017's visits and clients (and 2018's, though it
    # has no cost); the naloxone in mg, the withheld doses (2 each year).
    for label in (
        "Share of men (%)",
        "Overdoses per 1,000 consumption events",
        "Cost per visit (NOK)",
        "Cost per client (NOK)",
        "Naloxone given in total (mg)",
    ):
        assert rows[label] == [":", ":", "", ""], label
    # The month table: January's and June's small cells withheld, the empty months 0.
    assert external[("Month 2018-01", "Visits")][0] == "<10"
    assert external[("Month 2018-02", "Visits")][0] == "0"


def test_its_external_version_shows_no_change_where_either_year_is_withheld(known_year, reader):
    internal = _by_label(_csv(reader("coordinator", "en").get(CSV)))
    external = _by_label(_csv(reader("coordinator", "en").get(CSV + "?version=external")))

    for label, (now, before, change, percent) in external.items():
        if label in {"Year", "Version"}:
            continue
        if {now, before} & {"<10", ":", "n<10"}:
            assert (change, percent) == ("", ""), label
        else:
            assert [now, before, change, percent] == internal[label], label
    # 0 in 2018 against a withheld 1 in 2017 (Q, under 20): no change, though 0 is shown.
    assert external["Age: Under 20"] == ["0", "<10", "", ""]
    # The opening hours are no count: published both years, with their change.
    assert external["Hours open"][2:] == ["0.0", "0.0 %"]
    # No ambulance in 2018; E1's and E3's 2 in 2017 withheld.
    assert external["Ambulance calls"] == ["0", "<10", "", ""]


def test_its_external_page_shows_no_change_where_either_year_is_withheld(known_year, reader):
    rows = _page_rows(reader("coordinator", "nb").get(PAGE + "?version=external"), "nb")

    assert rows[t("Visits")][2:] == ["", ""]
    assert rows[t("Ambulance calls")] == ["0", "<10", "", ""]
    assert rows[t("Age: %(name)s", name=nb("Under 20"))] == ["0", "<10", "", ""]
    assert rows[t("Mean age (years)")] == ["n<10", "n<10", "", ""]

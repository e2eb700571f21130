"""The pages and actions the benchmark measures, each with who uses it and what one request needs.

A page is found by its URL name; one whose view has not been written yet is reported as missing, not
as a failure. Actions change state, so each repetition acts on a fresh object (a client not yet
checked in, a visit waiting for a booth) that ``prepare`` makes outside the measured time, and
``cleanup`` puts the floor back as it was so that every repetition sees the same floor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bench.floor import Floor
from health.models import Emergency, Intervention
from visits.models import BoothSession, Client, ObservationCheck, Visit

STATION, REPORT = "station", "report"


class Missing(Exception):
    """The page's URL name does not exist (yet)."""


@dataclass
class State:
    """What the pages need to know about the database being measured."""

    floor: Floor
    heavy: Client  # the client with the most visits: the longest card and timeline
    codes: list[str]  # codes of clients with visits, to search for as reception does
    near_codes: list[str]  # codes one letter away from a registered one: the near-match search
    month: dt.date  # the last full month, for the monthly report
    observed: list[Visit] = field(default_factory=list)
    target: Any = None  # what the current repetition acts on: a client or a visit, as the page needs


def url(name: str, *, query: str = "", **kwargs) -> str:
    try:
        path = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        raise Missing(name) from None
    return f"{path}?{query}" if query else path


def last_whole_year(state: State) -> int:
    """The last year whose every month is over, from the last full month."""
    return state.month.year if state.month.month == 12 else state.month.year - 1


def month_url(name: str, month: dt.date) -> str:
    """The month as the converter takes it: a date, or ``YYYY-MM`` text."""
    for value in (month, f"{month:%Y-%m}"):
        try:
            return url(name, month=value)
        except Missing:
            continue
        except (AttributeError, TypeError, ValueError):
            continue
    raise Missing(name)


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    group: str
    user: str  # the role of the member of the cast who uses it
    url: Callable[[State, int], str]
    method: str = "GET"
    htmx: bool = False
    data: Callable[[State, int], dict] | None = None
    prepare: Callable[[State, int], None] | None = None
    verify: Callable[[State, int, object], str] | None = None  # an error message, or "" when it worked
    cleanup: Callable[[State, int], None] | None = None
    status: int = 200


# Preparing actions on fresh objects ----------------------------------------------------------------


def _fresh_client(state: State, i: int) -> None:
    state.target = state.floor.fresh.client()


def _checked_in(state: State, i: int) -> str:
    found = Visit.objects.filter(client=state.target, ended_at__isnull=True).exists()
    return "" if found else "no open visit after the check-in"


def _check_out_target(state: State, i: int) -> None:
    visit = Visit.objects.filter(client=state.target, ended_at__isnull=True).first()
    if visit is not None:
        state.floor.check_out(visit)


def _waiting_visit(state: State, i: int) -> None:
    state.floor.free_a_booth()
    state.target = state.floor.check_in()


def _in_booth(state: State, i: int) -> str:
    found = BoothSession.objects.filter(visit=state.target, ended_at__isnull=True).exists()
    return "" if found else "no booth session after the assignment"


def _end_target_session(state: State, i: int) -> None:
    session = BoothSession.objects.filter(visit=state.target, ended_at__isnull=True).first()
    if session is not None:
        state.floor.end_session(session, observe=False)


def _observed_visit(state: State, i: int) -> None:
    if not state.observed:
        state.observed = state.floor.observed_visits()
    state.target = state.observed[i % len(state.observed)] if state.observed else None


def _check_note(i: int) -> str:
    return f"Runde {i}"


def _checked(state: State, i: int) -> str:
    found = ObservationCheck.objects.filter(visit=state.target, note=_check_note(i)).exists()
    return "" if found else "no check recorded"


def _arrived(state: State, i: int) -> None:
    state.target = state.floor.check_in()


def _emergency_opened(state: State, i: int) -> str:
    found = Emergency.objects.filter(client=state.target.client, ended_at__isnull=True).exists()
    return "" if found else "no open emergency after pressing the button"


def _end_emergency_and_visit(state: State, i: int) -> None:
    """Close the target's emergency and check the client out: the floor as it was before ``prepare``."""
    visit = state.target.visit if isinstance(state.target, Emergency) else state.target
    assert visit is not None  # the benchmark opens emergencies only for clients on the floor
    for emergency in Emergency.objects.filter(client=visit.client, ended_at__isnull=True):
        state.floor.close_emergency(emergency)
    visit.refresh_from_db()
    if visit.ended_at is None:
        state.floor.check_out(visit)


def _fresh_emergency(state: State, i: int) -> None:
    state.target = state.floor.open_emergency(state.floor.check_in())


def _intervention_recorded(state: State, i: int) -> str:
    found = Intervention.objects.filter(emergency=state.target, kind=Intervention.Kind.OXYGEN).exists()
    return "" if found else "no intervention recorded"


def _year_range(state: State, i: int) -> str:
    """The dashboard's longest range: the last 365 days up to today."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=364)
    return urlencode({"period": "custom", "start": first.isoformat(), "end": today.isoformat()})


def _shows(text: Callable[[State, int], str]) -> Callable[[State, int, object], str]:
    def verify(state: State, i: int, response) -> str:
        wanted = text(state, i)
        return "" if wanted in response.content.decode() else f"{wanted} is not on the page"

    return verify


def _target_pk(state: State) -> int:
    return state.target.pk if state.target is not None else 0


PAGES = [
    Page(
        "search",
        "Client search (htmx)",
        STATION,
        "reception",
        lambda s, i: url("visits:reception-search", query=urlencode({"q": s.codes[i % len(s.codes)]})),
        htmx=True,
        verify=_shows(lambda s, i: s.codes[i % len(s.codes)]),
    ),
    Page(
        "search-near",
        "Client search, near matches",
        STATION,
        "reception",
        lambda s, i: url("visits:reception-search", query=urlencode({"q": s.near_codes[i % len(s.near_codes)]})),
        htmx=True,
    ),
    Page("reception", "Reception page", STATION, "reception", lambda s, i: url("visits:reception")),
    Page(
        "client-card",
        "Client card (heavy client)",
        STATION,
        "reception",
        lambda s, i: url("visits:client-detail", pk=s.heavy.pk),
        verify=_shows(lambda s, i: s.heavy.code),
    ),
    Page(
        "check-in",
        "Check-in (POST)",
        STATION,
        "reception",
        lambda s, i: url("visits:client-check-in", pk=_target_pk(s)),
        method="POST",
        data=lambda s, i: {"substance": s.floor.substance.pk, "intoxication": "none", "dose": "0,2 g"},
        prepare=_fresh_client,
        verify=lambda s, i, r: _checked_in(s, i),
        cleanup=_check_out_target,
        status=302,
    ),
    Page("floor-board", "Floor board (htmx)", STATION, "duty", lambda s, i: url("visits:floor-board"), htmx=True),
    Page("floor", "Floor page", STATION, "duty", lambda s, i: url("visits:floor")),
    Page(
        "injection-board",
        "Injection board (htmx)",
        STATION,
        "health",
        lambda s, i: url("visits:injection-board"),
        htmx=True,
    ),
    Page(
        "observation-board",
        "Observation board (htmx)",
        STATION,
        "health",
        lambda s, i: url("visits:observation-board"),
        htmx=True,
    ),
    Page(
        "booth-assign",
        "Booth assignment (POST)",
        STATION,
        "health",
        lambda s, i: url("visits:booth-assign", pk=_target_pk(s)),
        method="POST",
        htmx=True,
        data=lambda s, i: {
            "booth": "",
            "route": s.floor.route.pk,
            "substance": s.floor.substance.pk,
            "kit": "on",
            "panel": "injection",
        },
        prepare=_waiting_visit,
        verify=lambda s, i, r: _in_booth(s, i),
        cleanup=_end_target_session,
    ),
    Page(
        "observation-check",
        "Observation check (POST)",
        STATION,
        "health",
        lambda s, i: url("visits:observation-check", pk=_target_pk(s)),
        method="POST",
        htmx=True,
        data=lambda s, i: {"state": "alert", "note": _check_note(i), "panel": "observation"},
        prepare=_observed_visit,
        verify=lambda s, i, r: _checked(s, i),
    ),
    Page("health-room", "Health room", STATION, "health", lambda s, i: url("health:room")),
    Page(
        "emergency-open",
        "Opening an emergency (POST)",
        STATION,
        "health",
        lambda s, i: url("health:emergency-open"),
        method="POST",
        data=lambda s, i: {"client_id": str(s.target.client_id)},
        prepare=_arrived,
        verify=lambda s, i, r: _emergency_opened(s, i),
        cleanup=_end_emergency_and_visit,
        status=302,
    ),
    Page(
        "intervention",
        "Recording an intervention (POST)",
        STATION,
        "health",
        lambda s, i: url("health:emergency-intervention", pk=_target_pk(s)),
        method="POST",
        data=lambda s, i: {"kind": Intervention.Kind.OXYGEN, "at": "", "note": ""},
        prepare=_fresh_emergency,
        verify=lambda s, i, r: _intervention_recorded(s, i),
        cleanup=_end_emergency_and_visit,
        status=302,
    ),
    Page("interview-room", "Interview room", STATION, "counselor", lambda s, i: url("counseling:interview")),
    Page(
        "client-timeline",
        "Client timeline (heavy client)",
        STATION,
        "coordinator",
        lambda s, i: url("counseling:client-timeline", pk=s.heavy.pk),
    ),
    Page(
        "dashboard",
        "Dashboard, this month",
        REPORT,
        "coordinator",
        lambda s, i: url("reports:dashboard", query="period=month"),
    ),
    Page(
        "dashboard-year",
        "Dashboard, a year's range",
        REPORT,
        "coordinator",
        lambda s, i: url("reports:dashboard", query=_year_range(s, i)),
    ),
    Page(
        "monthly-report",
        "Monthly report",
        REPORT,
        "coordinator",
        lambda s, i: month_url("reports:monthly", s.month),
    ),
    Page(
        "monthly-csv",
        "Monthly report, CSV",
        REPORT,
        "coordinator",
        lambda s, i: month_url("reports:monthly-csv", s.month),
    ),
    Page(
        "annual-report",
        "Annual report, the last whole year",
        REPORT,
        "coordinator",
        lambda s, i: url("reports:annual", year=last_whole_year(s)),
    ),
]
PAGE_NAMES = [page.name for page in PAGES]

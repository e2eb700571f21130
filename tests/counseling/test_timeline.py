"""The client timeline: everything in time order, a month to a page, each item only for the roles allowed to see it."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from counseling.models import CounselingSession
from stations.selectors.timeline import PER_PAGE
from tests.support.factories import heroin, make_client
from tests.support.pages import nb, text_of
from tests.support.scenes.history import INTAKE_NOTES, READ_AT, SESSION_NOTES
from tests.support.time import NOON, oslo
from visits.models import Booth, BoothSession, Client, Contact, Observation, Route, Visit


def minutes(n: int) -> str:
    return nb("%(minutes)d min") % {"minutes": n}


REFERRED = nb("Referred to %(service)s") % {"service": "NAV"}
SESSION = nb("Counseling session, %(duration)s") % {"duration": minutes(45)}
VISIT = nb("Visit, %(duration)s") % {"duration": nb("%(hours)d h %(minutes)02d min") % {"hours": 1, "minutes": 0}}
OVERDOSE = nb("Emergency: %(kind)s") % {"kind": nb("Opioid overdose")}
WOUND_CARE = nb("Health service: %(kind)s") % {"kind": nb("Wound care")}


@pytest.fixture
def at_noon(facility):
    with time_machine.travel(READ_AT, tick=False) as traveller:
        yield traveller


def timeline(client_for, role: str, person: Client, month: str = ""):
    query = f"?month={month}" if month else ""
    return client_for(role).get(f"/interview/clients/{person.pk}/timeline/{query}")


def text(client_for, role: str, person: Client, month: str = "") -> str:
    response = timeline(client_for, role, person, month)
    assert response.status_code == 200
    return text_of(response.content)


# Order and paging -------------------------------------------------------------------------------------


def test_it_shows_the_month_with_the_latest_records_first_newest_on_top(client_for, history, at_noon):
    page = text(client_for, "coordinator", history)

    assert "March 2026" in page or "Mars 2026" in page
    order = [
        nb("Referral to %(service)s: %(status)s") % {"service": "NAV", "status": nb("Sent")},
        REFERRED,
        SESSION,
        WOUND_CARE,
        OVERDOSE,
        VISIT,
    ]
    positions = [page.index(title) for title in order]
    assert positions == sorted(positions)


def test_it_shows_a_visit_with_its_rooms_and_timers_in_order(client_for, history, at_noon):
    page = text(client_for, "coordinator", history)

    visit = page[page.index(VISIT) :]
    booth = nb("%(booth)s, %(duration)s (limit %(limit)d min)") % {
        "booth": nb("Booth %(label)s") % {"label": "1"},
        "duration": minutes(20),
        "limit": 30,
    }
    steps = [
        "14:00 " + nb("Checked in"),
        "14:05 " + booth,
        "14:25 " + nb("Observation, %(duration)s (minimum %(minimum)d min)") % {"duration": minutes(20), "minimum": 15},
        "14:30 " + nb("Check: %(state)s") % {"state": nb("Hard to rouse")},
        "15:00 " + nb("Checked out"),
    ]
    positions = [visit.index(step) for step in steps]
    assert positions == sorted(positions)


def test_it_pages_back_month_by_month_with_older_and_newer_links(client_for, history, at_noon):
    response = timeline(client_for, "coordinator", history)
    assert '?month=2026-02"' in response.content.decode()

    february = text(client_for, "coordinator", history, "2026-02")
    assert nb("Banned until %(end)s") % {"end": "21.2.2026 16:00"} in february
    assert nb("Turned away: %(reason)s") % {"reason": nb("Too intoxicated")} in february
    assert VISIT not in february

    january = text(client_for, "coordinator", history, "2026-01")
    assert nb("Registered") in january
    assert nb("Intake interview: %(outcome)s") % {"outcome": nb("Accepted")} in january
    html = timeline(client_for, "coordinator", history, "2026-01").content.decode()
    assert 'data-testid="older"' not in html
    assert '?month=2026-02" data-testid="newer"' in html


def test_it_lists_the_months_with_records_and_how_many(client_for, history, at_noon):
    html = timeline(client_for, "coordinator", history).content.decode()

    assert html.count('href="?month=2026-01"') == 1
    assert "(2)" in text_of(html)  # January: registration and intake


@pytest.mark.parametrize("month", ["2026-13", "abc", "99999-01", "2026-03-01", "0-0"])
def test_it_shows_the_latest_month_for_a_month_that_makes_no_sense(client_for, history, at_noon, month):
    page = text(client_for, "coordinator", history, month)

    assert SESSION in page


@pytest.mark.parametrize("month", ["x", "2026-13"])
def test_it_says_the_month_asked_for_is_not_a_month(client_for, history, at_noon, month):
    page = text(client_for, "coordinator", history, month)

    assert f"«{month}» er ikke en måned; bruk formen ÅÅÅÅ-MM." in page
    assert SESSION in page


@pytest.mark.parametrize("month", ["9999-12", "1999-12"])
def test_it_says_the_month_asked_for_is_out_of_range(client_for, history, at_noon, month):
    page = text(client_for, "coordinator", history, month)

    assert "Velg en dato mellom 1. januar 2000 og 31. desember 2100." in page
    assert SESSION in page


def test_it_says_when_a_month_has_nothing(client_for, history, at_noon):
    page = text(client_for, "coordinator", history, "2025-06")

    assert nb("Nothing recorded this month.") in page


def test_it_opens_for_a_client_with_no_history_at_the_registration(client_for, cast, at_noon):
    person = make_client("NEWBIE1999K", by=cast["reception"], at=NOON)

    page = text(client_for, "reception", person)

    assert nb("Registered") in page


def test_it_shows_a_busy_month_a_page_at_a_time_latest_first(client_for, cast, at_noon):
    busy = with_visits("BUSY1980M", 40, by=cast["health"], step=dt.timedelta(hours=5))  # all in March, registered too
    http = client_for("counselor")

    first = http.get(f"/interview/clients/{busy.pk}/timeline/").content.decode()
    assert first.count('data-kind="visit"') == PER_PAGE
    assert nb("Items %(first)s–%(last)s of %(total)s, latest first") % {"first": 1, "last": PER_PAGE, "total": 41} in (
        text_of(first)
    )
    assert 'href="?month=2026-03&amp;page=2" data-testid="earlier"' in first
    assert 'data-testid="later"' not in first
    assert nb("Registered") not in text_of(first)

    second = http.get(f"/interview/clients/{busy.pk}/timeline/?month=2026-03&page=2").content.decode()
    assert second.count('data-kind="visit"') == 40 - PER_PAGE
    assert nb("Registered") in text_of(second)
    assert 'href="?month=2026-03&amp;page=1" data-testid="later"' in second
    assert 'data-testid="earlier"' not in second


def visits_shown(html: str) -> list[tuple[str, str]]:
    """Each visit on the page as a person finds it: (the day's heading, the time)."""
    shown, day = [], ""
    pattern = r'<section class="mb-3" aria-label="([^"]+)"|data-kind="visit".*?text-nowrap">([^<]+)<'
    for match in re.finditer(pattern, html, re.S):
        if match[1]:
            day = match[1]
        else:
            shown.append((day, match[2]))
    return shown


def test_it_puts_each_visit_of_a_busy_month_on_one_page_only(client_for, cast, at_noon):
    busy = with_visits("BUSY1980M", 40, by=cast["health"], step=dt.timedelta(hours=5))

    pages = [timeline(client_for, "coordinator", busy, f"2026-03&page={n}").content.decode() for n in (1, 2)]

    shown = visits_shown(pages[0]) + visits_shown(pages[1])
    assert len(shown) == len(set(shown)) == 40


@pytest.mark.parametrize("number", ["0", "-1", "abc", "²", "999999999"])
def test_it_shows_the_nearest_page_for_a_page_that_makes_no_sense(client_for, history, at_noon, number):
    page = text(client_for, "coordinator", history, f"2026-03&page={number}")

    assert SESSION in page


# Who sees what ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["health", "duty", "coordinator"])
def test_it_shows_consumption_and_checks_to_the_clinical_roles(client_for, history, at_noon, role):
    page = text(client_for, role, history)

    assert "Heroin (0.2 g)" in page
    assert "Heroin, Injeksjon" in page
    assert nb("Hard to rouse") in page


@pytest.mark.parametrize("role", ["reception", "counselor"])
def test_it_shows_others_the_timers_but_not_what_was_used(client_for, history, at_noon, role):
    page = text(client_for, role, history)

    assert (
        nb("%(booth)s, %(duration)s (limit %(limit)d min)")
        % {
            "booth": nb("Booth %(label)s") % {"label": "1"},
            "duration": minutes(20),
            "limit": 30,
        }
        in page
    )
    assert nb("Observation, %(duration)s (minimum %(minimum)d min)") % {"duration": minutes(20), "minimum": 15} in page
    assert "Heroin" not in page
    assert nb("Hard to rouse") not in page
    assert "Slow breathing" not in page


@pytest.mark.parametrize("role", ["counselor", "coordinator"])
def test_it_shows_counseling_and_intake_notes_to_counselors_and_coordinators(client_for, history, at_noon, role):
    assert SESSION_NOTES in text(client_for, role, history)
    assert INTAKE_NOTES in text(client_for, role, history, "2026-01")


def test_it_shows_the_duty_officer_the_session_but_not_the_next_steps_or_the_notes(client_for, history, at_noon):
    page = text(client_for, "duty", history)

    assert SESSION in page
    assert "Meet again on Friday" not in page
    assert SESSION_NOTES not in page
    assert INTAKE_NOTES not in text(client_for, "duty", history, "2026-01")


@pytest.mark.parametrize("role", ["reception", "health"])
def test_it_hides_counseling_sessions_from_reception_and_health(client_for, history, at_noon, role):
    page = text(client_for, role, history)

    assert SESSION not in page
    assert "Meet again on Friday" not in page
    assert nb("Family") not in page


@pytest.mark.parametrize("role", ["health", "duty", "coordinator"])
def test_it_shows_the_emergency_in_clinical_detail_to_the_clinical_roles(client_for, history, at_noon, role):
    page = text(client_for, role, history)

    assert f"{OVERDOSE}, {minutes(19)}" in page
    assert nb("Naloxone") in page
    assert nb("Recovered on site") in page
    assert WOUND_CARE in page


@pytest.mark.parametrize("role", ["counselor", "reception"])
def test_it_tells_others_only_that_an_emergency_happened(client_for, history, at_noon, role):
    page = text(client_for, role, history)

    assert nb("A medical emergency") in page
    assert nb("Opioid overdose") not in page
    assert nb("Naloxone") not in page
    assert WOUND_CARE not in page
    assert "forearm" not in page


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "coordinator"])
def test_it_shows_referrals_and_bans_to_everyone_who_may_see_the_client(client_for, history, at_noon, role):
    assert REFERRED in text(client_for, role, history)
    assert "Threatened staff" in text(client_for, role, history, "2026-02")


@pytest.mark.parametrize("role", ["admin", "norole"])
def test_it_is_forbidden_for_staff_who_may_not_see_clients(client_for, history, at_noon, role):
    assert timeline(client_for, role, history).status_code == 403


def test_it_answers_404_for_a_client_that_does_not_exist(client_for, at_noon):
    assert client_for("counselor").get("/interview/clients/999999/timeline/").status_code == 404


def test_it_is_linked_from_the_client_card(client_for, history, at_noon):
    html = client_for("reception").get(f"/clients/{history.pk}/").content.decode()

    assert f'href="/interview/clients/{history.pk}/timeline/"' in html


# Speed ------------------------------------------------------------------------------------------------


def with_visits(code: str, count: int, *, by, step: dt.timedelta) -> Client:
    """A client with ``count`` closed visits going back from noon, each with a booth session and observation."""
    person = make_client(code, by=by, at=NOON - count * step - dt.timedelta(days=1))
    substance, route, booth = heroin(), Route.objects.get(name_en="Injection"), Booth.objects.first()
    visits = Visit.objects.bulk_create(
        Visit(
            client=person,
            checked_in_at=NOON - n * step,
            checked_in_by=by,
            location=Visit.Location.GONE,
            location_since=NOON - n * step + dt.timedelta(minutes=40),
            ended_at=NOON - n * step + dt.timedelta(minutes=40),
            ended_by=by,
            duration_seconds=40 * 60,
            substance=substance,
        )
        for n in range(1, count + 1)
    )
    sessions = BoothSession.objects.bulk_create(
        BoothSession(
            visit=visit,
            booth=booth,
            route=route,
            substance=substance,
            started_at=visit.checked_in_at + dt.timedelta(minutes=5),
            started_by=by,
            time_limit_minutes=30,
            ended_at=visit.checked_in_at + dt.timedelta(minutes=20),
            ended_by=by,
            outcome=BoothSession.Outcome.OBSERVATION,
            duration_seconds=15 * 60,
        )
        for visit in visits
    )
    Observation.objects.bulk_create(
        Observation(
            visit=session.visit,
            booth_session=session,
            started_at=session.ended_at,
            started_by=by,
            min_minutes=15,
            ended_at=session.ended_at + dt.timedelta(minutes=20),
            released_by=by,
            released_to=Visit.Location.GONE,
            duration_seconds=20 * 60,
        )
        for session in sessions
    )
    return person


def queries_for_timeline(http, person: Client, query: str = "") -> tuple[int, float, str]:
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = http.get(f"/interview/clients/{person.pk}/timeline/{query}")
    assert response.status_code == 200
    return len(queries), time.perf_counter() - started, response.content.decode()


def test_it_makes_the_same_number_of_queries_for_20_and_2000_visits(client_for, cast, facility, record_property):
    few = with_visits("FEW1980M", 20, by=cast["health"], step=dt.timedelta(days=1))
    many = with_visits("MANY1980M", 2000, by=cast["health"], step=dt.timedelta(hours=8))
    http = client_for("coordinator")
    http.get(f"/interview/clients/{few.pk}/timeline/")  # sessions and permissions cached alike for both

    few_queries, _few_seconds, few_html = queries_for_timeline(http, few)
    many_queries, many_seconds, many_html = queries_for_timeline(http, many)

    record_property("timeline_queries", many_queries)
    record_property("timeline_seconds_2000_visits", round(many_seconds, 3))
    assert few_queries == many_queries
    assert many_queries <= 15  # about 5 for the page itself, the rest for the session, user and header
    assert many_seconds < 2.0
    # One month a page: March 2026 up to noon on the 10th, three visits a day for the many.
    assert few_html.count('data-kind="visit"') == 9
    assert many_html.count('data-kind="visit"') == 28
    assert '?year=2024"' in many_html  # the years reach back to the first record's
    assert '?month=2024-06"' not in many_html  # the index of months is the shown year's


def test_it_makes_the_same_number_of_queries_whatever_the_month_holds(client_for, cast, history, at_noon):
    newcomer = make_client("NEWBIE1999K", by=cast["reception"], at=NOON)
    busy = with_visits("BUSY1980M", 40, by=cast["health"], step=dt.timedelta(hours=5))
    http = client_for("coordinator")
    http.get(f"/interview/clients/{newcomer.pk}/timeline/")  # sessions and permissions cached alike for all

    counts = {
        "registration only": queries_for_timeline(http, newcomer)[0],
        "sessions, referrals, an emergency with naloxone": queries_for_timeline(http, history)[0],
        "a ban and a refusal": queries_for_timeline(http, history, "?month=2026-02")[0],
        "nothing": queries_for_timeline(http, history, "?month=2025-06")[0],
        "the second page of a busy month": queries_for_timeline(http, busy, "?month=2026-03&page=2")[0],
        "another year": queries_for_timeline(http, history, "?year=2025")[0],
    }

    assert len(set(counts.values())) == 1, counts


# The index of months, a year at a time --------------------------------------------------------------


def spread_over_years(cast) -> Client:
    """A client registered in November 2024, in twice in March 2025 (with a counseling session), once in
    December 2025, three times in February 2026, with a walk-in contact on each side of midnight at New Year."""
    reception, health = cast["reception"], cast["health"]
    person = make_client("SPREAD1980M", by=reception, at=oslo(dt.date(2024, 11, 15), 10))
    substance = heroin()
    days = [dt.date(2025, 3, 3), dt.date(2025, 3, 20), dt.date(2025, 12, 5)] + [dt.date(2026, 2, d) for d in (2, 9, 16)]
    Visit.objects.bulk_create(
        Visit(
            client=person,
            checked_in_at=oslo(day, 14),
            checked_in_by=health,
            location=Visit.Location.GONE,
            location_since=oslo(day, 15),
            ended_at=oslo(day, 15),
            ended_by=health,
            duration_seconds=3600,
            substance=substance,
        )
        for day in days
    )
    Contact.objects.bulk_create(
        Contact(client=person, gender="M", equipment=True, at=at, by=reception)
        for at in (oslo(dt.date(2025, 12, 31), 23, 30), oslo(dt.date(2026, 1, 1), 0, 30))
    )
    CounselingSession.objects.create(
        client=person,
        counselor=cast["counselor"],
        started_at=oslo(dt.date(2025, 3, 20), 16),
        ended_at=oslo(dt.date(2025, 3, 20), 16, 45),
        duration_seconds=45 * 60,
        recorded_at=oslo(dt.date(2025, 3, 20), 17),
    )
    return person


def month_index(html: str) -> dict[str, int]:
    """The index of months as a person reads it: each month's name (the shown one too) and its count."""
    index = html[html.index('id="index-heading"') :]
    pattern = (
        r'<li>(?:<strong aria-current="page">|<a href="\?month=[\d-]+">)([^<]+)</(?:strong|a)>\s*<span[^>]*>\((\d+)\)'
    )
    return {name: int(count) for name, count in re.findall(pattern, index)}


def test_it_counts_the_shown_years_months_from_every_source_in_local_time(client_for, cast, facility):
    person = spread_over_years(cast)

    with time_machine.travel(NOON, tick=False):
        html = timeline(client_for, "coordinator", person).content.decode()

    # February 2026 is the latest with anything; the New Year's Day contact at 00:30 is January's.
    assert month_index(html) == {"Februar": 3, "Januar": 1}
    assert html.count('data-kind="visit"') == 3
    assert '<div class="fw-semibold" data-testid="index-year">2026</div>' in html


def test_it_lists_the_years_and_opens_another_at_its_latest_month(client_for, cast, facility):
    person = spread_over_years(cast)

    with time_machine.travel(NOON, tick=False):
        latest = timeline(client_for, "coordinator", person).content.decode()
        years = re.search(r'data-testid="years">(.*?)</ul>', latest, re.S)
        assert years is not None
        assert re.findall(r">(\d{4})<", years[1]) == ["2026", "2025", "2024"]
        assert 'href="?year=2025"' in years[1]
        html = client_for("coordinator").get(f"/interview/clients/{person.pk}/timeline/?year=2025").content.decode()

    assert re.search(r'data-testid="month">\s*Desember 2025', html)
    # December: a visit and the contact at 23:30 on New Year's Eve; March: two visits and a session.
    assert month_index(html) == {"Desember": 2, "Mars": 3}
    assert html.count('data-kind="contact"') == 1


def test_it_pages_older_and_newer_across_the_turn_of_a_year(client_for, cast, facility):
    person = spread_over_years(cast)

    with time_machine.travel(NOON, tick=False):
        december = timeline(client_for, "coordinator", person, "2025-12").content.decode()
        march = timeline(client_for, "coordinator", person, "2025-03").content.decode()
        january = timeline(client_for, "coordinator", person, "2026-01").content.decode()

    assert 'href="?month=2026-01" data-testid="newer"' in december
    assert 'href="?month=2025-03" data-testid="older"' in december
    assert 'href="?month=2024-11" data-testid="older"' in march
    assert 'href="?month=2025-12" data-testid="older"' in january


@pytest.mark.parametrize("year", ["abc", "0000", "1999", "9999", "20255", "²⁰²⁵"])
def test_it_shows_the_latest_month_for_a_year_that_makes_no_sense(client_for, history, at_noon, year):
    page = text(client_for, "coordinator", history, f"&year={year}")

    assert SESSION in page


def test_it_says_when_a_year_has_nothing(client_for, cast, facility):
    person = spread_over_years(cast)

    with time_machine.travel(NOON, tick=False):
        html = client_for("coordinator").get(f"/interview/clients/{person.pk}/timeline/?year=2023").content.decode()

    assert nb("Nothing recorded this year.") in text_of(html)
    assert 'href="?month=2024-11" data-testid="newer"' in html

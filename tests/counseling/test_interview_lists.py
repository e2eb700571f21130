"""The interview room's lists on a busy site: the first rows of each, how many more there are, and a link to
the whole list, at the same cost however many there are."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext, override

from audit.models import AccessLogEntry
from counseling.models import CounselingSession, Referral, Topic
from counseling.selectors.intake import AWAITING_SHOWN
from counseling.selectors.referrals import FOLLOW_UPS_SHOWN
from counseling.selectors.sessions import SESSIONS_SHOWN
from counseling.views.referrals import REFERRALS_PER_PAGE
from health.services import emergency_open
from tests.support.admin import change_in_admin
from tests.support.factories import service, topic
from tests.support.pages import marked_text, nb, text_of
from tests.support.rooms import in_booth
from tests.support.time import NOON, TUESDAY
from visits.models import Client

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


def nb_plural(singular: str, plural: str, n: int) -> str:
    with override("nb"):
        return ngettext(singular, plural, n) % {"more": n}


def more_due(n: int) -> str:
    return nb_plural("%(more)s more is due.", "%(more)s more are due.", n)


@pytest.fixture
def at_noon(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def code(prefix: str, n: int) -> str:
    """A client's code: the prefix, three letters distinct for each n, a birth year and a gender."""
    letters = "".join(chr(ord("A") + (n // 26**k) % 26) for k in (2, 1, 0))
    return f"{prefix}{letters}1980M"


def clients(prefix: str, count: int, *, by, status=Client.Status.ACTIVE, at=NOON - 30 * DAY) -> list[Client]:
    """``count`` clients registered an hour apart going back from ``at``, the first the latest."""
    return Client.objects.bulk_create(
        Client(
            code=code(prefix, n),
            birth_year=1980,
            gender="M",
            status=status,
            registered_at=at - n * HOUR,
            registered_by=by,
        )
        for n in range(count)
    )


def due_referrals(count: int, *, by, prefix: str = "DUE") -> list[Referral]:
    """``count`` open referrals, one per client, followed up on a day each going back from today: the first
    is due today, the last the longest overdue."""
    nav = service()
    return Referral.objects.bulk_create(
        Referral(
            client=person,
            service=nav,
            created_at=NOON - (n + 10) * DAY,
            created_by=by,
            status=Referral.Status.PROPOSED,
            status_changed_at=NOON - (n + 10) * DAY,
            follow_up_on=TUESDAY - n * DAY,
        )
        for n, person in enumerate(clients(prefix, count, by=by))
    )


def sessions(count: int, *, by, prefix: str = "SES") -> list[CounselingSession]:
    """``count`` sessions in the last seven days, an hour apart going back from noon."""
    return CounselingSession.objects.bulk_create(
        CounselingSession(
            client=person,
            counselor=by,
            started_at=NOON - (n + 1) * HOUR,
            ended_at=NOON - n * HOUR - dt.timedelta(minutes=15),
            duration_seconds=45 * 60,
            recorded_at=NOON - n * HOUR,
        )
        for n, person in enumerate(clients(prefix, count, by=by))
    )


def follow_up_codes(html: str) -> list[str]:
    """The clients of the follow-up rows, in the order shown."""
    return re.findall(r'data-testid="follow-up-row">\s*<td><a class="font-monospace" href="[^"]+">([^<]+)<', html)


# Follow-ups due ---------------------------------------------------------------------------------------


def test_it_shows_the_longest_overdue_follow_ups_up_to_the_cap_and_how_many_more_are_due(client_for, cast, at_noon):
    referrals = due_referrals(FOLLOW_UPS_SHOWN + 7, by=cast["counselor"])

    html = client_for("counselor").get("/interview/").content.decode()

    longest_overdue = [r.client.code for r in reversed(referrals)][:FOLLOW_UPS_SHOWN]
    assert follow_up_codes(html) == longest_overdue
    assert more_due(7) in text_of(html)


def test_it_links_the_more_due_to_the_list_of_every_open_referral(client_for, cast, at_noon):
    referrals = due_referrals(FOLLOW_UPS_SHOWN + 7, by=cast["counselor"])
    http = client_for("counselor")

    html = http.get("/interview/").content.decode()
    more = re.search(r'data-testid="follow-ups-more">.*?<a href="([^"]+)"', html, re.S)
    assert more is not None
    listed = http.get(more[1])

    assert listed.status_code == 200
    page = text_of(listed.content)
    assert nb("Open referrals") in page
    assert all(r.client.code in page for r in referrals)  # the ones left out of the room too


def test_it_says_nothing_more_when_every_due_follow_up_is_shown(client_for, cast, at_noon):
    due_referrals(FOLLOW_UPS_SHOWN, by=cast["counselor"])

    html = client_for("counselor").get("/interview/").content.decode()

    assert len(follow_up_codes(html)) == FOLLOW_UPS_SHOWN
    assert 'data-testid="follow-ups-more"' not in html


def test_it_says_one_more_in_the_singular(client_for, cast, at_noon):
    due_referrals(FOLLOW_UPS_SHOWN + 1, by=cast["counselor"])

    page = text_of(client_for("counselor").get("/interview/").content)

    assert more_due(1) in page
    assert more_due(1) != more_due(2)


def test_it_logs_a_view_of_the_shown_follow_ups_only(client_for, cast, at_noon):
    referrals = due_referrals(FOLLOW_UPS_SHOWN + 7, by=cast["counselor"])

    client_for("counselor").get("/interview/")

    logged = set(AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.REFERRAL).values_list("client_id", flat=True))
    assert logged == {r.client_id for r in referrals[-FOLLOW_UPS_SHOWN:]}


# The follow-up list, a page at a time -----------------------------------------------------------------


def test_it_lists_the_open_referrals_a_page_at_a_time_soonest_follow_up_first(client_for, cast, at_noon):
    referrals = due_referrals(REFERRALS_PER_PAGE + 5, by=cast["counselor"])
    http = client_for("duty")

    first = http.get("/interview/referrals/").content.decode()
    second = http.get("/interview/referrals/?page=2").content.decode()

    soonest = [r.client.code for r in reversed(referrals)]
    assert all(c in first for c in soonest[:REFERRALS_PER_PAGE])
    assert not any(c in first for c in soonest[REFERRALS_PER_PAGE:])
    assert all(c in second for c in soonest[REFERRALS_PER_PAGE:])
    assert 'href="?page=2" data-testid="later"' in first
    assert 'href="?page=1" data-testid="sooner"' in second


# Clients waiting for intake and the week's sessions ---------------------------------------------------


def test_it_shows_the_latest_registered_clients_waiting_for_intake_and_how_many_more(client_for, cast, at_noon):
    waiting = clients("WAIT", AWAITING_SHOWN + 4, by=cast["reception"], status=Client.Status.PENDING)

    html = client_for("counselor").get("/interview/").content.decode()
    page = text_of(html)

    assert all(person.code in page for person in waiting[:AWAITING_SHOWN])
    assert not any(person.code in page for person in waiting[AWAITING_SHOWN:])
    assert (
        nb_plural(
            "%(more)s more client registered earlier is waiting for intake.",
            "%(more)s more clients registered earlier are waiting for intake.",
            4,
        )
        in page
    )


def test_it_shows_the_latest_sessions_of_the_week_and_how_many_more(client_for, cast, at_noon):
    held = sessions(SESSIONS_SHOWN + 3, by=cast["counselor"])

    page = text_of(client_for("counselor").get("/interview/").content)

    assert all(session.client.code in page for session in held[:SESSIONS_SHOWN])
    assert not any(session.client.code in page for session in held[SESSIONS_SHOWN:])
    assert (
        nb_plural(
            "%(more)s earlier session in the last 7 days is not shown; each is on the client's timeline.",
            "%(more)s earlier sessions in the last 7 days are not shown; each is on the client's timeline.",
            3,
        )
        in page
    )


# Cost -------------------------------------------------------------------------------------------------


def queries_for_interview_room(http) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = http.get("/interview/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_it_makes_the_same_number_of_queries_for_a_few_rows_and_many(client_for, cast, at_noon):
    counselor, reception = cast["counselor"], cast["reception"]
    due_referrals(3, by=counselor)
    clients("WAIT", 3, by=reception, status=Client.Status.PENDING)
    sessions(3, by=counselor)
    http = client_for("counselor")
    http.get("/interview/")  # sessions and permissions cached alike for both
    few_queries, few_html = queries_for_interview_room(http)

    due_referrals(80, by=counselor, prefix="MDUE")
    clients("MWAIT", 80, by=reception, status=Client.Status.PENDING)
    sessions(80, by=counselor, prefix="MSES")
    many_queries, many_html = queries_for_interview_room(http)

    assert len(follow_up_codes(few_html)) == 3
    assert len(follow_up_codes(many_html)) == FOLLOW_UPS_SHOWN
    assert few_queries == many_queries


def test_it_costs_at_most_ten_queries_with_an_emergency_open_and_the_floor_unchanged(client_for, cast, at_noon):
    counselor, reception = cast["counselor"], cast["reception"]
    due_referrals(3, by=counselor)
    clients("WAIT", 3, by=reception, status=Client.Status.PENDING)
    for session in sessions(3, by=counselor):
        session.topics.set([topic("Housing"), topic("Health")])
    emergency_open(client=in_booth("ALRM1985M", cast["health"], label="2").visit.client, by=cast["health"])
    http = client_for("counselor")
    http.get("/interview/")  # the session, permissions, settings and the open emergency kept from here on

    count, html = queries_for_interview_room(http)

    assert "ALRM1985M" in marked_text(html, "alarm")
    assert count <= 10


# The topics of the week's sessions --------------------------------------------------------------------


def _topics_shown(html: str) -> list[str]:
    return [text_of(badge) for badge in re.findall(r'<span class="badge rounded-pill[^"]*">([^<]*)</span>', html)]


def test_it_shows_each_sessions_topics_in_the_lists_order(client_for, cast, at_noon):
    chosen = [topic("Housing"), topic("Health"), topic("Family")]
    sessions(1, by=cast["counselor"])[0].topics.set(chosen)

    html = client_for("counselor").get("/interview/").content.decode()

    in_order = sorted(chosen, key=lambda t: (t.position, t.pk))
    assert _topics_shown(html) == [t.name for t in in_order]


def test_it_shows_a_topic_renamed_in_the_admin_on_the_next_page(client_for, cast, at_noon):
    housing = topic("Housing")
    sessions(1, by=cast["counselor"])[0].topics.set([housing])
    http = client_for("counselor")
    assert _topics_shown(http.get("/interview/").content.decode()) == [housing.name]  # the topics kept from here

    change_in_admin(cast["admin"], housing, name="Bolig og husleie")

    assert _topics_shown(http.get("/interview/").content.decode()) == ["Bolig og husleie"]


def test_it_shows_a_topic_added_since_the_page_before(client_for, cast, at_noon):
    held = sessions(1, by=cast["counselor"])[0]
    held.topics.set([topic("Housing")])
    http = client_for("counselor")
    http.get("/interview/")  # the topics kept from here
    added = Topic.objects.create(name="Arbeid", name_en="Work", position=99)

    held.topics.add(added)

    assert _topics_shown(http.get("/interview/").content.decode()) == [topic("Housing").name, "Arbeid"]

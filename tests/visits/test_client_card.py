"""The client card: what reception needs to know about a client, in one screen and a few queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone, translation

from counseling.models import Intake
from health.models import Emergency
from health.services import emergency_answer, emergency_close, emergency_open
from tests.support.admin import change_in_admin
from tests.support.factories import BanFactory, ClientFactory, RefusalFactory, VisitFactory, heroin, past_visits
from tests.support.pages import marked_text, marked_texts, nb, text_of
from tests.support.queries import own_queries
from tests.support.rooms import in_booth
from tests.support.time import NOON
from visits.models import Client, Substance, Visit


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def card(http, client: Client):
    response = http.get(f"/clients/{client.pk}/")
    assert response.status_code == 200
    return response


def nb_date(moment: dt.datetime, pattern: str) -> str:
    """A date as the card shows it in bokmål."""
    with translation.override("nb"):
        return dateformat.format(timezone.localtime(moment), pattern)


def intake(client: Client, by, **fields) -> Intake:
    answers = {
        "is_adult": True,
        "long_term_heroin_dependence": True,
        "harmful_injection_practice": True,
        "consent_given": True,
        "house_rules_explained": True,
        "harm_reduction_advice_given": True,
        "outcome": Intake.Outcome.ACCEPTED,
    }
    return Intake.objects.create(client=client, by=by, at=NOON - dt.timedelta(days=40), **{**answers, **fields})


def test_it_shows_the_code_and_status(reception):
    client = ClientFactory(code="MAKO1990K")

    response = card(reception, client)

    assert marked_text(response.content, "client-code") == "MAKO1990K"
    assert marked_text(response.content, "client-status") == nb("Active")


def test_it_shows_a_deregistered_status(reception):
    client = ClientFactory(status=Client.Status.DEREGISTERED)

    response = card(reception, client)

    assert marked_text(response.content, "client-status") == nb("Deregistered")


def test_it_shows_an_active_ban_with_its_reason_and_end(reception):
    ends = NOON + dt.timedelta(days=14)
    client = ClientFactory()
    BanFactory(client=client, reason="Threatened staff", ends_at=ends)

    alert = marked_text(card(reception, client).content, "ban-alert")

    assert nb("Banned") in alert
    assert "Threatened staff" in alert
    assert nb_date(ends, "j. F Y H:i") in alert


def test_it_shows_a_ban_until_further_notice(reception):
    client = ClientFactory()
    BanFactory(client=client, ends_at=None)

    alert = marked_text(card(reception, client).content, "ban-alert")

    assert nb("until further notice") in alert


def test_it_shows_no_ban_once_it_has_been_lifted(reception, cast):
    client = ClientFactory()
    BanFactory(client=client, lifted_at=NOON - dt.timedelta(minutes=5), lifted_by=cast["duty"], lift_reason="Apology")

    assert marked_texts(card(reception, client).content, "ban-alert") == []


def test_it_warns_of_a_ban_that_has_not_started_yet(reception):
    client = ClientFactory()
    starts = NOON + dt.timedelta(days=1)
    BanFactory(client=client, reason="Starts tomorrow", starts_at=starts)

    response = card(reception, client)

    assert marked_texts(response.content, "ban-alert") == []
    assert nb("A ban starts %(start)s.") % {"start": nb_date(starts, "j. F Y H:i")} in text_of(response.content)


def test_it_says_when_intake_is_not_done(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    response = card(reception, client)

    assert nb("Intake not done. Send the client to the interview room before check-in.") in marked_text(
        response.content, "intake-alert"
    )
    assert nb("not done") in text_of(response.content)


def test_it_shows_the_date_intake_was_done(reception, cast):
    client = ClientFactory()
    done = intake(client, cast["counselor"])

    response = card(reception, client)

    assert marked_texts(response.content, "intake-alert") == []
    assert nb_date(done.at, "j.n.Y") in text_of(response.content)


def test_it_counts_the_visits_of_the_last_30_days(reception, cast):
    client = ClientFactory()
    past_visits(client, 40, by=cast["reception"], before=NOON)

    response = card(reception, client)

    assert marked_text(response.content, "visits-30") == "30"


def test_it_shows_the_last_visit(reception, cast):
    client = ClientFactory()
    past_visits(client, 3, by=cast["reception"], before=NOON)

    response = card(reception, client)

    assert nb_date(NOON - dt.timedelta(days=1), "j.n.Y H:i") in text_of(response.content)


def test_it_shows_that_the_client_is_inside_and_where(reception):
    client = ClientFactory()
    VisitFactory(
        client=client,
        checked_in_at=NOON - dt.timedelta(minutes=20),
        location=Visit.Location.BOOTH,
        location_since=NOON - dt.timedelta(minutes=10),
    )

    alert = marked_text(card(reception, client).content, "inside-alert")

    assert (
        nb("Inside now: %(where)s since %(since)s (checked in %(checked_in)s).")
        % {
            "where": nb("Booth"),
            "since": "11:50",
            "checked_in": "11:40",
        }
        == alert
    )


def test_it_offers_no_check_in_while_the_client_is_inside(reception):
    client = ClientFactory()
    VisitFactory(client=client)

    response = card(reception, client)

    assert f'action="/clients/{client.pk}/check-in/"' not in response.content.decode()


def test_it_shows_recent_refusals(reception):
    client = ClientFactory()
    RefusalFactory(client=client, at=NOON - dt.timedelta(days=2))

    response = card(reception, client)

    assert nb("Too intoxicated") in text_of(response.content)


def test_it_never_shows_intake_notes(client_for, at_noon, cast):
    client = ClientFactory(status=Client.Status.PENDING)
    intake(
        client,
        cast["counselor"],
        outcome=Intake.Outcome.REFUSED,
        long_term_heroin_dependence=False,
        refusal_reason="Not heroin dependent",
        notes="Talked about the family in Os",
    )

    for role in ("reception", "counselor", "duty", "coordinator"):
        content = card(client_for(role), client).content.decode()
        assert "family in Os" not in content


def test_it_never_shows_the_notes_of_an_accepted_intake(reception, cast):
    client = ClientFactory()
    intake(client, cast["counselor"], notes="Sleeps at the shelter on Wednesdays")

    assert "shelter" not in card(reception, client).content.decode()


def test_it_is_forbidden_without_access_to_clients(client_for, at_noon):
    client = ClientFactory()

    assert client_for("norole").get(f"/clients/{client.pk}/").status_code == 403


def test_it_uses_the_same_number_of_queries_whatever_the_history(reception, cast):
    short, long = ClientFactory(), ClientFactory()
    for client, days in ((short, 3), (long, 300)):
        past_visits(client, days, by=cast["reception"], before=NOON)
        for n in range(1, min(days, 20)):
            RefusalFactory(client=client, at=NOON - dt.timedelta(days=n, hours=1), by=cast["reception"])
            BanFactory(
                client=client,
                starts_at=NOON - dt.timedelta(days=n * 3, hours=2),
                ends_at=NOON - dt.timedelta(days=n * 3, hours=1),
            )
    card(reception, short)  # the session and permissions are cached from here on

    with CaptureQueriesContext(connection) as few:
        card(reception, short)
    with CaptureQueriesContext(connection) as many:
        card(reception, long)

    assert len(many) == len(few)


def test_it_uses_the_same_number_of_queries_for_a_client_waiting_for_intake(reception, cast):
    active, pending = ClientFactory(), ClientFactory(status=Client.Status.PENDING)
    intake(active, cast["counselor"])
    intake(pending, cast["counselor"], outcome=Intake.Outcome.REFUSED, refusal_reason="Not from Bergen")
    card(reception, active)  # the session and permissions are cached from here on

    with CaptureQueriesContext(connection) as accepted:
        card(reception, active)
    with CaptureQueriesContext(connection) as refused:
        response = card(reception, pending)

    alert = marked_text(response.content, "intake-alert")
    assert nb("Refused at intake on %(date)s.").split(" %(date)s")[0] in alert
    assert "Not from Bergen" not in alert  # the counselor's reason is not for reception
    assert len(refused) == len(accepted)


def test_it_asks_the_database_at_most_seven_things_of_its_own(reception, cast):
    client = ClientFactory()
    past_visits(client, 40, by=cast["reception"], before=NOON)  # not inside: the card offers the check-in
    RefusalFactory(client=client, at=NOON - dt.timedelta(days=2), by=cast["reception"])
    BanFactory(client=client, starts_at=NOON + dt.timedelta(days=1), ends_at=NOON + dt.timedelta(days=2))
    intake(client, cast["counselor"])
    card(reception, client)

    with CaptureQueriesContext(connection) as queries:
        card(reception, client)

    # The client (with whether they overdosed lately), the access log, the visits, bans, intake, recent
    # refusals and open referrals. The substances the forms list are kept from the card before until a
    # setting changes.
    assert len(own_queries(queries)) <= 7, "\n".join(own_queries(queries))
    assert not [sql for sql in own_queries(queries) if '"visits_substance"' in sql]


def test_it_costs_at_most_ten_queries_with_an_emergency_open_and_the_floor_unchanged(reception, cast):
    client = ClientFactory()
    past_visits(client, 40, by=cast["reception"], before=NOON)
    intake(client, cast["counselor"])
    overdosed = in_booth("ALRM1985M", cast["health"], label="2").visit.client
    emergency_answer(emergency=emergency_open(client=overdosed, by=cast["health"])[0], by=cast["duty"])
    card(reception, client)  # the session, permissions, settings and the open emergency kept from here on

    with CaptureQueriesContext(connection) as queries:
        response = card(reception, client)

    assert "ALRM1985M" in marked_text(response.content, "alarm")
    assert len(queries) <= 10, "\n".join(q["sql"] for q in queries.captured_queries)


def test_it_flags_an_overdose_of_the_last_days_and_only_for_that_client(reception, cast):
    overdosed = in_booth("ALRM1985M", cast["health"], label="2").visit.client
    emergency, _created = emergency_open(client=overdosed, by=cast["health"])  # an opioid overdose
    emergency_close(emergency=emergency, outcome=Emergency.Outcome.RECOVERED, by=cast["health"])

    assert 'data-testid="overdose-flag"' in card(reception, overdosed).content.decode()
    assert 'data-testid="overdose-flag"' not in card(reception, ClientFactory()).content.decode()


def test_it_lists_a_substance_renamed_in_the_admin_on_the_next_card(reception, cast):
    client, substance = ClientFactory(), heroin()
    card(reception, client)  # the substances are kept from here on
    change_in_admin(cast["admin"], substance, name="Heroin (røykt)")

    html = card(reception, client).content.decode()

    assert f'<option value="{substance.pk}">Heroin (røykt)</option>' in html


def test_it_lists_a_substance_added_in_the_admin_on_the_next_card(reception, cast):
    client = ClientFactory()
    card(reception, client)  # the substances are kept from here on
    added = Substance.objects.create(name="Amfetamin", name_en="Amphetamine", enabled=True, position=50)

    html = card(reception, client).content.decode()

    assert f'<option value="{added.pk}">Amfetamin</option>' in html


def test_it_preselects_the_substance_the_client_brought_last_time(reception, cast):
    client = ClientFactory(code="LAST1980M")
    second = Substance.objects.create(name="Kokain", name_en="Cocaine", enabled=True, position=99)
    VisitFactory(
        client=client,
        substance=second,
        checked_in_at=NOON - dt.timedelta(days=2),
        ended_at=NOON - dt.timedelta(days=2, hours=-1),
    )

    html = card(reception, client).content.decode()

    assert f'<option value="{second.pk}" selected>' in html


def test_it_preselects_no_substance_no_longer_allowed(reception, cast):
    client = ClientFactory(code="LAST1980M")
    gone = Substance.objects.create(name="Kokain", name_en="Cocaine", enabled=False, position=99)
    VisitFactory(client=client, substance=gone, checked_in_at=NOON - dt.timedelta(days=2), ended_at=NOON)

    html = card(reception, client).content.decode()

    assert f'<option value="{gone.pk}" selected>' not in html

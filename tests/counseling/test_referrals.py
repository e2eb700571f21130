"""Referrals: made from any station, moved through their statuses by rules that refuse what makes no sense."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import override

from counseling.models import Referral
from counseling.selectors import referrals_take_up
from counseling.services import referral_create, referral_set_status
from tests.support.factories import heroin, make_client, service
from tests.support.pages import nb, text_of
from tests.support.races import race
from tests.support.time import NOON, TUESDAY, oslo
from visits.models import Visit

S = Referral.Status


@pytest.fixture
def person(cast, at_noon):
    return make_client(by=cast["reception"])


@pytest.fixture
def referral(person, cast) -> Referral:
    return referral_create(client=person, service=service(), by=cast["counselor"], note="Appointment about benefits")


def label_nb(status: str) -> str:
    with override("nb"):
        return str(S(status).label)


def move(referral: Referral, *steps: str, by, reason: str = "") -> Referral:
    for step in steps:
        referral = referral_set_status(referral=referral, to_status=step, by=by, reason=reason)
    return referral


def refused(referral: Referral, to_status: str, by, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        referral_set_status(referral=referral, to_status=to_status, by=by, **kwargs)
    return info.value


# Making a referral ------------------------------------------------------------------------------------


def test_it_makes_a_proposed_referral_with_its_first_change_dated_and_signed(referral, cast):
    assert referral.status == S.PROPOSED
    assert referral.created_by == cast["counselor"]
    [change] = referral.changes.all()
    assert (change.from_status, change.to_status, change.at, change.by) == ("", S.PROPOSED, NOON, cast["counselor"])


def test_it_sets_the_follow_up_a_week_ahead_unless_given(referral, person, cast):
    assert referral.follow_up_on == TUESDAY + dt.timedelta(days=7)

    other = referral_create(
        client=person, service=service("Housing"), by=cast["counselor"], follow_up_on=TUESDAY + dt.timedelta(days=2)
    )

    assert other.follow_up_on == TUESDAY + dt.timedelta(days=2)


def test_it_refuses_a_follow_up_date_in_the_past(person, cast):
    with pytest.raises(ValidationError) as info:
        referral_create(client=person, service=service(), by=cast["counselor"], follow_up_on=TUESDAY - dt.timedelta(1))

    assert info.value.messages == [nb("The follow-up date cannot be in the past.")]

    assert not Referral.objects.exists()


def test_it_refuses_a_second_open_referral_to_the_same_service(referral, person, cast):
    with pytest.raises(ValidationError) as info:
        referral_create(client=person, service=service(), by=cast["health"])

    assert info.value.code == "already_open"

    assert Referral.objects.count() == 1


def test_it_lets_the_database_refuse_a_second_open_referral_too(referral, person, cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            client=person,
            service=service(),
            created_at=NOON,
            created_by=cast["counselor"],
            status_changed_at=NOON,
        )


def test_it_refers_again_once_the_first_referral_is_closed(referral, person, cast):
    move(referral, S.SENT, S.ATTENDED, by=cast["counselor"])

    again = referral_create(client=person, service=service(), by=cast["counselor"])

    assert again.status == S.PROPOSED


def test_it_refuses_a_service_no_longer_in_use(person, cast):
    nav = service()
    nav.enabled = False
    nav.save()

    with pytest.raises(ValidationError) as info:
        referral_create(client=person, service=nav, by=cast["counselor"])

    assert info.value.code == "service_disabled"


def test_it_keeps_the_visit_the_referral_was_made_during(person, cast):
    visit = Visit.objects.create(
        client=person,
        checked_in_at=NOON,
        checked_in_by=cast["reception"],
        location_since=NOON,
        substance=heroin(),
    )

    made = referral_create(client=person, service=service(), by=cast["health"], visit=visit)

    assert made.visit == visit


# The life cycle ---------------------------------------------------------------------------------------


def test_it_moves_from_proposed_to_attended_recording_every_change(referral, cast, at_noon):
    at_noon.shift(dt.timedelta(hours=1))
    referral = move(referral, S.SENT, by=cast["counselor"])
    at_noon.shift(dt.timedelta(days=2))
    referral = move(referral, S.ACCEPTED, by=cast["duty"])
    at_noon.shift(dt.timedelta(days=5))
    referral = move(referral, S.ATTENDED, by=cast["counselor"])

    assert referral.status == S.ATTENDED
    assert referral.follow_up_on is None
    steps = list(referral.changes.values_list("from_status", "to_status", "at", "by__username"))
    assert steps == [
        ("", S.PROPOSED, NOON, "counselor"),
        (S.PROPOSED, S.SENT, NOON + dt.timedelta(hours=1), "counselor"),
        (S.SENT, S.ACCEPTED, NOON + dt.timedelta(days=2, hours=1), "duty"),
        (S.ACCEPTED, S.ATTENDED, NOON + dt.timedelta(days=7, hours=1), "counselor"),
    ]


def test_it_resets_the_follow_up_at_each_open_step(referral, cast, at_noon):
    at_noon.shift(dt.timedelta(days=3))

    referral = move(referral, S.SENT, by=cast["counselor"])

    assert referral.follow_up_on == TUESDAY + dt.timedelta(days=3 + 7)


def test_it_records_that_the_client_declined(referral, cast):
    referral = referral_set_status(
        referral=referral, to_status=S.DECLINED_BY_CLIENT, by=cast["counselor"], reason="Not ready for LAR yet"
    )

    assert referral.status == S.DECLINED_BY_CLIENT
    assert referral.changes.last().reason == "Not ready for LAR yet"


def test_it_records_that_the_service_declined(referral, cast):
    referral = move(referral, S.SENT, S.DECLINED_BY_SERVICE, by=cast["counselor"])

    assert referral.status == S.DECLINED_BY_SERVICE
    assert not referral.is_open


@pytest.mark.parametrize("to_status", [S.ATTENDED, S.DID_NOT_ATTEND])
def test_it_refuses_attended_or_missed_before_the_referral_is_sent(referral, cast, to_status):
    error = refused(referral, to_status, cast["counselor"])

    assert error.messages == [
        nb("The referral has not been sent yet, so it cannot be “%(status)s”. Mark it as sent first.")
        % {"status": label_nb(to_status)}
    ]
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED
    assert referral.changes.count() == 1


@pytest.mark.parametrize("to_status", [S.ACCEPTED, S.DECLINED_BY_SERVICE])
def test_it_refuses_an_answer_from_the_service_before_the_referral_is_sent(referral, cast, to_status):
    error = refused(referral, to_status, cast["counselor"])

    assert error.code == "not_sent"


@pytest.mark.parametrize("closed", [S.ATTENDED, S.DID_NOT_ATTEND, S.DECLINED_BY_SERVICE, S.CANCELLED])
def test_it_refuses_any_change_of_a_closed_referral_but_reopening(referral, cast, closed):
    referral = move(referral, S.SENT, closed, by=cast["counselor"])
    other_closed = S.CANCELLED if closed != S.CANCELLED else S.ATTENDED

    error = refused(referral, other_closed, cast["counselor"], reason="typo")

    assert error.code == "closed"
    assert error.messages == [
        nb("The referral is closed (“%(status)s”). Reopen it with a reason before changing it further.")
        % {"status": label_nb(closed)}
    ]


def test_it_refuses_to_reopen_a_closed_referral_without_a_reason(referral, cast):
    referral = move(referral, S.SENT, S.DID_NOT_ATTEND, by=cast["counselor"])

    error = refused(referral, S.ACCEPTED, cast["counselor"], reason="   ")

    assert error.messages == [nb("Reopening a closed referral needs a reason.")]
    referral.refresh_from_db()
    assert referral.status == S.DID_NOT_ATTEND


def test_it_reopens_a_closed_referral_with_a_reason_and_a_new_follow_up(referral, cast):
    referral = move(referral, S.SENT, S.DID_NOT_ATTEND, by=cast["counselor"])

    referral = referral_set_status(
        referral=referral,
        to_status=S.ACCEPTED,
        by=cast["counselor"],
        reason="New appointment on Friday",
        follow_up_on=TUESDAY + dt.timedelta(days=3),
    )

    assert referral.status == S.ACCEPTED
    assert referral.follow_up_on == TUESDAY + dt.timedelta(days=3)
    last = referral.changes.last()
    assert (last.from_status, last.to_status, last.reason) == (
        S.DID_NOT_ATTEND,
        S.ACCEPTED,
        "New appointment on Friday",
    )


def test_it_refuses_reopening_while_another_referral_to_the_service_is_open(referral, person, cast):
    referral = move(referral, S.CANCELLED, by=cast["counselor"])
    referral_create(client=person, service=service(), by=cast["counselor"])

    error = refused(referral, S.PROPOSED, cast["counselor"], reason="Reopen the old one")

    assert error.code == "already_open"
    referral.refresh_from_db()
    assert referral.status == S.CANCELLED


def test_it_needs_a_reason_to_go_back_a_step(referral, cast):
    referral = move(referral, S.SENT, S.ACCEPTED, by=cast["counselor"])

    error = refused(referral, S.SENT, cast["counselor"])
    assert error.code == "back_needs_reason"

    referral = referral_set_status(
        referral=referral, to_status=S.SENT, by=cast["counselor"], reason="Clicked accepted by mistake"
    )
    assert referral.status == S.SENT


def test_it_refuses_a_change_to_the_status_it_already_has(referral, cast):
    referral = move(referral, S.SENT, by=cast["counselor"])

    error = refused(referral, S.SENT, cast["counselor"])

    assert error.code == "unchanged"
    assert referral.changes.count() == 2


def test_it_refuses_an_unknown_status(referral, cast):
    assert refused(referral, "lost", cast["counselor"]).code == "unknown_status"


def test_it_judges_a_stale_copy_by_the_status_in_the_database(referral, cast):
    stale = Referral.objects.get(pk=referral.pk)
    move(referral, S.CANCELLED, by=cast["duty"])

    error = refused(stale, S.DECLINED_BY_CLIENT, cast["counselor"])

    assert error.code == "closed"


def test_it_lets_the_database_refuse_a_follow_up_on_a_closed_referral(referral, cast):
    referral = move(referral, S.CANCELLED, by=cast["counselor"])

    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(follow_up_on=TUESDAY)


def test_it_keeps_the_database_status_list_in_step_with_the_choices():
    [constraint] = [c for c in Referral._meta.constraints if c.name == "referral_status_known"]
    _lookup, values = constraint.condition.children[0]

    assert sorted(values) == sorted(S.values)


# The pages --------------------------------------------------------------------------------------------


def detail_url(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/"


def status_url(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/status/"


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty"])
def test_it_lets_every_station_make_a_referral_from_the_client_card(client_for, person, role):
    http = client_for(role)
    card = http.get(f"/clients/{person.pk}/")
    assert f"/interview/referrals/new/?client={person.pk}" in card.content.decode()

    response = http.post(
        "/interview/referrals/new/",
        {"client": person.code.lower(), "service": service().pk, "note": "", "next": f"/clients/{person.pk}/"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"/clients/{person.pk}/"
    text = text_of(response.content)
    assert (
        nb("%(code)s is referred to %(service)s. Follow up on %(date)s.")
        % {
            "code": person.code,
            "service": "NAV",
            "date": "17.3.2026",
        }
        in text
    )
    assert f"NAV {nb('Proposed')}" in text
    assert Referral.objects.get().created_by.username == role


@pytest.mark.parametrize("role", ["coordinator", "admin", "norole"])
def test_it_does_not_let_other_roles_make_referrals(client_for, person, role):
    response = client_for(role).post("/interview/referrals/new/", {"client": person.code, "service": service().pk})

    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_it_answers_an_unknown_client_code_with_a_clear_message(client_for, at_noon):
    response = client_for("counselor").post(
        "/interview/referrals/new/", {"client": "NOPE1990M", "service": service().pk}
    )

    assert response.status_code == 400
    assert nb("No client has the code %(code)s. Check the code, or register the client at reception.") % {
        "code": "NOPE1990M"
    } in text_of(response.content)


def test_it_shows_the_second_referral_to_a_service_as_a_message_not_an_error_page(client_for, referral, person):
    response = client_for("counselor").post(
        "/interview/referrals/new/", {"client": person.code, "service": service().pk}
    )

    assert response.status_code == 400
    assert nb("%(code)s already has an open referral to %(service)s. Follow that one up instead.") % {
        "code": person.code,
        "service": "NAV",
    } in text_of(response.content)


def test_it_ignores_a_next_address_on_another_site(client_for, person):
    response = client_for("counselor").post(
        "/interview/referrals/new/", {"client": person.code, "service": service().pk, "next": "https://evil.example/"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/clients/{person.pk}/"


def test_it_shows_the_referral_history_to_the_coordinator_without_a_status_form(client_for, referral, cast):
    move(referral, S.SENT, by=cast["counselor"])

    response = client_for("coordinator").get(detail_url(referral))

    text = text_of(response.content)
    assert response.status_code == 200
    assert f"{nb('Proposed')} → {nb('Sent')}" in text
    assert 'action="/interview/referrals/' not in response.content.decode()


def test_it_changes_the_status_from_the_referral_page(client_for, referral):
    response = client_for("counselor").post(status_url(referral), {"to_status": S.SENT, "seen_version": 1}, follow=True)

    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert nb("The referral of %(code)s to %(service)s is now “%(status)s”.") % {
        "code": referral.client.code,
        "service": "NAV",
        "status": nb("Sent"),
    } in text_of(response.content)


def test_it_shows_why_attended_before_sent_is_refused_on_the_page(client_for, referral):
    response = client_for("counselor").post(status_url(referral), {"to_status": S.ATTENDED, "seen_version": 1})

    assert response.status_code == 400
    assert nb("The referral has not been sent yet, so it cannot be “%(status)s”. Mark it as sent first.") % {
        "status": nb("Attended")
    } in text_of(response.content)
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_it_shows_that_reopening_needs_a_reason_on_the_page(client_for, referral, cast):
    move(referral, S.CANCELLED, by=cast["counselor"])

    response = client_for("counselor").post(
        status_url(referral), {"to_status": S.PROPOSED, "reason": "", "seen_version": 2}
    )

    assert response.status_code == 400
    assert nb("Reopening a closed referral needs a reason.") in text_of(response.content)


@pytest.mark.parametrize(
    "data", [{}, {"to_status": "nonsense"}, {"to_status": S.SENT, "follow_up_on": "31.02.2026"}, {"reason": "x" * 5000}]
)
def test_it_answers_bad_status_input_with_the_form_not_a_500(client_for, referral, data):
    response = client_for("counselor").post(status_url(referral), data)

    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_it_rejects_get_on_the_status_endpoint(client_for, referral):
    assert client_for("counselor").get(status_url(referral)).status_code == 405


@pytest.mark.parametrize("role", ["reception", "health", "coordinator"])
def test_it_does_not_let_roles_that_do_not_follow_up_change_the_status(client_for, referral, role):
    assert client_for(role).post(status_url(referral), {"to_status": S.SENT}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == S.PROPOSED


def test_it_answers_404_for_a_referral_that_does_not_exist(client_for, at_noon):
    assert client_for("counselor").get("/interview/referrals/999999/").status_code == 404


# The client card --------------------------------------------------------------------------------------


def test_it_shows_the_open_referrals_on_the_client_card_with_status_and_follow_up(client_for, referral, person, cast):
    closed = referral_create(client=person, service=service("Housing"), by=cast["counselor"])
    move(closed, S.CANCELLED, by=cast["counselor"])

    text = text_of(client_for("reception").get(f"/clients/{person.pk}/").content)

    assert nb("Open referrals") in text
    assert f"NAV {nb('Proposed')}" in text
    assert "17.3.2026" in text
    assert "Bolig" not in text


def test_it_reads_the_open_referrals_for_the_card_in_one_query_however_many(client_for, person, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    http = client_for("reception")
    referral_create(client=person, service=service(), by=cast["counselor"])
    http.get(f"/clients/{person.pk}/")  # warm the settings kept per process (the opening hours) for both counts
    with CaptureQueriesContext(connection) as one:
        http.get(f"/clients/{person.pk}/")
    for name in ("Housing", "Detox", "Mental health", "Dental care"):
        referral_create(client=person, service=service(name), by=cast["counselor"])
    with CaptureQueriesContext(connection) as five:
        response = http.get(f"/clients/{person.pk}/")

    assert text_of(response.content).count(nb("Proposed")) == 5
    assert len(five) == len(one)


# Take-up ----------------------------------------------------------------------------------------------


def test_it_counts_referrals_made_accepted_and_attended_per_service_in_the_period(cast, facility):
    counselor = cast["counselor"]
    with time_machine.travel(oslo(dt.date(2026, 2, 20)), tick=False):
        early = make_client("EARLY1980M", by=counselor)
        referral_create(client=early, service=service(), by=counselor)  # February: outside
    with time_machine.travel(NOON, tick=False) as traveller:
        people = [make_client(f"PER{letter}1980M", by=counselor) for letter in "ABCD"]
        made = [referral_create(client=p, service=service(), by=counselor) for p in people]
        housing = referral_create(client=people[0], service=service("Housing"), by=counselor)
        move(made[0], S.SENT, S.ACCEPTED, S.ATTENDED, by=counselor)
        move(made[1], S.SENT, S.ATTENDED, by=counselor)
        move(made[2], S.SENT, S.ACCEPTED, S.DECLINED_BY_CLIENT, by=counselor)
        move(housing, S.SENT, S.DECLINED_BY_SERVICE, by=counselor)
        traveller.shift(dt.timedelta(days=30))  # accepted in April, made in March: counts for March
        move(made[3], S.SENT, S.ACCEPTED, by=counselor)

    rows = referrals_take_up(oslo(dt.date(2026, 3, 1), 0), oslo(dt.date(2026, 4, 1), 0))

    assert [(row.name_en, row.made, row.accepted, row.attended) for row in rows] == [
        ("NAV (labour and welfare)", 4, 4, 2),
        ("Housing", 1, 0, 0),
    ]


def test_it_counts_take_up_in_a_fixed_number_of_queries(cast, facility, django_assert_num_queries):
    with django_assert_num_queries(1):
        referrals_take_up(oslo(dt.date(2026, 3, 1), 0), oslo(dt.date(2026, 4, 1), 0))


def test_it_shows_this_months_take_up_in_the_interview_room(client_for, referral, cast):
    move(referral, S.SENT, S.ACCEPTED, by=cast["counselor"])

    html = client_for("counselor").get("/interview/").content.decode()

    take_up = html[html.index('data-testid="take-up"') :]
    assert "NAV</td><td" in take_up
    assert "NAV 1 1 0" in text_of(take_up)


def test_the_take_up_says_accepted_as_the_referral_status_does(client_for, referral, cast):
    html = client_for("counselor").get("/interview/").content.decode()

    take_up = text_of(html[html.index('data-testid="take-up"') :])
    assert "Opprettet Godtatt Møtt" in take_up
    assert "Godkjent" not in take_up


# Races, on either database ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_referral_when_two_stations_refer_to_the_same_service_at_once(cast, facility):
    person = make_client(by=cast["reception"])

    results = race(
        lambda: referral_create(client=person, service=service(), by=cast["counselor"]),
        lambda: referral_create(client=person, service=service(), by=cast["health"]),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "already_open", results
    assert Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_records_one_change_when_two_staff_close_a_referral_at_once(cast, facility):
    person = make_client(by=cast["reception"])
    made = referral_set_status(
        referral=referral_create(client=person, service=service(), by=cast["counselor"]),
        to_status=S.SENT,
        by=cast["counselor"],
    )

    results = race(
        lambda: referral_set_status(referral=made, to_status=S.ATTENDED, by=cast["counselor"]),
        lambda: referral_set_status(referral=made, to_status=S.DID_NOT_ATTEND, by=cast["duty"]),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "closed", results
    assert made.changes.count() == 3


def test_it_labels_only_the_moves_back_as_needing_a_reason(person, cast):
    from counseling.forms import ReferralStatusForm

    referral = referral_create(client=person, service=service(), by=cast["counselor"])
    back = str(nb("%(status)s (back a step, needs a reason)")).split("%(status)s")[1]
    forward = dict(ReferralStatusForm(referral=referral).fields["to_status"].widget.choices)
    assert not forward[Referral.Status.SENT].endswith(back)

    referral_set_status(referral=referral, to_status=Referral.Status.SENT, by=cast["counselor"])
    referral_set_status(referral=referral, to_status=Referral.Status.ACCEPTED, by=cast["counselor"])
    referral.refresh_from_db()
    with override("nb"):
        offered = dict(ReferralStatusForm(referral=referral).fields["to_status"].widget.choices)
    assert str(offered[Referral.Status.SENT]).endswith(back)
    assert not str(offered[Referral.Status.ATTENDED]).endswith(back)

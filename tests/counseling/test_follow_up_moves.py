"""Moving a referral's follow-up date: a dated, signed change with a reason, refused cleanly when it makes
no sense, shown on the referral and on the client's timeline, and never lost when two staff move it at once.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from counseling.models import Referral, ReferralFollowUpChange
from counseling.selectors import referrals_follow_up_due
from counseling.services import referral_create, referral_follow_up_set, referral_set_status
from tests.support.factories import make_client, service
from tests.support.pages import STALE_EDIT, nb, text_of
from tests.support.races import race
from tests.support.time import NOON, TUESDAY

S = Referral.Status
DAY = dt.timedelta(days=1)
# Made on Tuesday 10 March with a follow-up on Thursday the 12th; it is now Friday the 13th, overdue.
MADE_FOR = TUESDAY + 2 * DAY
FRIDAY = NOON + 3 * DAY
LATER = dt.date(2026, 3, 20)
WHY = "NAV has not answered yet, calling again on the 20th"


@pytest.fixture
def clock(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def referral(cast, clock) -> Referral:
    counselor = cast["counselor"]
    made = referral_create(
        client=make_client("EARLY1980M", by=counselor), service=service(), by=counselor, follow_up_on=MADE_FOR
    )
    clock.move_to(FRIDAY)
    return made


def url(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/follow-up/"


def detail(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/"


def refused(referral: Referral, by, **kwargs) -> ValidationError:
    kwargs = {"follow_up_on": LATER, "reason": WHY, **kwargs}
    with pytest.raises(ValidationError) as info:
        referral_follow_up_set(referral=referral, by=by, **kwargs)
    return info.value


def assert_nothing_written(referral: Referral) -> None:
    referral.refresh_from_db()
    assert referral.follow_up_on == MADE_FOR
    assert not ReferralFollowUpChange.objects.exists()


# The service ------------------------------------------------------------------------------------------


def test_it_records_who_moved_the_date_when_from_which_to_which_and_why(referral, cast):
    moved = referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=f"  {WHY} ")

    change = ReferralFollowUpChange.objects.get()
    assert (change.referral, change.from_date, change.to_date) == (referral, MADE_FOR, LATER)
    assert (change.by, change.at, change.reason) == (cast["counselor"], FRIDAY, WHY)
    assert moved.follow_up_on == LATER
    referral.refresh_from_db()
    assert (referral.follow_up_on, referral.status) == (LATER, S.PROPOSED)


def test_it_is_not_a_status_change(referral, cast):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    assert [c.to_status for c in referral.changes.all()] == [S.PROPOSED]


def test_it_keeps_every_move_in_order_each_from_where_the_last_left_it(referral, cast, clock):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)
    clock.move_to(FRIDAY + DAY)
    referral_follow_up_set(referral=referral, follow_up_on=LATER + DAY, by=cast["counselor"], reason="Closed Friday")

    assert list(referral.follow_up_changes.values_list("from_date", "to_date")) == [
        (MADE_FOR, LATER),
        (LATER, LATER + DAY),
    ]


def test_it_refuses_a_date_in_the_past_and_writes_nothing(referral, cast):
    error = refused(referral, cast["counselor"], follow_up_on=FRIDAY.date() - DAY)

    assert error.messages == [nb("The follow-up date cannot be in the past.")]
    assert_nothing_written(referral)


def test_it_refuses_a_date_more_than_a_year_ahead_and_writes_nothing(referral, cast):
    error = refused(referral, cast["counselor"], follow_up_on=FRIDAY.date() + dt.timedelta(days=400))

    assert error.messages == [nb("Set a follow-up date within a year.")]
    assert_nothing_written(referral)


def test_it_refuses_the_date_it_already_has_and_writes_nothing(referral, cast):
    referral_follow_up_set(referral=referral, follow_up_on=MADE_FOR + 7 * DAY, by=cast["counselor"], reason=WHY)

    error = refused(referral, cast["counselor"], follow_up_on=MADE_FOR + 7 * DAY)

    assert error.code == "unchanged"
    assert error.messages == [nb("The follow-up is already on %(date)s. Nothing was changed.") % {"date": "19.3.2026"}]
    assert ReferralFollowUpChange.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_it_refuses_a_move_without_a_reason_and_writes_nothing(referral, cast, reason):
    error = refused(referral, cast["counselor"], reason=reason)

    assert error.messages == [nb("Say why the follow-up date is moved.")]
    assert_nothing_written(referral)


def test_it_refuses_a_reason_longer_than_a_short_one(referral, cast):
    error = refused(referral, cast["counselor"], reason="x" * 501)

    assert error.code == "reason_too_long"
    assert_nothing_written(referral)


def test_it_refuses_to_move_the_date_of_a_closed_referral(referral, cast):
    referral_set_status(referral=referral, to_status=S.CANCELLED, by=cast["counselor"])

    error = refused(referral, cast["counselor"])

    assert error.code == "closed"
    assert not ReferralFollowUpChange.objects.exists()


def test_it_refuses_a_move_made_from_a_date_someone_else_has_moved_meanwhile(referral, cast):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    error = refused(referral, cast["counselor"], follow_up_on=LATER + DAY, reason="Other", seen_version=1)

    assert error.code == "stale"
    assert [(c.seen, c.now) for c in error.changes] == [("12.03.2026", "20.03.2026")]
    referral.refresh_from_db()
    assert referral.follow_up_on == LATER
    assert ReferralFollowUpChange.objects.count() == 1


def test_it_lets_the_database_refuse_a_row_that_moves_nothing_or_gives_no_reason(referral, cast):
    row = {"referral": referral, "at": FRIDAY, "by": cast["counselor"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFollowUpChange.objects.create(**row, from_date=LATER, to_date=LATER, reason=WHY)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReferralFollowUpChange.objects.create(**row, from_date=MADE_FOR, to_date=LATER, reason="")


# The follow-up list -----------------------------------------------------------------------------------


def test_it_takes_the_referral_off_the_overdue_list_until_the_new_date(referral, cast, clock):
    assert [r.pk for r in referrals_follow_up_due(FRIDAY.date()).overdue] == [referral.pk]

    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    assert len(referrals_follow_up_due(FRIDAY.date())) == 0
    assert len(referrals_follow_up_due(LATER - DAY)) == 0
    assert [r.pk for r in referrals_follow_up_due(LATER).due_today] == [referral.pk]


def test_it_shows_the_new_date_in_the_interview_room_list(referral, client_for, cast):
    counselor = client_for("counselor")
    assert "EARLY1980M" in text_of(counselor.get("/interview/").content)

    counselor.post(url(referral), {"follow_up_on": "2026-03-20", "reason": WHY, "seen_version": 1})

    assert "EARLY1980M" not in text_of(counselor.get("/interview/").content)
    assert "20.3.2026" in text_of(counselor.get("/interview/referrals/").content)


# The referral page ------------------------------------------------------------------------------------


def test_it_moves_the_date_from_the_page_and_shows_the_change_in_the_history(referral, client_for):
    response = client_for("counselor").post(
        url(referral),
        {"follow_up_on": "2026-03-20", "reason": WHY, "seen_version": 1},
        follow=True,
    )

    text = text_of(response.content)
    assert nb("Follow up on %(date)s.") % {"date": "20.3.2026"} in text
    moved = nb("Follow-up moved: %(from)s → %(to)s") % {"from": "12.3.2026", "to": "20.3.2026"}
    assert f"13.3.2026 12:00 {moved} counselor {WHY}" in text
    assert text.index(nb("Proposed")) < text.index(moved)  # the history runs oldest first


def test_it_shows_the_history_of_moves_to_the_coordinator(referral, client_for, cast):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    text = text_of(client_for("coordinator").get(detail(referral)).content)

    assert nb("Follow-up moved: %(from)s → %(to)s") % {"from": "12.3.2026", "to": "20.3.2026"} in text
    assert WHY in text


def test_it_sends_the_date_the_page_shows_along_with_the_move(referral, client_for):
    html = client_for("counselor").get(detail(referral)).content.decode()

    assert 'name="seen_version" value="1"' in html
    assert nb("Why is it moved?") in text_of(html)


def test_it_asks_for_a_reason_on_the_page_and_writes_nothing(referral, client_for):
    response = client_for("counselor").post(
        url(referral), {"follow_up_on": "2026-03-20", "reason": " ", "seen_version": 1}
    )

    assert response.status_code == 400
    assert nb("Say why the follow-up date is moved.") in text_of(response.content)
    assert_nothing_written(referral)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2026-03-01", "The follow-up date cannot be in the past."),
        ("2028-01-01", "Set a follow-up date within a year."),
    ],
)
def test_it_shows_why_a_date_is_refused_on_the_page(referral, client_for, date, message):
    response = client_for("counselor").post(url(referral), {"follow_up_on": date, "reason": WHY, "seen_version": 1})

    assert response.status_code == 400
    assert nb(message) in text_of(response.content)
    assert_nothing_written(referral)


def test_it_says_the_date_is_unchanged_on_the_page(referral, client_for, cast):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    response = client_for("counselor").post(
        url(referral), {"follow_up_on": "2026-03-20", "reason": "Again", "seen_version": 2}
    )

    assert response.status_code == 400
    assert nb("The follow-up is already on %(date)s. Nothing was changed.") % {"date": "20.3.2026"} in text_of(
        response.content
    )
    assert ReferralFollowUpChange.objects.count() == 1


def test_it_tells_the_second_counselor_of_a_move_made_meanwhile_and_shows_it(referral, client_for, cast):
    """Both opened the page showing the 12th; the first moved it to the 20th; the second's move is refused."""
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["duty"], reason=WHY)

    response = client_for("counselor").post(
        url(referral), {"follow_up_on": "2026-03-16", "reason": "Call Monday", "seen_version": 1}
    )

    assert response.status_code == 409
    page = response.content.decode()
    text = text_of(page)
    assert nb(STALE_EDIT) in text
    assert f'<th scope="row">{nb("Follow up on").capitalize()}</th><td>12.03.2026</td><td>20.03.2026</td>' in page
    assert WHY in text  # the first move is in the history shown
    assert "Call Monday" in text  # what they entered is shown, not lost
    # The page now carries the version it shows, so that sending the form again is judged against it.
    assert 'name="seen_version" value="2"' in page
    referral.refresh_from_db()
    assert referral.follow_up_on == LATER
    assert ReferralFollowUpChange.objects.count() == 1


def test_it_answers_a_date_that_is_not_a_date_with_the_form_not_a_500(referral, client_for):
    response = client_for("counselor").post(url(referral), {"follow_up_on": "31.02.2026", "reason": WHY})

    assert response.status_code == 400
    assert_nothing_written(referral)


def test_it_rejects_get(referral, client_for):
    assert client_for("counselor").get(url(referral)).status_code == 405


@pytest.mark.parametrize("role", ["reception", "health", "coordinator", "norole"])
def test_it_does_not_let_roles_that_do_not_follow_up_move_the_date(referral, client_for, role):
    response = client_for(role).post(url(referral), {"follow_up_on": "2026-03-20", "reason": WHY})

    assert response.status_code == 403
    assert_nothing_written(referral)


# The client timeline ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["counselor", "coordinator"])
def test_it_shows_the_move_on_the_client_timeline(referral, client_for, cast, role):
    referral_follow_up_set(referral=referral, follow_up_on=LATER, by=cast["counselor"], reason=WHY)

    response = client_for(role).get(f"/interview/clients/{referral.client_id}/timeline/")

    text = text_of(response.content)
    title = nb("Referral to %(service)s: follow-up moved from %(from)s to %(to)s") % {
        "service": "NAV",
        "from": "12.3.2026",
        "to": "20.3.2026",
    }
    assert title in text
    assert f"{nb('Reason')} {WHY}" in text
    assert text.index(title) < text.index(nb("Referred to %(service)s") % {"service": "NAV"})  # newest first
    assert f'href="/interview/referrals/{referral.pk}/"' in response.content.decode()


# Two staff at once ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_refuses_the_second_of_two_moves_made_at_once_from_the_same_page(cast, facility):
    with time_machine.travel(NOON, tick=False):
        counselor = cast["counselor"]
        made = referral_create(client=make_client(by=counselor), service=service(), by=counselor, follow_up_on=MADE_FOR)

        results = race(
            lambda: referral_follow_up_set(referral=made, follow_up_on=LATER, by=counselor, reason="A", seen_version=1),
            lambda: referral_follow_up_set(
                referral=made, follow_up_on=LATER + DAY, by=cast["duty"], reason="B", seen_version=1
            ),
        )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "stale", results
    change = ReferralFollowUpChange.objects.get()
    made.refresh_from_db()
    assert made.follow_up_on == change.to_date
    assert change.from_date == MADE_FOR


@pytest.mark.django_db(transaction=True)
def test_it_records_both_moves_one_after_the_other_when_neither_says_what_it_saw(cast, facility):
    with time_machine.travel(NOON, tick=False):
        counselor = cast["counselor"]
        made = referral_create(client=make_client(by=counselor), service=service(), by=counselor, follow_up_on=MADE_FOR)

        results = race(
            lambda: referral_follow_up_set(referral=made, follow_up_on=LATER, by=counselor, reason="A"),
            lambda: referral_follow_up_set(referral=made, follow_up_on=LATER + DAY, by=cast["duty"], reason="B"),
        )

    assert not [r for r in results if isinstance(r, Exception)], results
    first, second = ReferralFollowUpChange.objects.order_by("pk")
    # The second was judged against what the first did: its "from" is the first's "to", nothing is lost.
    assert (first.from_date, second.from_date) == (MADE_FOR, first.to_date)
    made.refresh_from_db()
    assert made.follow_up_on == second.to_date

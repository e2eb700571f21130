"""Follow-ups: the counselors' list of open referrals due today and overdue, as the days pass."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from counseling.models import Referral
from counseling.selectors import referrals_follow_up_due
from counseling.services import referral_create, referral_set_status
from tests.support.factories import make_client, service
from tests.support.pages import nb, text_of
from tests.support.time import NOON, TUESDAY

S = Referral.Status
DAY = dt.timedelta(days=1)


@pytest.fixture
def clock(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def referrals(cast, clock) -> dict[str, Referral]:
    """Three clients referred on Tuesday 10 March: follow up on the 12th, the 13th and the 20th."""
    counselor = cast["counselor"]
    return {
        code: referral_create(
            client=make_client(code, by=counselor), service=service(), by=counselor, follow_up_on=TUESDAY + days * DAY
        )
        for code, days in (("EARLY1980M", 2), ("MIDDLE1980K", 3), ("LATER1980M", 10))
    }


def codes_of(referrals: list[Referral]) -> list[str]:
    return [referral.client.code for referral in referrals]


def test_it_lists_nothing_before_the_first_follow_up_date(referrals):
    due = referrals_follow_up_due(TUESDAY + DAY)

    assert (due.overdue, due.due_today) == ([], [])


def test_it_lists_a_referral_on_its_follow_up_day_as_due_today(referrals):
    due = referrals_follow_up_due(TUESDAY + 2 * DAY)

    assert codes_of(due.due_today) == ["EARLY1980M"]
    assert due.overdue == []


def test_it_moves_a_referral_not_followed_up_to_overdue_the_next_day(referrals):
    due = referrals_follow_up_due(TUESDAY + 3 * DAY)

    assert codes_of(due.overdue) == ["EARLY1980M"]
    assert codes_of(due.due_today) == ["MIDDLE1980K"]


def test_it_lists_the_oldest_overdue_first_and_leaves_later_ones_out(referrals):
    due = referrals_follow_up_due(TUESDAY + 9 * DAY)

    assert codes_of(due.overdue) == ["EARLY1980M", "MIDDLE1980K"]
    assert due.due_today == []


def test_it_leaves_out_a_referral_closed_meanwhile(referrals, cast, clock):
    clock.move_to(NOON + 2 * DAY)
    referral_set_status(referral=referrals["EARLY1980M"], to_status=S.CANCELLED, by=cast["counselor"])

    due = referrals_follow_up_due(TUESDAY + 5 * DAY)

    assert codes_of(due.overdue) == ["MIDDLE1980K"]


def test_it_takes_a_referral_off_the_list_when_followed_up_with_a_new_step(referrals, cast, clock):
    clock.move_to(NOON + 2 * DAY)

    referral_set_status(referral=referrals["EARLY1980M"], to_status=S.SENT, by=cast["counselor"])

    assert referrals_follow_up_due(TUESDAY + 2 * DAY).due_today == []
    assert codes_of(referrals_follow_up_due(TUESDAY + 9 * DAY).due_today) == ["EARLY1980M"]


def test_it_shows_due_and_overdue_follow_ups_in_the_interview_room(referrals, client_for, clock):
    clock.move_to(NOON + 3 * DAY)

    text = text_of(client_for("counselor").get("/interview/").content)

    assert nb("Referrals to follow up") in text
    assert "EARLY1980M NAV" in text
    assert nb("overdue since %(date)s").replace("%(date)s", "12.3.2026") in text
    assert f"MIDDLE1980K NAV {nb('Proposed')} {nb('today')}" in text
    assert "LATER1980M" not in text


def test_it_says_when_nothing_is_due(referrals, client_for):
    text = text_of(client_for("counselor").get("/interview/").content)

    assert nb("Nothing due today or overdue.") in text


def test_it_lists_every_open_referral_on_the_follow_up_page(referrals, client_for, clock):
    clock.move_to(NOON + 3 * DAY)

    text = text_of(client_for("coordinator").get("/interview/referrals/").content)

    assert text.index("EARLY1980M") < text.index("MIDDLE1980K") < text.index("LATER1980M")


def test_it_moves_the_follow_up_date_without_changing_the_status(referrals, client_for, clock):
    clock.move_to(NOON + 3 * DAY)
    referral = referrals["EARLY1980M"]

    response = client_for("counselor").post(
        f"/interview/referrals/{referral.pk}/follow-up/",
        {"follow_up_on": "2026-03-20", "reason": "No answer from NAV yet", "seen_version": 1},
        follow=True,
    )

    referral.refresh_from_db()
    assert referral.follow_up_on == dt.date(2026, 3, 20)
    assert referral.status == S.PROPOSED
    assert "20.3.2026" in text_of(response.content)
    assert referrals_follow_up_due(TUESDAY + 3 * DAY).overdue == []


def test_it_refuses_a_follow_up_date_in_the_past_with_a_message(referrals, client_for, clock):
    clock.move_to(NOON + 3 * DAY)
    referral = referrals["EARLY1980M"]

    response = client_for("counselor").post(
        f"/interview/referrals/{referral.pk}/follow-up/",
        {"follow_up_on": "2026-03-01", "reason": "No answer", "seen_version": 1},
    )

    assert response.status_code == 400
    assert nb("The follow-up date cannot be in the past.") in text_of(response.content)


def test_it_refuses_to_move_the_follow_up_of_a_closed_referral(referrals, client_for, cast):
    referral = referral_set_status(referral=referrals["EARLY1980M"], to_status=S.CANCELLED, by=cast["counselor"])

    response = client_for("counselor").post(
        f"/interview/referrals/{referral.pk}/follow-up/",
        {"follow_up_on": "2026-03-20", "reason": "No answer", "seen_version": 2},
    )

    assert response.status_code == 400
    assert nb("The referral is closed (“%(status)s”) and has nothing to follow up.") % {
        "status": nb("Cancelled")
    } in text_of(response.content)


@pytest.mark.parametrize("role", ["reception", "health"])
def test_it_does_not_show_the_interview_room_to_other_stations(referrals, client_for, role):
    assert client_for(role).get("/interview/").status_code == 403

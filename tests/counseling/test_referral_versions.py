"""Referrals are versioned: a status change or a moved date from a page opened before another's is refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from counseling.models import Referral, ReferralStatusChange
from counseling.services import referral_create, referral_follow_up_set, referral_set_status
from tests.support.factories import make_client, service
from tests.support.pages import STALE_EDIT, nb, text_of
from tests.support.time import NOON

pytestmark = pytest.mark.django_db

S = Referral.Status


@pytest.fixture
def clock(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def referral(cast, clock) -> Referral:
    return referral_create(client=make_client(by=cast["reception"]), service=service(), by=cast["counselor"])


def status_url(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/status/"


def follow_up_url(referral: Referral) -> str:
    return f"/interview/referrals/{referral.pk}/follow-up/"


def test_it_refuses_a_status_change_from_a_page_opened_before_another(referral, client_for, cast, clock):
    clock.shift(dt.timedelta(minutes=4))
    referral_set_status(referral=referral, to_status=S.SENT, by=cast["duty"], seen_version=1)

    response = client_for("counselor").post(
        status_url(referral), {"to_status": S.DECLINED_BY_CLIENT, "seen_version": 1}
    )

    assert response.status_code == 409
    assert nb(STALE_EDIT) in text_of(response.content)
    referral.refresh_from_db()
    assert referral.status == S.SENT
    assert ReferralStatusChange.objects.filter(referral=referral).count() == 2


def test_it_lists_the_status_changed_meanwhile_and_who_changed_it(referral, client_for, cast, clock):
    clock.shift(dt.timedelta(minutes=4))
    referral_set_status(referral=referral, to_status=S.SENT, by=cast["duty"], seen_version=1)

    page = client_for("counselor").post(status_url(referral), {"to_status": S.CANCELLED, "seen_version": 1})

    html = page.content.decode()
    assert f'<th scope="row">{nb("Status").capitalize()}</th><td>{nb("Proposed")}</td><td>{nb("Sent")}</td>' in html
    assert "duty 12:04:00" in html
    assert nb("Cancelled") in text_of(html.split('data-testid="stale-edit"')[1])  # what they chose, not lost


def test_it_refuses_a_status_change_from_a_page_opened_before_the_date_was_moved(referral, client_for, cast):
    referral_follow_up_set(referral=referral, follow_up_on=dt.date(2026, 3, 20), by=cast["duty"], reason="No answer")

    response = client_for("counselor").post(status_url(referral), {"to_status": S.SENT, "seen_version": 1})

    assert response.status_code == 409
    referral.refresh_from_db()
    assert (referral.status, referral.follow_up_on) == (S.PROPOSED, dt.date(2026, 3, 20))


def test_it_offers_both_forms_again_at_the_version_saved_meanwhile(referral, client_for, cast):
    referral_set_status(referral=referral, to_status=S.SENT, by=cast["duty"])

    html = client_for("counselor").post(status_url(referral), {"to_status": S.SENT, "seen_version": 1}).content.decode()

    assert html.count('name="seen_version" value="2"') == 2


def test_it_changes_the_status_from_a_current_page_and_raises_the_version(referral, client_for):
    response = client_for("counselor").post(status_url(referral), {"to_status": S.SENT, "seen_version": 1})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (S.SENT, 2)


def test_it_moves_the_date_from_a_current_page_and_raises_the_version(referral, client_for):
    response = client_for("counselor").post(
        follow_up_url(referral), {"follow_up_on": "2026-03-20", "reason": "No answer", "seen_version": 1}
    )

    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.follow_up_on, referral.version) == (dt.date(2026, 3, 20), 2)


@pytest.mark.parametrize("version", [None, "", "two", "-5", "1e3", "99999999999999"])
def test_it_answers_a_missing_or_garbled_version_with_a_form_error(referral, client_for, version):
    data = {"to_status": S.SENT} if version is None else {"to_status": S.SENT, "seen_version": version}

    response = client_for("counselor").post(status_url(referral), data)

    assert response.status_code == 400
    assert nb("The form is incomplete: reload the page.") in text_of(response.content)
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (S.PROPOSED, 1)

"""The coordinator's report for one client code, the review by staff member and period, and the export."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from audit.models import AccessLogEntry
from counseling.models import CounselingSession, Referral
from counseling.services.referrals import referral_follow_up_set
from visits.models import Client


def test_it_finds_the_client_by_code(client_for, history, at_noon):
    response = client_for("coordinator").get("/access-log/", {"code": history.code.lower()})

    assert response.status_code == 302
    assert response["Location"] == f"/access-log/clients/{history.pk}/"


def test_it_says_when_no_client_has_the_code(client_for, history, at_noon):
    response = client_for("coordinator").get("/access-log/", {"code": "NOPE1990M"})

    assert response.status_code == 400
    assert "NOPE1990M" in response.content.decode()


def test_it_lists_who_viewed_and_who_changed_the_record(client_for, cast, history, at_noon):
    client_for("reception").get(f"/clients/{history.pk}/")
    session = CounselingSession.objects.get(client=history)
    session.next_steps = "Call NAV together"
    session.save()  # in a test, outside a request: the history has no user
    client_for("counselor")

    html = client_for("coordinator").get(f"/access-log/clients/{history.pk}/").content.decode()

    assert html.count('data-testid="trail-row"') >= 3
    assert "reception" in html
    assert "next_steps" in html  # the changed field is named
    assert 'media="print"' in html


def test_it_does_not_count_the_report_itself_as_a_view_of_the_record(client_for, history, at_noon):
    client_for("coordinator").get(f"/access-log/clients/{history.pk}/")

    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "duty", "admin", "norole"])
def test_it_is_only_for_coordinators(client_for, history, at_noon, role):
    assert client_for(role).get(f"/access-log/clients/{history.pk}/").status_code == 403
    assert client_for(role).get(f"/access-log/clients/{history.pk}/export/").status_code == 403


def test_it_reviews_one_staff_members_views_in_a_period(client_for, cast, history, at_noon):
    client_for("reception").get(f"/clients/{history.pk}/")
    client_for("health").get(f"/health/clients/{history.pk}/")
    today = AccessLogEntry.objects.first().at.date().isoformat()

    html = (
        client_for("coordinator")
        .get("/access-log/staff/", {"user": cast["health"].pk, "start": today, "end": today})
        .content.decode()
    )

    assert html.count('data-testid="access-entry"') == 1
    assert history.code in html


def test_it_refuses_a_period_that_ends_before_it_starts(client_for, history, at_noon):
    response = client_for("coordinator").get("/access-log/staff/", {"start": "2026-03-02", "end": "2026-03-01"})

    assert response.status_code == 400


def test_it_exports_every_record_of_the_client_as_json(client_for, history, at_noon):
    response = client_for("coordinator").get(f"/access-log/clients/{history.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["client"] == history.code
    records = data["records"]
    assert records["visits.Client"][0]["code"] == history.code
    assert len(records["counseling.CounselingSession"]) == 1
    assert len(records["health.Emergency"]) == 1
    assert len(records["visits.Ban"]) == 1
    assert AccessLogEntry.objects.filter(client=history, kind=AccessLogEntry.Kind.EXPORT).count() == 1


def test_it_exports_nothing_of_another_client(client_for, cast, history, at_noon):
    from tests.support.factories import make_client

    other = make_client("OTHE1980M", by=cast["reception"])

    data = json.loads(client_for("coordinator").get(f"/access-log/clients/{other.pk}/export/").content)

    assert data["records"]["counseling.CounselingSession"] == []
    assert [c["code"] for c in data["records"]["visits.Client"]] == ["OTHE1980M"]
    assert Client.objects.count() == 2


def test_it_exports_the_moves_of_a_referral_s_follow_up_date(client_for, cast, history, at_noon):
    referral = Referral.objects.filter(client=history).first()
    new_date = timezone.localdate() + dt.timedelta(days=3)
    referral_follow_up_set(referral=referral, follow_up_on=new_date, by=cast["counselor"], reason="NAV is closed")

    data = json.loads(client_for("coordinator").get(f"/access-log/clients/{history.pk}/export/").content)

    moves = data["records"]["counseling.ReferralFollowUpChange"]
    assert [(m["to_date"], m["reason"]) for m in moves] == [(str(new_date), "NAV is closed")]

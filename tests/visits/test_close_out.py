"""The duty officer's close-out: everyone still inside, each closed with a reason, or all at once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext, override

from staff.roles import Role
from tests.support.cast import make_user
from tests.support.pages import booth_name, marked_text, marked_texts, nav_hrefs, t, text_of
from tests.support.rooms import checked_in, in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import BoothSession, Observation, Visit, VisitEvent
from visits.services.rooms import visit_close_out, visit_move, visits_close_out_all

pytestmark = pytest.mark.django_db
# Closing is 21:30 on every day of the default hours.
CLOSING = NOON.replace(hour=21, minute=30)
NEAR_CLOSING = NOON.replace(hour=21, minute=20)
AFTER_CLOSING = NOON.replace(hour=22, minute=15)
# Early enough for a booth and observation to end before closing (no confirmation asked).
EVENING = NOON.replace(hour=20, minute=20)


def nb_plural(singular: str, plural: str, count: int) -> str:
    with override("nb"):
        return ngettext(singular, plural, count) % {"count": count}


# The services -------------------------------------------------------------------------------------


def test_it_closes_one_visit_now_before_closing_time_with_the_reason(cast):
    visit = checked_in("AB1985M", cast["reception"])

    visit_close_out(visit=visit, by=cast["duty"], reason="closing", now=NEAR_CLOSING)

    visit.refresh_from_db()
    assert (visit.ended_at, visit.ended_by, visit.end_reason) == (NEAR_CLOSING, cast["duty"], "closing")
    assert visit.location == Visit.Location.GONE
    event = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.CHECKED_OUT)
    assert (event.at, event.by, event.note) == (NEAR_CLOSING, cast["duty"], t("Left at closing"))


def test_it_ends_a_visit_closed_after_closing_time_at_the_closing_time(cast):
    visit = checked_in("AB1985M", cast["reception"])

    visit_close_out(visit=visit, by=cast["duty"], reason="unnoticed", now=AFTER_CLOSING)

    visit.refresh_from_db()
    assert (visit.ended_at, visit.end_reason) == (CLOSING, "unnoticed")


def test_it_ends_a_visit_moved_after_closing_time_at_that_move(cast):
    late = CLOSING + dt.timedelta(minutes=10)
    visit = checked_in("AB1985M", cast["reception"], now=EVENING)
    visit_move(visit=visit, to="health", by=cast["health"], now=late)

    visit_close_out(visit=visit, by=cast["duty"], reason="closing", now=AFTER_CLOSING)

    assert Visit.objects.get(pk=visit.pk).ended_at == late


def test_it_ends_the_booth_session_with_the_visit(cast):
    session = in_booth("AB1985M", cast["health"], now=EVENING)

    visit_close_out(visit=session.visit, by=cast["duty"], reason="transferred", now=NEAR_CLOSING)

    session.refresh_from_db()
    assert (session.ended_at, session.ended_by, session.outcome) == (
        NEAR_CLOSING,
        cast["duty"],
        BoothSession.Outcome.LEFT,
    )
    assert VisitEvent.objects.filter(visit=session.visit, kind=VisitEvent.Kind.BOOTH_ENDED).exists()


def test_it_ends_an_observation_before_its_minimum_with_the_reason(cast):
    observation = in_observation("AB1985M", cast["health"])  # at noon; observed from 12:10
    closed_at = NOON + dt.timedelta(minutes=15)

    visit_close_out(visit=observation.visit, by=cast["duty"], reason="other", note="went home", now=closed_at)

    observation.refresh_from_db()
    assert observation.ended_at == closed_at
    assert observation.early_release_reason == f"{t('Other reason')}: went home"
    assert Visit.objects.get(pk=observation.visit_id).end_note == f"{t('Other reason')}: went home"


def test_it_needs_a_note_for_another_reason(cast):
    visit = checked_in("AB1985M", cast["reception"])

    with pytest.raises(ValidationError) as refused:
        visit_close_out(visit=visit, by=cast["duty"], reason="other", note="  ", now=NEAR_CLOSING)

    assert refused.value.messages == [t("Describe the reason for closing the visit.")]
    assert Visit.objects.get(pk=visit.pk).ended_at is None


@pytest.mark.parametrize("reason", ["overnight", "", "gone"])
def test_it_refuses_a_reason_a_duty_officer_does_not_choose(cast, reason):
    visit = checked_in("AB1985M", cast["reception"])

    with pytest.raises(ValidationError):
        visit_close_out(visit=visit, by=cast["duty"], reason=reason, now=NEAR_CLOSING)


def test_it_treats_the_same_close_twice_as_one(cast):
    visit = checked_in("AB1985M", cast["reception"])

    visit_close_out(visit=visit, by=cast["duty"], reason="closing", now=NEAR_CLOSING)
    visit_close_out(visit=visit, by=cast["duty"], reason="closing", now=NEAR_CLOSING + dt.timedelta(seconds=2))

    assert VisitEvent.objects.filter(visit=visit, kind=VisitEvent.Kind.CHECKED_OUT).count() == 1


def test_it_tells_the_second_duty_officer_who_closed_it_first(cast):
    visit = checked_in("AB1985M", cast["reception"])
    other = make_user("vakt2", Role.DUTY)
    visit_close_out(visit=visit, by=cast["duty"], reason="closing", now=NEAR_CLOSING)

    with pytest.raises(ValidationError) as refused:
        visit_close_out(visit=visit, by=other, reason="unnoticed", now=NEAR_CLOSING)

    assert refused.value.code == "visit_ended"
    assert Visit.objects.get(pk=visit.pk).end_reason == "closing"


def test_it_closes_everyone_at_once_with_one_reason(cast):
    queued = checked_in("AB1985M", cast["reception"])
    session = in_booth("CD1980K", cast["health"], now=EVENING + dt.timedelta(minutes=5))
    observation = in_observation("EF1990K", cast["health"], label="2", now=EVENING)

    closed = visits_close_out_all(by=cast["duty"], reason="closing", now=NEAR_CLOSING)

    assert closed == 3
    assert not Visit.objects.filter(ended_at__isnull=True).exists()
    assert set(Visit.objects.values_list("end_reason", flat=True)) == {"closing"}
    assert BoothSession.objects.get(pk=session.pk).ended_at == NEAR_CLOSING
    assert Observation.objects.get(pk=observation.pk).ended_at == NEAR_CLOSING
    assert Visit.objects.get(pk=queued.pk).ended_by == cast["duty"]


def test_it_closes_only_the_visits_the_page_listed(cast):
    listed = checked_in("AB1985M", cast["reception"])
    newcomer = checked_in("CD1980K", cast["reception"], now=EVENING)

    closed = visits_close_out_all(by=cast["duty"], reason="closing", now=NEAR_CLOSING, visit_ids=[listed.pk])

    assert closed == 1
    assert Visit.objects.get(pk=newcomer.pk).ended_at is None


def test_it_closes_nothing_the_second_time(cast):
    checked_in("AB1985M", cast["reception"])
    visits_close_out_all(by=cast["duty"], reason="closing", now=NEAR_CLOSING)

    assert visits_close_out_all(by=cast["duty"], reason="closing", now=NEAR_CLOSING) == 0


def test_it_needs_a_note_to_close_everyone_for_another_reason(cast):
    checked_in("AB1985M", cast["reception"])

    with pytest.raises(ValidationError):
        visits_close_out_all(by=cast["duty"], reason="other", now=NEAR_CLOSING)

    assert Visit.objects.filter(ended_at__isnull=True).count() == 1


# The page -----------------------------------------------------------------------------------------


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_shows_the_duty_officer_everyone_inside_with_the_closing_time(client_for, cast):
    checked_in("AB1985M", cast["reception"])
    in_booth("CD1980K", cast["health"], now=EVENING)

    response = client_for("duty").get("/close-out/")

    assert t("Closing time today: %(time)s", time="21:30") == marked_text(response.content, "closing-time")
    rows = marked_texts(response.content, "inside-row")
    assert [row.split()[0] for row in rows] == ["AB1985M", "CD1980K"]
    assert (
        t("Booth session %(booth)s since %(start)s, limit %(end)s", booth=booth_name("1"), start="20:20", end="20:50")
        in rows[1]
    )
    assert nb_plural("Close %(count)s visit", "Close all %(count)s visits", 2) in text_of(response.content)


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_shows_the_close_out_in_the_duty_officer_s_navigation(client_for, cast):
    assert "/close-out/" in nav_hrefs(client_for("duty").get("/floor/").content.decode())


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_says_nobody_is_inside(client_for, cast):
    response = client_for("duty").get("/close-out/")

    assert marked_text(response.content, "nobody-inside") == t("Nobody is inside.")


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_closes_one_visit_from_the_page_and_says_so(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    duty = client_for("duty")

    response = duty.post(f"/visits/{visit.pk}/close/", {"reason": "transferred", "note": ""})

    assert (response.status_code, response["Location"]) == (303, "/close-out/")
    page = duty.get("/close-out/")
    assert t(
        "The visit of %(code)s is closed: %(reason)s.",
        code="AB1985M",
        reason=t("Transferred (ambulance, hospital, police)"),
    ) in text_of(page.content)
    assert Visit.objects.get(pk=visit.pk).end_reason == "transferred"


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_asks_for_a_note_on_the_page_for_another_reason(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    duty = client_for("duty")

    response = duty.post(f"/visits/{visit.pk}/close/", {"reason": "other", "note": ""}, follow=True)

    assert t("Describe the reason for closing the visit.") in text_of(response.content)
    assert Visit.objects.get(pk=visit.pk).ended_at is None


@time_machine.travel(NEAR_CLOSING, tick=False)
@pytest.mark.parametrize("reason", ["", "overnight", "nonsense"])
def test_it_asks_for_a_reason_on_the_page(client_for, cast, reason):
    visit = checked_in("AB1985M", cast["reception"])

    response = client_for("duty").post(f"/visits/{visit.pk}/close/", {"reason": reason}, follow=True)

    assert t("Choose a reason for closing the visit.") in text_of(response.content)
    assert Visit.objects.get(pk=visit.pk).ended_at is None


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_tells_the_duty_officer_someone_else_closed_it_first(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    visit_close_out(visit=visit, by=make_user("vakt2", Role.DUTY), reason="closing", now=NEAR_CLOSING)

    response = client_for("duty").post(f"/visits/{visit.pk}/close/", {"reason": "unnoticed"}, follow=True)

    assert response.status_code == 200
    assert t("%(code)s was checked out at %(time)s by %(who)s.", code="AB1985M", time="21:20", who="vakt2") in (
        text_of(response.content)
    )


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_closes_everyone_from_the_page(client_for, cast):
    first = checked_in("AB1985M", cast["reception"])
    second = checked_in("CD1980K", cast["reception"])
    duty = client_for("duty")

    response = duty.post("/close-out/all/", {"reason": "closing", "visits": f"{first.pk},{second.pk}"})

    assert response.status_code == 303
    page = duty.get("/close-out/")
    assert nb_plural("%(count)d visit is closed.", "%(count)d visits are closed.", 2) in text_of(page.content)
    assert marked_text(page.content, "nobody-inside") == t("Nobody is inside.")


@time_machine.travel(NEAR_CLOSING, tick=False)
def test_it_answers_a_second_close_all_with_nobody_left(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    duty = client_for("duty")
    duty.post("/close-out/all/", {"reason": "closing", "visits": str(visit.pk)})

    response = duty.post("/close-out/all/", {"reason": "closing", "visits": str(visit.pk)}, follow=True)

    assert t("Nobody was left to close: the visits were closed a moment ago.") in text_of(response.content)
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.CHECKED_OUT).count() == 1


@pytest.mark.parametrize("role", ["reception", "counselor", "health", "coordinator", "norole"])
def test_it_forbids_the_close_out_to_other_roles(client_for, cast, role):
    visit = checked_in("AB1985M", cast["reception"])
    staff = client_for(role)

    assert staff.get("/close-out/").status_code == 403
    assert staff.post(f"/visits/{visit.pk}/close/", {"reason": "closing"}).status_code == 403
    assert staff.post("/close-out/all/", {"reason": "closing"}).status_code == 403
    assert Visit.objects.get(pk=visit.pk).ended_at is None


def test_it_sends_the_anonymous_to_log_in(client, cast):
    assert client.get("/close-out/")["Location"].startswith("/login/")


def test_it_rejects_get_on_closing(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    assert client_for("duty").get(f"/visits/{visit.pk}/close/").status_code == 405
    assert client_for("duty").get("/close-out/all/").status_code == 405

"""The injection room: assigning booths, the consumption record, equipment, the booth timer, ending."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.support.factories import booth, heroin, injection
from tests.support.pages import booth_card, booth_name, section, t
from tests.support.races import race
from tests.support.rooms import checked_in, in_booth
from tests.support.time import NOON_2024 as NOON
from visits.models import (
    Booth,
    BoothSession,
    EquipmentItem,
    HandOut,
    Observation,
    Route,
    Substance,
    Visit,
    VisitEvent,
)
from visits.services.rooms import booth_assign, booth_end

pytestmark = pytest.mark.django_db
DUE_SOON = dt.timedelta(minutes=5)


def _session(limit: int = 30) -> BoothSession:
    return BoothSession(started_at=NOON, time_limit_minutes=limit)


def test_it_runs_until_the_last_minutes_of_the_limit():
    assert _session().get_status(NOON + dt.timedelta(minutes=24, seconds=59), DUE_SOON) == "running"


def test_it_is_due_soon_in_the_last_minutes_of_the_limit():
    assert _session().get_status(NOON + dt.timedelta(minutes=25), DUE_SOON) == "due_soon"


def test_it_is_overdue_from_the_limit_on():
    assert _session().get_status(NOON + dt.timedelta(minutes=30), DUE_SOON) == "overdue"


def test_it_is_ended_once_closed_whatever_the_time():
    session = _session()
    session.ended_at = NOON + dt.timedelta(minutes=10)
    assert session.get_status(NOON + dt.timedelta(hours=2), DUE_SOON) == "ended"


def test_it_assigns_the_chosen_booth_and_starts_the_timer_against_the_route_limit(cast):
    visit = checked_in("AB1985M", cast["reception"])
    Route.objects.filter(pk=injection().pk).update(booth_time_limit_minutes=20)

    session = booth_assign(
        visit=visit, booth=booth("3"), route=injection(), substance=heroin(), by=cast["health"], now=NOON
    )

    visit.refresh_from_db()
    assert (session.booth.label, session.time_limit_minutes, session.started_at) == ("3", 20, NOON)
    assert (visit.location, visit.location_since) == (Visit.Location.BOOTH, NOON)
    event = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.BOOTH_STARTED)
    assert (event.by, event.at) == (cast["health"], NOON)


def test_it_keeps_the_time_limit_the_session_started_with(cast):
    session = in_booth("AB1985M", cast["health"])
    Route.objects.filter(pk=session.route_id).update(booth_time_limit_minutes=5)
    session.refresh_from_db()
    assert session.get_status(NOON + dt.timedelta(minutes=10), DUE_SOON) == "running"


def test_it_assigns_the_next_free_booth_in_order(cast):
    in_booth("AB1985M", cast["health"], label="1")
    visit = checked_in("CD1980K", cast["reception"])
    session = booth_assign(visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=NOON)
    assert session.booth.label == "2"


def test_it_looks_again_when_the_free_booth_it_found_was_taken_a_moment_before(cast, monkeypatch):
    """The look for a free booth may predate a session another station committed a moment ago."""
    from visits.services.rooms import booths as service

    in_booth("AB1985M", cast["health"], label="1")
    visit = checked_in("CD1980K", cast["reception"])
    looks = []
    real_look = service._lock_free_booth

    def stale_first_look(chosen):
        looks.append(chosen)
        return booth("1") if len(looks) == 1 else real_look(chosen)  # the first look still saw booth 1 free

    monkeypatch.setattr(service, "_lock_free_booth", stale_first_look)
    session = booth_assign(visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=NOON)

    assert (len(looks), session.booth.label) == (2, "2")
    assert BoothSession.objects.filter(booth=booth("1"), ended_at__isnull=True).count() == 1


def test_it_refuses_a_taken_booth_and_names_who_is_in_it(cast):
    in_booth("AB1985M", cast["health"], label="1")
    visit = checked_in("CD1980K", cast["reception"])
    with pytest.raises(ValidationError) as error:
        booth_assign(visit=visit, booth=booth("1"), route=injection(), substance=heroin(), by=cast["duty"], now=NOON)
    assert "AB1985M" in error.value.messages[0]
    assert BoothSession.objects.filter(visit=visit).count() == 0


def test_it_says_so_when_no_booth_is_free(cast):
    for number, code in enumerate(["AA1980M", "BB1980M", "CC1980M", "DD1980M", "EE1980M", "FF1980M"], start=1):
        in_booth(code, cast["health"], label=str(number))
    visit = checked_in("GG1980M", cast["reception"])
    with pytest.raises(ValidationError) as error:
        booth_assign(visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=NOON)
    assert error.value.code == "no_free_booth"
    assert Visit.objects.get(pk=visit.pk).location == Visit.Location.QUEUE


def test_it_refuses_a_substance_that_is_not_allowed(cast):
    visit = checked_in("AB1985M", cast["reception"])
    amphetamine = Substance.objects.get(name="Amfetamin")
    with pytest.raises(ValidationError) as error:
        booth_assign(visit=visit, booth=None, route=injection(), substance=amphetamine, by=cast["health"], now=NOON)
    assert error.value.code == "substance_not_allowed"


def test_it_refuses_a_route_that_is_not_allowed(cast):
    visit = checked_in("AB1985M", cast["reception"])
    smoking = Route.objects.get(name="Røyking")
    with pytest.raises(ValidationError) as error:
        booth_assign(visit=visit, booth=None, route=smoking, substance=heroin(), by=cast["health"], now=NOON)
    assert error.value.code == "route_not_allowed"


def test_it_records_a_start_time_written_up_afterwards(cast):
    visit = checked_in("AB1985M", cast["reception"])
    started = NOON + dt.timedelta(minutes=5)
    session = booth_assign(
        visit=visit,
        booth=None,
        route=injection(),
        substance=heroin(),
        started_at=started,
        by=cast["health"],
        now=NOON + dt.timedelta(minutes=12),
    )
    assert session.started_at == started


def test_it_refuses_a_start_time_in_the_future(cast):
    visit = checked_in("AB1985M", cast["reception"])
    with pytest.raises(ValidationError) as error:
        booth_assign(
            visit=visit,
            booth=None,
            route=injection(),
            substance=heroin(),
            started_at=NOON + dt.timedelta(minutes=30),
            by=cast["health"],
            now=NOON,
        )
    assert error.value.code == "future_start"


def test_it_ends_a_session_to_observation_with_the_routes_minimum_time(cast):
    session = in_booth("AB1985M", cast["health"])
    booth_end(
        session=session, next_location=Visit.Location.OBSERVATION, by=cast["duty"], now=NOON + dt.timedelta(minutes=12)
    )

    session.refresh_from_db()
    observation = Observation.objects.get(visit=session.visit)
    assert (session.ended_by, session.duration_seconds, session.outcome) == (cast["duty"], 720, "observation")
    assert (observation.min_minutes, observation.ended_at) == (injection().min_observation_minutes, None)
    assert Visit.objects.get(pk=session.visit_id).location == Visit.Location.OBSERVATION


def test_it_ends_a_session_with_the_client_leaving_and_ends_the_visit(cast):
    session = in_booth("AB1985M", cast["health"])
    booth_end(
        session=session, next_location=Visit.Location.GONE, by=cast["health"], now=NOON + dt.timedelta(minutes=20)
    )
    visit = Visit.objects.get(pk=session.visit_id)
    assert (visit.location, visit.duration_seconds) == (Visit.Location.GONE, 1200)
    assert not Observation.objects.filter(visit=visit).exists()


def test_it_tells_a_second_staff_member_the_session_was_already_ended(cast):
    session = in_booth("AB1985M", cast["health"])
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=NOON)
    with pytest.raises(ValidationError) as error:
        booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["duty"], now=NOON)
    assert error.value.code == "session_ended"
    assert Observation.objects.filter(visit=session.visit).count() == 1


def test_it_answers_a_repeated_end_from_the_same_person_quietly(cast):
    session = in_booth("AB1985M", cast["health"])
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=NOON)
    booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"], now=NOON)
    assert Observation.objects.filter(visit=session.visit).count() == 1
    assert VisitEvent.objects.filter(visit=session.visit, kind=VisitEvent.Kind.BOOTH_ENDED).count() == 1


def test_it_lets_the_database_refuse_a_second_open_session_in_a_booth(cast):
    first = in_booth("AB1985M", cast["health"], label="1")
    other = checked_in("CD1980K", cast["reception"])
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothSession.objects.create(
            visit=other,
            booth=first.booth,
            route=first.route,
            substance=first.substance,
            started_at=NOON,
            started_by=cast["duty"],
            time_limit_minutes=30,
        )


def test_it_lets_the_database_refuse_a_second_open_session_for_a_visit(cast):
    first = in_booth("AB1985M", cast["health"], label="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        BoothSession.objects.create(
            visit=first.visit,
            booth=booth("2"),
            route=first.route,
            substance=first.substance,
            started_at=NOON,
            started_by=cast["duty"],
            time_limit_minutes=30,
        )


# The views ----------------------------------------------------------------------------------------


def _assign(client, visit, **data):
    payload = {"route": injection().pk, "substance": heroin().pk, "panel": "injection", **data}
    return client.post(f"/visits/{visit.pk}/assign-booth/", payload, HTTP_HX_REQUEST="true")


@time_machine.travel(NOON, tick=False)
def test_it_shows_the_assigned_client_in_the_booth_card(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    health = client_for("health")
    response = _assign(health, visit, booth=booth("4").pk)
    html = response.content.decode()
    assert "<html" not in html  # the message alone, for htmx to put above the board
    assert response["HX-Retarget"] == "#board-messages"
    assert t("%(code)s is in %(booth)s.", code="AB1985M", booth=booth_name("4")) in html
    # The board then refreshes itself and shows the client in the booth.
    board = health.get("/injection/board/", HTTP_HX_REQUEST="true").content.decode()
    assert "AB1985M" in booth_card(board, "4")


@time_machine.travel(NOON, tick=False)
def test_it_hands_out_the_default_kit_with_the_assignment(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    _assign(client_for("health"), visit, kit="1")
    given = dict(HandOut.objects.filter(visit=visit).values_list("item__name", "quantity"))
    expected = dict(
        EquipmentItem.objects.filter(default_kit_quantity__gt=0).values_list("name", "default_kit_quantity")
    )
    assert given == expected


@time_machine.travel(NOON, tick=False)
def test_it_records_one_session_and_one_kit_when_the_assignment_is_submitted_twice(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    health = client_for("health")
    first = _assign(health, visit, kit="1")
    second = _assign(health, visit, kit="1")
    assert (first.status_code, second.status_code) == (200, 200)
    assert BoothSession.objects.filter(visit=visit).count() == 1
    assert HandOut.objects.filter(visit=visit, item__name="Kanyle").get().quantity == 2


@time_machine.travel(NOON, tick=False)
def test_it_hands_out_adjusted_quantities_during_the_session(client_for, cast):
    session = in_booth("AB1985M", cast["health"])
    needle = EquipmentItem.objects.get(name="Kanyle")
    swab = EquipmentItem.objects.get(name="Spritserviett")
    client_for("health").post(
        f"/visits/{session.visit_id}/hand-out/",
        {f"qty_{needle.pk}": "4", f"qty_{swab.pk}": "0", "panel": "injection"},
        HTTP_HX_REQUEST="true",
    )
    assert list(HandOut.objects.filter(visit=session.visit).values_list("item__name", "quantity")) == [("Kanyle", 4)]


@time_machine.travel(NOON, tick=False)
def test_it_shows_who_has_the_booth_when_it_was_taken_meanwhile(client_for, cast):
    in_booth("AB1985M", cast["duty"], label="2")
    visit = checked_in("CD1980K", cast["reception"])
    html = _assign(client_for("health"), visit, booth=booth("2").pk).content.decode()
    assert (
        t(
            "%(booth)s is taken: %(code)s has been there since %(time)s.",
            booth=booth_name("2"),
            code="AB1985M",
            time="12:00",
        )
        in html
    )
    assert BoothSession.objects.filter(visit=visit).count() == 0


@time_machine.travel(NOON, tick=False)
def test_it_redirects_back_with_the_message_without_htmx(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    response = client_for("health").post(
        f"/visits/{visit.pk}/assign-booth/",
        {"route": injection().pk, "substance": heroin().pk, "panel": "injection"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/injection/"
    assert t("%(code)s is in %(booth)s.", code="AB1985M", booth=booth_name("1")) in response.content.decode()


def test_it_rejects_get_on_booth_assignment(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    assert client_for("health").get(f"/visits/{visit.pk}/assign-booth/").status_code == 405


def test_it_forbids_reception_to_assign_a_booth(client_for, cast):
    visit = checked_in("AB1985M", cast["reception"])
    response = client_for("reception").post(
        f"/visits/{visit.pk}/assign-booth/", {"route": injection().pk, "substance": heroin().pk}
    )
    assert response.status_code == 403
    assert not BoothSession.objects.exists()


@time_machine.travel(NOON + dt.timedelta(minutes=26), tick=False)
def test_it_marks_a_booth_due_soon_by_colour_and_text(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1")
    html = client_for("health").get("/injection/").content.decode()
    card = booth_card(html, "1")
    assert "status-due_soon" in card
    assert t("Due soon") in card and t("%(time)s left", time="4:00") in card


@time_machine.travel(NOON + dt.timedelta(minutes=31, seconds=5), tick=False)
def test_it_marks_a_booth_overdue_by_colour_and_text(client_for, cast):
    in_booth("AB1985M", cast["health"], label="1")
    html = client_for("health").get("/injection/").content.decode()
    card = booth_card(html, "1")
    assert "status-overdue" in card
    assert t("Overdue") in card and t("overdue by %(time)s", time="1:05") in card


@time_machine.travel(NOON, tick=False)
def test_it_lists_the_queue_in_arrival_order_with_the_waiting_time(client_for, cast):
    checked_in("AB1985M", cast["reception"], now=NOON - dt.timedelta(minutes=7))
    checked_in("CD1980K", cast["reception"], now=NOON - dt.timedelta(minutes=2))
    html = client_for("health").get("/injection/").content.decode()
    queue = section(html, "queue")
    assert queue.index("AB1985M") < queue.index("CD1980K")
    assert ">7:00<" in queue and ">2:00<" in queue


# Races, on either database -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOON, tick=True)
def test_it_gives_the_last_booth_to_one_of_two_staff_and_tells_the_other(cast):
    for number, code in enumerate(["AA1980M", "BB1980M", "CC1980M", "DD1980M", "EE1980M"], start=1):
        in_booth(code, cast["health"], label=str(number))
    first = checked_in("FF1980M", cast["reception"])
    second = checked_in("GG1980M", cast["reception"])
    last = Booth.objects.get(label="6")

    results = race(
        lambda: booth_assign(visit=first, booth=last, route=injection(), substance=heroin(), by=cast["health"]),
        lambda: booth_assign(visit=second, booth=last, route=injection(), substance=heroin(), by=cast["duty"]),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "booth_taken", results
    assert BoothSession.objects.filter(booth=last, ended_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOON, tick=True)
def test_it_gives_two_next_free_booth_requests_different_booths(cast):
    visits = [checked_in(code, cast["reception"]) for code in ["AA1980M", "BB1980M", "CC1980M"]]

    results = race(
        *[
            (lambda v=v: booth_assign(visit=v, booth=None, route=injection(), substance=heroin(), by=cast["health"]))
            for v in visits
        ]
    )

    assert all(isinstance(r, BoothSession) for r in results), results
    assert sorted(r.booth.label for r in results) == ["1", "2", "3"]


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOON, tick=True)
def test_it_records_one_session_when_the_same_assignment_arrives_twice_at_once(cast):
    visit = checked_in("AB1985M", cast["reception"])

    results = race(
        *[
            (lambda: booth_assign(visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"]))
            for _ in range(3)
        ]
    )

    assert all(isinstance(r, BoothSession) for r in results), results
    assert BoothSession.objects.filter(visit=visit).count() == 1
    assert VisitEvent.objects.filter(visit=visit, kind=VisitEvent.Kind.BOOTH_STARTED).count() == 1


@pytest.mark.django_db(transaction=True)
@time_machine.travel(NOON, tick=True)
def test_it_ends_a_session_once_when_two_staff_end_it_at_once(cast):
    session = in_booth("AB1985M", cast["health"])

    results = race(
        lambda: booth_end(session=session, next_location=Visit.Location.OBSERVATION, by=cast["health"]),
        lambda: booth_end(session=session, next_location=Visit.Location.GONE, by=cast["duty"]),
    )

    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1 and errors[0].code == "session_ended", results
    assert VisitEvent.objects.filter(visit=session.visit, kind=VisitEvent.Kind.BOOTH_ENDED).count() == 1

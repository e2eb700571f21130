"""Check-in at reception: the rules that say no, the pre-use check, the queue, and the duty officer's override."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.support.admin import change_in_admin
from tests.support.factories import BanFactory, ClientFactory, VisitFactory, heroin, not_allowed_substance
from tests.support.pages import form_field_names, form_values, marked_text, marked_texts, nb, text_of
from tests.support.queries import own_queries
from tests.support.time import NOON, TUESDAY, oslo
from visits.models import Client, ClosedDay, Intoxication, Refusal, Substance, Visit, VisitEvent
from visits.services.checkin import visit_check_in


@pytest.fixture
def reception(client_for, at_noon):
    return client_for("reception")


def check_in(http, client: Client, **data):
    return http.post(
        f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": Intoxication.NONE, **data}
    )


def blockers(response) -> str:
    """The rules that said no, as the card the refused check-in leads to shows them."""
    assert response.status_code == 303
    card = response.client.get(response.url)
    return marked_text(card.content, "blockers")


# Success


def test_it_puts_the_client_in_the_queue(reception, cast):
    client = ClientFactory()

    response = check_in(reception, client)

    assert response.status_code == 302
    assert response.url == "/reception/"
    visit = Visit.objects.get(client=client)
    assert visit.location == Visit.Location.QUEUE
    assert visit.ended_at is None
    assert (visit.checked_in_at, visit.checked_in_by, visit.location_since) == (NOON, cast["reception"], NOON)


def test_it_writes_a_check_in_event_by_the_staff_member(reception, cast):
    client = ClientFactory()

    check_in(reception, client)

    event = VisitEvent.objects.get(visit__client=client)
    assert (event.kind, event.at, event.by, event.location) == (
        VisitEvent.Kind.CHECKED_IN,
        NOON,
        cast["reception"],
        Visit.Location.QUEUE,
    )


def test_it_tells_reception_the_client_waits_for_a_booth(reception):
    client = ClientFactory(code="MAKO1990K")

    response = check_in(reception, client)

    page = reception.get(response.url)
    assert nb("%(code)s is checked in and waits for a booth.") % {"code": "MAKO1990K"} in text_of(page.content)


def test_it_records_the_pre_use_check(reception):
    client = ClientFactory()
    morphine = Substance.objects.get(name="Morfin")
    benzos = Substance.objects.get(name="Benzodiazepiner")

    check_in(
        reception,
        client,
        dose="0.2 g",
        last_use="10:30",
        other_substances=[morphine.pk, benzos.pk],
        other_substances_note="beer",
        intoxication=Intoxication.SOME,
    )

    visit = Visit.objects.get(client=client)
    assert (visit.substance, visit.dose, visit.intoxication) == (heroin(), "0.2 g", Intoxication.SOME)
    assert visit.last_use_at == oslo(TUESDAY, 10, 30)
    assert set(visit.other_substances.all()) == {morphine, benzos}
    assert visit.other_substances_note == "beer"


def test_it_reads_a_last_use_later_than_now_as_last_night(reception):
    client = ClientFactory()

    check_in(reception, client, last_use="23:15")

    assert Visit.objects.get(client=client).last_use_at == oslo(TUESDAY - dt.timedelta(days=1), 23, 15)


def test_it_shows_the_client_in_the_building_on_the_reception_page(reception):
    client = ClientFactory(code="MAKO1990K")

    check_in(reception, client)

    page = reception.get("/reception/")
    assert "MAKO1990K" in text_of(page.content)
    assert nb("Waiting for a booth") in text_of(page.content)
    assert marked_text(page.content, "count-check-ins") == "1"


def test_it_takes_three_actions_for_a_returning_client(reception):
    client = ClientFactory(code="MAKO1990K")

    results = reception.get("/reception/search/", {"q": "mako1990k"}, HTTP_HX_REQUEST="true")  # 1: type the code
    assert f'href="/clients/{client.pk}/"' in results.content.decode()
    card = reception.get(f"/clients/{client.pk}/")  # 2: open the card
    action = f"/clients/{client.pk}/check-in/"
    done = reception.post(action, form_values(card.content, action))  # 3: check in, the form as it stands

    assert done.status_code == 302
    assert Visit.objects.get(client=client).location == Visit.Location.QUEUE


def test_it_opens_one_visit_when_the_check_in_is_submitted_twice(reception):
    client = ClientFactory()

    first = check_in(reception, client)
    second = check_in(reception, client)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Visit.objects.filter(client=client).count() == 1
    assert VisitEvent.objects.filter(visit__client=client, kind=VisitEvent.Kind.CHECKED_IN).count() == 1


def test_it_admits_a_client_who_shows_some_signs_of_intoxication(reception):
    client = ClientFactory()

    assert check_in(reception, client, intoxication=Intoxication.SOME).status_code == 302


def test_it_admits_until_last_admission(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 20, 59), tick=False)
    client = ClientFactory()

    assert check_in(client_for("reception"), client).status_code == 302


def test_it_admits_from_opening_time(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 8, 0), tick=False)
    client = ClientFactory()

    assert check_in(client_for("reception"), client).status_code == 302


# Each rule that says no


def test_it_refuses_after_last_admission(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 10), tick=False)
    client = ClientFactory()

    response = check_in(client_for("reception"), client)

    assert nb("Check-in is closed now (outside opening hours or after last admission).") in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_before_opening(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 7, 30), tick=False)
    client = ClientFactory()

    response = check_in(client_for("reception"), client)

    assert nb("Check-in is closed now (outside opening hours or after last admission).") in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_on_a_closed_day(reception):
    ClosedDay.objects.create(date=TUESDAY, reason="Maintenance")
    client = ClientFactory()

    response = check_in(reception, client)

    assert nb("Check-in is closed now (outside opening hours or after last admission).") in blockers(response)


def test_it_refuses_a_client_without_intake_and_says_to_send_them_to_the_interview_room(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(reception, client)

    assert nb("The client has no completed intake. Send them to the interview room.") in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_a_deregistered_client(reception):
    client = ClientFactory(status=Client.Status.DEREGISTERED)

    response = check_in(reception, client)

    assert nb("The client is deregistered. A new intake is needed.") in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_a_banned_client_and_says_why(reception):
    client = ClientFactory()
    BanFactory(client=client, reason="Threatened staff")

    response = check_in(reception, client)

    assert nb("The client is banned: %(reason)s") % {"reason": "Threatened staff"} in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_a_substance_that_is_not_allowed(reception):
    client = ClientFactory()
    substance = not_allowed_substance()

    response = check_in(reception, client, substance=substance.pk)

    assert nb("%(substance)s may not be used here.") % {"substance": substance.label} in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_a_client_who_is_too_intoxicated(reception):
    client = ClientFactory()

    response = check_in(reception, client, intoxication=Intoxication.HEAVY)

    assert nb("The client is too intoxicated to use safely now.") in blockers(response)
    assert not Visit.objects.exists()


def test_it_refuses_a_client_already_inside(reception, cast):
    client = ClientFactory()
    VisitFactory(client=client, checked_in_by=cast["duty"], checked_in_at=NOON - dt.timedelta(minutes=15))

    response = check_in(reception, client)

    assert nb("The client is already checked in.") in blockers(response)
    assert Visit.objects.filter(client=client).count() == 1


def test_it_tells_why_when_only_the_database_sees_the_client_inside(reception, cast, monkeypatch):
    """The unique constraint has the last word: should the lookup miss the open visit, nothing is half written."""
    client = ClientFactory()
    VisitFactory(client=client, checked_in_by=cast["duty"], checked_in_at=NOON - dt.timedelta(minutes=15))
    monkeypatch.setattr(Visit.objects, "filter", lambda *args, **kwargs: Visit.objects.none())

    response = check_in(reception, client)

    assert nb("The client is already checked in.") in blockers(response)
    monkeypatch.undo()
    assert Visit.objects.filter(client=client).count() == 1
    assert not VisitEvent.objects.filter(by=cast["reception"]).exists()


def test_it_lists_every_rule_that_says_no(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    text = blockers(check_in(reception, client, intoxication=Intoxication.HEAVY))

    assert nb("The client has no completed intake. Send them to the interview room.") in text
    assert nb("The client is too intoxicated to use safely now.") in text


def test_it_offers_to_record_the_refusal_with_the_reason_filled_in(reception):
    client = ClientFactory()

    response = check_in(reception, client, intoxication=Intoxication.HEAVY)

    card = reception.get(response.url)
    action = f"/clients/{client.pk}/refuse/"
    assert form_values(card.content, action)["reason"] == Refusal.Reason.TOO_INTOXICATED


def test_it_refuses_a_last_use_in_the_future(at_noon, cast):
    client = ClientFactory()

    with pytest.raises(ValidationError) as refused:
        visit_check_in(
            client=client, by=cast["reception"], substance=heroin(), last_use_at=NOON + dt.timedelta(minutes=5)
        )

    assert refused.value.messages == [nb("The time of last use cannot be in the future.")]
    assert not Visit.objects.exists()


def test_it_asks_the_database_at_most_five_things_of_its_own(reception):
    client, substance = ClientFactory(), heroin()
    reception.get(f"/clients/{client.pk}/")  # the card it is sent from: session, permissions, substances kept

    with CaptureQueriesContext(connection) as queries:
        response = reception.post(
            f"/clients/{client.pk}/check-in/", {"substance": substance.pk, "intoxication": Intoxication.NONE}
        )

    assert response.status_code == 302
    # The client under lock; in one query after it, an open visit, a ban and whether any visit is left
    # open from before today (the overnight close); the visit, its history row and its event. Plus BEGIN
    # and COMMIT. The substances are kept from the card until a setting changes.
    assert len(own_queries(queries)) <= 5, "\n".join(own_queries(queries))
    assert not [sql for sql in own_queries(queries) if '"visits_substance"' in sql]


def test_it_refuses_a_substance_disallowed_in_the_admin_since_the_card_was_drawn(reception, cast):
    client = ClientFactory()
    reception.get(f"/clients/{client.pk}/")  # the substances are kept, heroin allowed
    change_in_admin(cast["admin"], heroin(), enabled=False)

    response = check_in(reception, client)

    assert nb("%(substance)s may not be used here.") % {"substance": heroin().label} in blockers(response)
    assert not Visit.objects.exists()


def test_it_admits_with_a_substance_allowed_in_the_admin_since_the_card_was_drawn(reception, cast):
    client = ClientFactory()
    reception.get(f"/clients/{client.pk}/")  # the substances are kept, this one not allowed
    substance = not_allowed_substance()
    change_in_admin(cast["admin"], substance, enabled=True)

    response = check_in(reception, client, substance=substance.pk)

    assert response.status_code == 302
    assert Visit.objects.get(client=client).substance == substance


# The duty officer's override


def test_it_lets_a_duty_officer_admit_against_a_rule_with_a_reason(client_for, at_noon, cast):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(client_for("duty"), client, override_reason="Counselor away; intake tomorrow")

    assert response.status_code == 302
    visit = Visit.objects.get(client=client)
    assert visit.override_reason == "Counselor away; intake tomorrow"
    assert visit.overridden_rules == Refusal.Reason.NOT_ELIGIBLE
    assert visit.override_by == cast["duty"]


def test_it_records_the_override_as_an_event(client_for, at_noon, cast):
    client = ClientFactory()

    check_in(client_for("duty"), client, intoxication=Intoxication.HEAVY, override_reason="Known client, calm")

    event = VisitEvent.objects.get(visit__client=client, kind=VisitEvent.Kind.OVERRIDE)
    assert event.by == cast["duty"]
    assert "Known client, calm" in event.note


def test_it_records_every_rule_overridden(client_for, at_noon):
    client = ClientFactory(status=Client.Status.PENDING)
    BanFactory(client=client)

    check_in(client_for("duty"), client, override_reason="Decided with the coordinator")

    rules = Visit.objects.get(client=client).overridden_rules.split(",")
    assert sorted(rules) == sorted([Refusal.Reason.NOT_ELIGIBLE, Refusal.Reason.BANNED])


def test_it_shows_the_override_on_the_card(client_for, at_noon):
    client = ClientFactory(status=Client.Status.PENDING)
    duty = client_for("duty")
    check_in(duty, client, override_reason="Counselor away; intake tomorrow")

    alert = marked_text(duty.get(f"/clients/{client.pk}/").content, "inside-alert")

    assert nb("Admitted against the rules:") in alert
    assert "Counselor away; intake tomorrow" in alert


def test_it_warns_that_the_client_was_admitted_against_the_rules(client_for, at_noon):
    client = ClientFactory(code="MAKO1990K", status=Client.Status.PENDING)
    duty = client_for("duty")

    response = check_in(duty, client, override_reason="Counselor away")

    page = duty.get(response.url)
    assert nb("%(code)s is admitted against the rules and waits for a booth.") % {"code": "MAKO1990K"} in text_of(
        page.content
    )


def test_it_offers_the_duty_officer_the_override(client_for, at_noon):
    client = ClientFactory()

    response = client_for("duty").get(f"/clients/{client.pk}/")

    assert "override_reason" in form_field_names(response.content, f"/clients/{client.pk}/check-in/")


def test_it_needs_the_duty_officers_reason_to_override(client_for, at_noon):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(client_for("duty"), client, override_reason="   ")

    assert nb("The client has no completed intake. Send them to the interview room.") in blockers(response)
    assert not Visit.objects.exists()


def test_it_does_not_offer_reception_the_override(reception):
    client = ClientFactory()

    response = reception.get(f"/clients/{client.pk}/")

    assert "override_reason" not in form_field_names(response.content, f"/clients/{client.pk}/check-in/")


def test_it_ignores_an_override_posted_by_reception(reception):
    client = ClientFactory(status=Client.Status.PENDING)

    response = check_in(reception, client, override_reason="I say so")

    assert nb("The client has no completed intake. Send them to the interview room.") in blockers(response)
    assert not Visit.objects.exists()


def test_it_never_overrides_already_inside(client_for, at_noon, cast):
    client = ClientFactory()
    VisitFactory(client=client, checked_in_by=cast["reception"], checked_in_at=NOON - dt.timedelta(minutes=15))

    response = check_in(client_for("duty"), client, override_reason="Let them in twice")

    assert nb("The client is already checked in.") in blockers(response)
    assert Visit.objects.filter(client=client).count() == 1


def test_it_records_no_override_when_no_rule_said_no(client_for, at_noon):
    client = ClientFactory()

    check_in(client_for("duty"), client, override_reason="Just in case")

    visit = Visit.objects.get(client=client)
    assert (visit.override_reason, visit.overridden_rules, visit.override_by) == ("", "", None)
    assert not VisitEvent.objects.filter(kind=VisitEvent.Kind.OVERRIDE).exists()


# Bad requests


def test_it_rejects_get(reception):
    client = ClientFactory()

    assert reception.get(f"/clients/{client.pk}/check-in/").status_code == 405


@pytest.mark.parametrize("role", ["health", "counselor", "coordinator", "norole"])
def test_it_is_forbidden_for_roles_that_do_not_check_in(client_for, at_noon, role):
    client = ClientFactory()

    assert check_in(client_for(role), client).status_code == 403
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"substance": "999999"},
        {"substance": "heroin"},
        {"intoxication": "wasted"},
        {"dose": "x" * 101},
        {"last_use": "25:99"},
        {"other_substances": ["abc"]},
    ],
)
def test_it_shows_a_form_error_for_bad_input(reception, data):
    client = ClientFactory()

    response = check_in(reception, client, **data)

    assert response.status_code == 303
    card = reception.get(response.url)
    assert card.context["check_in_form"].errors
    assert not Visit.objects.exists()


def test_it_answers_404_for_an_unknown_client(reception):
    assert reception.post("/clients/999999/check-in/", {"substance": 1}).status_code == 404


def test_it_shows_check_in_closed_on_the_reception_page_after_last_admission(client_for, facility):
    with time_machine.travel(oslo(TUESDAY, 21, 10), tick=False):
        page = client_for("reception").get("/reception/")

    assert nb("Open, no new admissions") in text_of(page.content)
    assert marked_texts(page.content, "count-check-ins") == ["0"]


def test_it_checks_in_in_at_most_ten_queries_with_everything_every_request_pays(
    reception, django_assert_max_num_queries
):
    client, substance = ClientFactory(), heroin()
    reception.get(f"/clients/{client.pk}/")  # the card it is sent from

    with django_assert_max_num_queries(10):
        response = reception.post(
            f"/clients/{client.pk}/check-in/", {"substance": substance.pk, "intoxication": Intoxication.NONE}
        )

    assert response.status_code == 302
    visit = Visit.objects.get(client=client, ended_at__isnull=True)
    assert visit.history.count() == 1
    assert list(visit.events.values_list("kind", flat=True)) == [VisitEvent.Kind.CHECKED_IN]


def test_it_answers_a_check_in_of_a_missing_client_with_not_found(reception):
    response = reception.post("/clients/999999/check-in/", {"substance": heroin().pk, "intoxication": "none"})

    assert response.status_code == 404
    assert not Visit.objects.exists()

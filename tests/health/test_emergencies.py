"""Emergencies: opened in one click, recorded as they happen, completed afterwards, flagged for a week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from health import services
from health.models import Emergency, Intervention
from health.selectors import client_had_recent_overdose
from tests.support.factories import ClientFactory
from tests.support.pages import nb
from visits.models import Booth, BoothSession, Route, Visit

pytestmark = pytest.mark.django_db


def _open(client_for, client, who="health"):
    return client_for(who).post("/health/emergencies/open/", {"client_id": client.pk})


def test_it_opens_an_emergency_stamped_now_where_the_client_is(client_inside, client_for, at_noon):
    response = _open(client_for, client_inside)
    emergency = Emergency.objects.get(client=client_inside)
    assert response.status_code == 302
    assert response["Location"] == f"/health/emergencies/{emergency.pk}/"
    assert emergency.started_at == dt.datetime.now(dt.UTC)
    assert emergency.place == Emergency.Place.RECEPTION
    assert emergency.visit == Visit.objects.get(client=client_inside)


def test_it_hands_a_later_press_the_emergency_already_open(client_inside, cast):
    # Two presses at the same moment, raced in threads: tests/health/test_emergency_races.py.
    first, created_first = services.emergency_open(client=client_inside, by=cast["health"])
    second, created_second = services.emergency_open(client=client_inside, by=cast["duty"])
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Emergency.objects.filter(client=client_inside).count() == 1


def test_it_places_an_emergency_in_the_booth_the_client_is_in(client_inside, cast):
    visit = Visit.objects.get(client=client_inside)
    booth = Booth.objects.get(label="3")
    BoothSession.objects.create(
        visit=visit,
        booth=booth,
        route=Route.objects.get(enabled=True),
        substance=visit.substance,
        started_at=visit.checked_in_at,
        started_by=cast["health"],
        time_limit_minutes=30,
    )
    Visit.objects.filter(pk=visit.pk).update(location=Visit.Location.BOOTH)
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    assert (emergency.place, emergency.booth) == (Emergency.Place.BOOTH, booth)


def test_it_takes_an_overdose_from_the_booth_to_a_hospital_transfer(client_inside, client_for, at_noon):
    http = client_for("health")
    _open(client_for, client_inside)
    emergency = Emergency.objects.get(client=client_inside)
    url = f"/health/emergencies/{emergency.pk}"
    at_noon.shift(dt.timedelta(minutes=1))
    http.post(f"{url}/intervention/", {"kind": "naloxone", "route": "in", "dose_mg": "1.8"})
    http.post(f"{url}/intervention/", {"kind": "oxygen"})
    at_noon.shift(dt.timedelta(minutes=2))
    http.post(f"{url}/ambulance_called/")
    http.post(f"{url}/intervention/", {"kind": "naloxone", "route": "im", "dose_mg": "0.4"})
    at_noon.shift(dt.timedelta(minutes=9))
    http.post(f"{url}/ambulance_arrived/")
    at_noon.shift(dt.timedelta(minutes=3))
    response = http.post(f"{url}/close/", {"outcome": "hospital"})

    emergency.refresh_from_db()
    assert response.status_code == 302
    assert emergency.outcome == Emergency.Outcome.HOSPITAL
    assert emergency.duration_seconds == 15 * 60
    naloxone = emergency.interventions.filter(kind=Intervention.Kind.NALOXONE)
    assert naloxone.count() == 2
    assert sum(i.dose_mg for i in naloxone) == Decimal("2.2")
    assert [i.route for i in naloxone] == ["in", "im"]
    assert emergency.ambulance_arrived_at - emergency.ambulance_called_at == dt.timedelta(minutes=9)
    page = http.get(f"{url}/").content.decode()
    assert nb("Transported to hospital") in page


def test_it_refuses_naloxone_without_a_sensible_dose(client_inside, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    for dose in (None, Decimal("0"), Decimal("-1"), Decimal("25")):
        with pytest.raises(ValidationError):
            services.emergency_intervention_add(
                emergency=emergency, kind="naloxone", route="in", dose_mg=dose, by=cast["health"]
            )
    with pytest.raises(ValidationError):
        services.emergency_intervention_add(
            emergency=emergency, kind="naloxone", route="iv", dose_mg=Decimal("1"), by=cast["health"]
        )
    assert not emergency.interventions.exists()


def test_it_shows_a_clear_message_for_a_negative_dose_on_the_page(client_inside, client_for, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    response = client_for("health").post(
        f"/health/emergencies/{emergency.pk}/intervention/", {"kind": "naloxone", "route": "in", "dose_mg": "-2"}
    )
    assert response.status_code == 400
    assert not emergency.interventions.exists()


def test_it_refuses_an_ambulance_arriving_before_it_was_called(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(ValidationError):
        services.emergency_update(
            emergency=emergency,
            by=cast["health"],
            kind=emergency.kind,
            place=emergency.place,
            signs=[],
            notes="",
            staff_involved=[cast["health"]],
            ambulance_called_at=now,
            ambulance_arrived_at=now - dt.timedelta(minutes=1),
            police_called_at=None,
        )


def test_it_refuses_an_intervention_after_the_end(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=5))
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=1))
    with pytest.raises(ValidationError):
        services.emergency_intervention_add(emergency=emergency, kind="oxygen", by=cast["health"])


def test_it_refuses_closing_before_a_recorded_intervention(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=5))
    services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])
    with pytest.raises(ValidationError):
        services.emergency_close(
            emergency=emergency, outcome="recovered", by=cast["health"], ended_at=emergency.started_at
        )


def test_it_keeps_each_correction_in_the_history(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    services.emergency_update(
        emergency=emergency,
        by=cast["duty"],
        kind=Emergency.Kind.STIMULANT_OVERDOSE,
        place=Emergency.Place.OBSERVATION,
        signs=["agitation", "overheating"],
        notes="Cooled down",
        staff_involved=[cast["health"], cast["duty"]],
        ambulance_called_at=None,
        ambulance_arrived_at=None,
        police_called_at=None,
    )
    history = list(emergency.history.order_by("history_id"))
    assert (history[0].kind, history[0].history_user) == (Emergency.Kind.OPIOID_OVERDOSE, cast["health"])
    assert (history[-1].kind, history[-1].notes) == (Emergency.Kind.STIMULANT_OVERDOSE, "Cooled down")
    assert history[-1].history_user == cast["duty"]


def test_it_flags_an_overdose_for_seven_days(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])
    now = dt.datetime.now(dt.UTC)
    assert client_had_recent_overdose(client_inside, now + dt.timedelta(days=6, hours=23))
    assert not client_had_recent_overdose(client_inside, now + dt.timedelta(days=7, minutes=1))


def test_it_does_not_flag_a_seizure_as_an_overdose(client_inside, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    Emergency.objects.filter(pk=emergency.pk).update(kind=Emergency.Kind.SEIZURE)
    assert not client_had_recent_overdose(client_inside, dt.datetime.now(dt.UTC))


def test_it_shows_reception_the_overdose_flag_and_no_clinical_detail(client_inside, client_for, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    services.emergency_update(
        emergency=emergency,
        by=cast["health"],
        kind=emergency.kind,
        place=emergency.place,
        signs=["pinpoint_pupils"],
        notes="Secret clinical note",
        staff_involved=[cast["health"]],
        ambulance_called_at=None,
        ambulance_arrived_at=None,
        police_called_at=None,
    )
    card = client_for("reception").get(f"/clients/{client_inside.pk}/").content.decode()
    assert 'data-testid="overdose-flag"' in card
    assert "Secret clinical note" not in card
    assert client_for("reception").get(f"/health/emergencies/{emergency.pk}/").status_code == 403


@pytest.mark.parametrize("role", ["reception", "counselor"])
def test_it_lets_anyone_on_the_floor_raise_an_emergency_but_not_read_it(client_inside, client_for, role):
    response = _open(client_for, client_inside, who=role)
    assert Emergency.objects.filter(client=client_inside).count() == 1
    assert response.status_code == 302
    assert "/health/emergencies/" not in response["Location"]


@pytest.mark.parametrize(
    "role,status",
    [("health", 200), ("duty", 200), ("coordinator", 200), ("reception", 403), ("counselor", 403), ("norole", 403)],
)
def test_it_shows_the_emergency_record_to_clinical_roles_only(client_inside, client_for, cast, role, status):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    assert client_for(role).get(f"/health/emergencies/{emergency.pk}/").status_code == status


def test_it_does_not_let_a_coordinator_change_the_record(client_inside, client_for, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    response = client_for("coordinator").post(f"/health/emergencies/{emergency.pk}/intervention/", {"kind": "oxygen"})
    assert response.status_code == 403
    assert not emergency.interventions.exists()


def test_it_answers_an_unknown_client_code_with_a_message(at_noon, client_for):
    response = client_for("health").post("/health/emergencies/open/", {"client": "<script>"}, follow=True)
    assert response.status_code == 200
    assert not Emergency.objects.exists()


def test_it_opens_an_emergency_for_a_client_who_is_not_inside(at_noon, cast):
    client = ClientFactory(letters="OUTS", registered_by=cast["reception"])
    emergency, created = services.emergency_open(client=client, by=cast["health"])
    assert created and emergency.visit is None and emergency.place == Emergency.Place.OTHER


def test_it_shows_an_open_emergency_in_red_on_the_floor_board_until_it_is_closed(client_inside, client_for, cast):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    board = client_for("reception").get("/floor/").content.decode()
    assert 'data-testid="board-emergencies"' in board
    assert client_inside.code in board
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])
    board = client_for("reception").get("/floor/").content.decode()
    assert 'data-testid="board-emergencies"' not in board


@pytest.mark.parametrize("target", ["0", "//evil.example/", "https://evil.example/", "javascript:alert(1)"])
def test_it_goes_back_only_to_a_page_of_this_site(client_inside, client_for, target):
    response = client_for("reception").post(
        "/health/emergencies/open/", {"client_id": client_inside.pk, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == "/floor/"


# What opening costs, and what the record's history keeps of it ------------------------------------------


def test_it_opens_an_emergency_in_at_most_ten_queries(client_inside, client_for, django_assert_max_num_queries):
    http = client_for("health")
    http.get("/health/")  # the room the button is in

    with django_assert_max_num_queries(10):
        response = http.post("/health/emergencies/open/", {"client_id": client_inside.pk})

    emergency = Emergency.objects.get(client=client_inside)
    assert response["Location"] == f"/health/emergencies/{emergency.pk}/"


def test_it_names_the_opener_on_the_team_in_the_first_version_of_the_record(client_inside, client_for, cast):
    _open(client_for, client_inside)

    emergency = Emergency.objects.get(client=client_inside)
    (first,) = emergency.history.all()
    assert (first.history_type, first.history_user, first.started_by) == ("+", cast["health"], cast["health"])
    assert [row.user for row in first.staff_involved.all()] == [cast["health"]]
    assert list(emergency.staff_involved.all()) == [cast["health"]]


def test_it_writes_nothing_for_a_later_press(client_inside, cast):
    services.emergency_open(client=client_inside, by=cast["health"])

    again, created = services.emergency_open(client=client_inside, by=cast["duty"])

    assert not created
    assert again.history.count() == 1
    assert list(again.staff_involved.all()) == [cast["health"]]

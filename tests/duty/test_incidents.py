"""Security incidents: recorded by the duty officer, inside and outside, and the way from one to a ban."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.factories import incident, registered_client
from tests.support.pages import marked_text_all, nb, text_of
from tests.support.time import oslo
from visits.models import Ban, Incident, Room
from visits.selectors.incidents import incident_counts


@pytest.fixture
def mako(cast):
    return registered_client("MAKO", 1993, "K", by=cast["reception"])


def _form(**values) -> dict:
    data = {
        "kind": "violence",
        "date": "2026-03-10",
        "time": "11:40",
        "place": f"room:{Room.objects.get(kind=Room.Kind.WAITING).pk}",
        "client_codes": "",
        "other_party": "",
        "description": "Hit another client in the waiting room",
        "action_taken": "Separated them; the client was asked to leave",
    }
    data.update(values)
    return data


def test_it_records_an_incident_with_the_clients_and_staff_involved(client_for, cast, mako, at_noon):
    response = client_for("duty").post(
        "/incidents/new/", _form(client_codes="mako1993k", staff=[cast["health"].pk]), follow=True
    )

    recorded = Incident.objects.get()
    assert recorded.kind == Incident.Kind.VIOLENCE
    assert recorded.room.kind == Room.Kind.WAITING
    assert list(recorded.clients.all()) == [mako]
    assert list(recorded.staff.all()) == [cast["health"]]
    assert recorded.recorded_by == cast["duty"]
    assert "MAKO1993K" in marked_text_all(response.content.decode(), "incident-clients")


def test_it_refuses_an_incident_with_no_one_involved(client_for, at_noon):
    response = client_for("duty").post("/incidents/new/", _form())

    assert response.status_code == 200
    assert nb("Name at least one person involved: a client by code, a staff member, or describe who it was.") in (
        text_of(response.content.decode())
    )
    assert not Incident.objects.exists()


def test_it_refuses_a_client_code_that_is_not_registered(client_for, at_noon):
    response = client_for("duty").post("/incidents/new/", _form(client_codes="NOPE1990M"))

    assert nb("No client is registered with the code %(codes)s.") % {"codes": "NOPE1990M"} in text_of(
        response.content.decode()
    )
    assert not Incident.objects.exists()


def test_it_records_a_neighbour_s_complaint_with_the_party_described(client_for, at_noon):
    client_for("duty").post(
        "/incidents/new/",
        _form(
            kind="neighbours",
            place="outside",
            other_party="A neighbour in the next building",
            description="Needles found in the back yard",
            action_taken="Collected the needles, walked the area at closing",
        ),
    )

    recorded = Incident.objects.get()
    assert recorded.is_community
    assert recorded.room is None
    assert recorded.area == Incident.Area.OUTSIDE


def test_it_refuses_an_incident_in_the_future(client_for, cast, at_noon):
    response = client_for("duty").post("/incidents/new/", _form(time="14:00", staff=[cast["duty"].pk]))

    assert nb("The incident cannot have happened in the future.") in text_of(response.content.decode())


def test_it_marks_police_called_when_that_is_the_kind(cast, at_noon):
    recorded = incident(by=cast["duty"], staff=[cast["duty"]], kind=Incident.Kind.POLICE)

    assert recorded.police_called


def test_it_counts_incidents_for_the_reports(cast, at_noon):
    incident(by=cast["duty"], staff=[cast["duty"]], kind=Incident.Kind.VIOLENCE, area=Incident.Area.ENTRANCE)
    incident(by=cast["duty"], other_party="neighbour", kind=Incident.Kind.NEIGHBOURS, area=Incident.Area.OUTSIDE)
    incident(
        by=cast["duty"],
        staff=[cast["duty"]],
        kind=Incident.Kind.DEALING,
        police_called=True,
        area=Incident.Area.ROOM,
        room=Room.objects.get(kind=Room.Kind.WAITING),
    )
    incident(by=cast["duty"], staff=[cast["duty"]], at=oslo() - dt.timedelta(days=40))  # earlier: not counted

    counts = incident_counts(oslo(hour=0), oslo(hour=23))

    assert (counts.total, counts.community, counts.police_called) == (3, 2, 1)
    assert counts.by_kind["violence"] == 1
    assert counts.by_kind["weapon"] == 0


def test_it_lists_the_incidents_and_this_month_s_count(client_for, cast, at_noon):
    incident(by=cast["duty"], staff=[cast["duty"]], description="Shouting at the entrance")

    html = client_for("coordinator").get("/incidents/").content.decode()

    assert "Shouting at the entrance" in marked_text_all(html, "incident")
    assert "1" in marked_text_all(html, "incident-counts")


def test_it_filters_community_side_incidents(client_for, cast, at_noon):
    incident(
        by=cast["duty"],
        staff=[cast["duty"]],
        description="Inside",
        area=Incident.Area.ROOM,
        room=Room.objects.get(kind=Room.Kind.WAITING),
    )
    incident(by=cast["duty"], other_party="a passer-by", description="Outside", area=Incident.Area.OUTSIDE)

    html = client_for("duty").get("/incidents/?community=on").content.decode()

    listed = marked_text_all(html, "incident")
    assert "Outside" in listed
    assert "Inside" not in listed


@pytest.mark.parametrize("role", ["reception", "health", "counselor", "admin", "norole"])
def test_it_keeps_incidents_from_roles_that_do_not_handle_them(client_for, role):
    assert client_for(role).get("/incidents/").status_code == 403


def test_it_lets_only_the_duty_officer_record_incidents(client_for, at_noon):
    assert client_for("coordinator").post("/incidents/new/", _form()).status_code == 403


# --- from an incident to a ban ------------------------------------------------------------------


def test_it_offers_a_ban_for_each_client_involved(client_for, cast, mako, at_noon):
    recorded = incident(by=cast["duty"], clients=[mako])

    html = client_for("duty").get(f"/incidents/{recorded.pk}/").content.decode()

    assert f'href="/clients/{mako.pk}/bans/?incident={recorded.pk}"' in html


def test_it_opens_the_ban_form_filled_in_from_the_incident(client_for, cast, mako, at_noon):
    recorded = incident(by=cast["duty"], clients=[mako], description="Threatened staff with a knife")

    html = client_for("duty").get(f"/clients/{mako.pk}/bans/?incident={recorded.pk}").content.decode()

    assert "Threatened staff with a knife" in html
    assert marked_text_all(html, "ban-incident") != ""


def test_it_links_the_ban_back_to_the_incident(client_for, cast, mako, at_noon):
    recorded = incident(by=cast["duty"], clients=[mako])

    response = client_for("duty").post(
        f"/clients/{mako.pk}/bans/?incident={recorded.pk}",
        {"reason": "Threats at the entrance", "starts_at": "2026-03-10T12:00", "ends_at": "2026-03-24T12:00"},
        follow=True,
    )

    ban = Ban.objects.get()
    assert ban.incident == recorded
    assert ban.client == mako
    assert response.request["PATH_INFO"] == f"/incidents/{recorded.pk}/"
    assert nb("banned after this incident") in marked_text_all(response.content.decode(), "incident-clients")


def test_it_does_not_link_a_ban_to_an_incident_the_client_was_not_in(client_for, cast, mako, at_noon):
    other = registered_client("OLA", 1980, "M", by=cast["reception"])
    recorded = incident(by=cast["duty"], clients=[other])

    client_for("duty").post(
        f"/clients/{mako.pk}/bans/?incident={recorded.pk}",
        {"reason": "Dealing", "starts_at": "2026-03-10T12:00", "ends_at": "2026-03-24T12:00"},
    )

    assert Ban.objects.get().incident is None

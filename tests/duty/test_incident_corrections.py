"""Correcting a recorded incident: the duty officer corrects it with a reason; the record as it was stays."""

from __future__ import annotations

import pytest

from oversight.retention import REDACTED, retention_run
from tests.support.factories import incident, registered_client
from tests.support.pages import marked_text_all, nb, text_of
from tests.support.time import oslo
from visits.models import Incident, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(cast, at_noon):
    return incident(by=cast["duty"], other_party="a passer-by")


def _corrected(recorded, **values) -> dict:
    data = {
        "kind": recorded.kind,
        "date": "2026-03-10",
        "time": "11:00",
        "place": recorded.area,
        "client_codes": "",
        "other_party": recorded.other_party,
        "description": recorded.description,
        "action_taken": recorded.action_taken,
        "reason": "The client was identified afterwards",
        "seen_version": Incident.objects.get(pk=recorded.pk).version,
    }
    data.update(values)
    return data


def test_it_opens_the_incident_filled_in_for_correction(client_for, recorded):
    html = client_for("duty").get(f"/incidents/{recorded.pk}/correct/").content.decode()

    assert "Threatened another client in the queue" in html
    assert 'value="a passer-by"' in html
    assert nb("Why it is corrected") in html


def test_it_saves_a_correction_and_shows_who_made_it_why_and_what_changed(client_for, cast, recorded):
    mako = registered_client("MAKO", 1993, "K", by=cast["reception"])
    waiting = Room.objects.get(kind=Room.Kind.WAITING)

    response = client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/",
        _corrected(recorded, client_codes="MAKO1993K", place=f"room:{waiting.pk}", time="10:45"),
        follow=True,
    )

    recorded.refresh_from_db()
    assert list(recorded.clients.all()) == [mako]
    assert (recorded.area, recorded.room, recorded.occurred_at) == ("room", waiting, oslo(hour=10, minute=45))
    html = response.content.decode()
    assert nb("The correction is saved.") in text_of(html)
    shown = marked_text_all(html, "incident-correction")
    assert "The client was identified afterwards" in shown
    assert "duty" in shown
    for field in ("clients", "occurred_at", "area", "room"):
        assert str(nb(Incident._meta.get_field(field).verbose_name)) in shown


def test_it_keeps_the_incident_as_it_was_in_its_history(client_for, recorded):
    client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/", _corrected(recorded, description="Threatened a staff member at the door")
    )

    versions = list(recorded.history.order_by("history_id").values_list("description", flat=True))
    assert versions[0] == "Threatened another client in the queue"
    assert versions[-1] == "Threatened a staff member at the door"


def test_it_refuses_a_correction_without_a_reason_and_changes_nothing(client_for, recorded):
    response = client_for("duty").post(
        f"/incidents/{recorded.pk}/correct/", _corrected(recorded, reason="  ", description="Something else")
    )

    assert response.status_code == 200
    assert nb("This field is required.") in response.content.decode()
    recorded.refresh_from_db()
    assert recorded.description == "Threatened another client in the queue"


def test_it_refuses_a_correction_that_leaves_no_one_involved(client_for, recorded):
    response = client_for("duty").post(f"/incidents/{recorded.pk}/correct/", _corrected(recorded, other_party=""))

    message = "Name at least one person involved: a client by code, a staff member, or describe who it was."
    assert nb(message) in text_of(response.content.decode())
    recorded.refresh_from_db()
    assert recorded.other_party == "a passer-by"


def test_it_lets_the_coordinator_read_but_not_correct(client_for, recorded):
    coordinator = client_for("coordinator")

    assert 'data-testid="correct-incident"' not in coordinator.get(f"/incidents/{recorded.pk}/").content.decode()
    assert coordinator.get(f"/incidents/{recorded.pk}/correct/").status_code == 403
    assert coordinator.post(f"/incidents/{recorded.pk}/correct/", _corrected(recorded)).status_code == 403


def test_retention_blanks_the_reasons_of_corrections(client_for, cast, at_noon):
    mako = registered_client("MAKO", 1993, "K", by=cast["reception"])
    old = incident(by=cast["duty"], clients=[mako], at=oslo(hour=9))
    client_for("duty").post(
        f"/incidents/{old.pk}/correct/", _corrected(old, client_codes="MAKO1993K", reason="MAKO1993K said sorry")
    )
    at_noon.move_to(oslo().replace(year=2040))

    retention_run()

    reasons = set(old.history.exclude(history_change_reason=None).values_list("history_change_reason", flat=True))
    assert reasons == {REDACTED}


def test_the_client_s_access_report_lists_the_correction_of_an_incident_they_were_in(client_for, cast, recorded):
    mako = registered_client("MAKO", 1993, "K", by=cast["reception"])
    client_for("duty").post(f"/incidents/{recorded.pk}/correct/", _corrected(recorded, client_codes="MAKO1993K"))

    html = client_for("coordinator").get(f"/access-log/clients/{mako.pk}/").content.decode()

    rows = marked_text_all(html, "trail-row")
    assert f"duty {nb('changed')} {nb('security incident')}" in rows


def test_it_lists_the_correction_of_an_incident_recorded_before_its_history_was_kept(client_for, recorded):
    recorded.history.all().delete()  # as for an incident recorded by an earlier version

    client_for("duty").post(f"/incidents/{recorded.pk}/correct/", _corrected(recorded, description="More detail"))

    html = client_for("duty").get(f"/incidents/{recorded.pk}/").content.decode()
    assert "The client was identified afterwards" in marked_text_all(html, "incident-correction")

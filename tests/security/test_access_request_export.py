"""The access-request export: every record that names the client, and nobody else's details."""

from __future__ import annotations

import json

import pytest

from oversight.mentions import OTHER_PERSON
from tests.support.scenes.anonymisation import FIRST, KEEP, NEIGHBOUR, OLD, OTHER, SECRET, build


@pytest.fixture
def scene(history, cast):
    return build(history, cast)


def export(client_for, person) -> dict:
    response = client_for("coordinator").get(f"/access-log/clients/{person.pk}/export/")
    assert response.status_code == 200
    return json.loads(response.content)["records"]


def dump(records: dict) -> str:
    return json.dumps(records, ensure_ascii=False).casefold()


def test_it_exports_every_free_text_field_of_the_client_s_records_and_their_history(client_for, scene):
    records = export(client_for, scene.person)

    text = dump(records)
    missing = [(label, name) for label, name in scene.marked if f"{SECRET} {label}.{name}".casefold() not in text]
    assert missing == []
    assert {row["code"] for row in records["audit.HistoricalClient"]} == {FIRST, OLD}
    assert f"{SECRET} why {OLD}".casefold() in {
        str(row["history_change_reason"]).casefold() for row in records["audit.HistoricalVisit"]
    }


def test_it_exports_the_client_s_part_of_each_handover_that_names_them(client_for, scene):
    records = export(client_for, scene.person)

    handovers = {part["id"]: part for part in records["duty.Handover"]}
    assert set(handovers) == {scene.handover.pk, scene.recent_handover.pk}
    old = handovers[scene.handover.pk]
    assert [entry["code"] for entry in old["open_visits"]] == [OLD]
    assert old["client_of_concern"] is True
    assert old["concern_notes"] == f"{SECRET} both restless, {OTHER_PERSON} too"
    assert old["incidents_note"] == f"{SECRET} {OLD} shouted"
    assert old["other_notes"] == f"{SECRET} say hello to {OLD.lower()}'s dog"
    assert "open_matters" not in old and "stock_problems" not in old
    recent = handovers[scene.recent_handover.pk]
    assert (recent["client_of_concern"], recent["other_notes"]) == (
        False,
        f"{SECRET} {OLD} asked for at the door by his sister",
    )


def test_it_exports_the_incidents_the_client_was_in_or_named_in_without_the_others(client_for, scene):
    records = export(client_for, scene.person)

    incidents = {row["id"]: row for row in records["visits.Incident"]}
    assert set(incidents) == {scene.shared_incident.pk, scene.naming_incident.pk}
    shared = incidents[scene.shared_incident.pk]
    assert shared["description"] == f"{SECRET} {OLD} and {OTHER_PERSON} fought, corrected"
    assert "other_party" not in shared
    past = [row for row in records["visits.HistoricalIncident"] if row["id"] == scene.shared_incident.pk]
    assert {row["description"] for row in past} == {
        f"{SECRET} {OLD} and {OTHER_PERSON} fought",
        f"{SECRET} {OLD} and {OTHER_PERSON} fought, corrected",
    }


def test_it_exports_every_other_text_that_names_the_client(client_for, scene):
    records = export(client_for, scene.person)

    mentions = {(m["record"], m["field"]): m["text"] for m in records["mentions"]}
    assert mentions[("visits.Visit", "end_note")] == f"{KEEP} left with {OLD.lower()}"
    assert mentions[("audit.HistoricalVisit", "end_note")] == f"{KEEP} left with {OLD.lower()}"
    assert mentions[("duty.Shift", "note")] == f"cover for the usual talk with {OLD}"
    assert mentions[("audit.AccessLogEntry", "path")] == f"/x/?code={OLD}"
    assert mentions[("admin.LogEntry", "change_message")] == f"code {FIRST} to {OLD}"
    assert ("visits.Visit", "end_note") in mentions  # the neighbour's note, naming ABJØRN1990K, is not:
    assert NEIGHBOUR.casefold() not in dump(records)


def test_it_exports_nothing_of_the_other_clients(client_for, scene):
    text = dump(export(client_for, scene.person))

    for theirs in (
        OTHER,
        NEIGHBOUR,
        "waits for a referral",
        "out of naloxone",
        "in observation",
        "broke the door handle",
        "a neighbour",
        "a man with a red dog",
        "on his own",
    ):
        assert theirs.casefold() not in text, theirs


def test_the_other_client_s_export_holds_nothing_of_the_first(client_for, scene):
    records = export(client_for, scene.other)

    text = dump(records)
    for theirs in (OLD, FIRST, NEIGHBOUR, "say hello to", "asked for at the door", "on his own"):
        assert theirs.casefold() not in text, theirs
    assert not [label for label, name in scene.marked if f"{SECRET} {label}.{name}".casefold() in text]
    assert [row["end_note"] for row in records["visits.Visit"]] == [f"{KEEP} left with {OTHER_PERSON}"]
    handovers = {part["id"]: part for part in records["duty.Handover"]}
    assert [entry["code"] for entry in handovers[scene.handover.pk]["open_visits"]] == [OTHER]
    assert handovers[scene.handover.pk]["concern_notes"] == f"{SECRET} both restless, {OTHER} too"

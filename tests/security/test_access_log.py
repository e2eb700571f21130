"""Every view of a client's record writes an access entry; pages without client data write none."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import access_log_record_lists, access_log_record_many, access_log_record_views
from counseling.models import CounselingSession, Referral, ReferralService, Topic
from health.models import Emergency
from tests.support.factories import BanFactory, ClientFactory, heroin
from tests.support.queries import own_queries
from tests.support.rooms import in_booth, in_observation
from tests.support.time import NOON_2024 as NOON
from visits.models import Client, Incident

Kind = AccessLogEntry.Kind


def entries(person) -> list[tuple[str, str]]:
    return list(AccessLogEntry.objects.filter(client=person).order_by("id").values_list("user__username", "kind"))


def test_it_logs_the_client_card(client_for, history, at_noon):
    response = client_for("reception").get(f"/clients/{history.pk}/")

    assert response.status_code == 200
    assert entries(history) == [("reception", Kind.CARD)]


def test_it_logs_each_page_of_the_timeline(client_for, history, at_noon):
    http = client_for("health")
    http.get(f"/interview/clients/{history.pk}/timeline/")
    http.get(f"/interview/clients/{history.pk}/timeline/?month=2026-01")

    logged = AccessLogEntry.objects.filter(client=history)
    assert [e.kind for e in logged.order_by("id")] == [Kind.TIMELINE, Kind.TIMELINE]
    assert logged.order_by("id").last().path.endswith("?month=2026-01")


@pytest.mark.parametrize("role", ["counselor", "coordinator"])
def test_it_logs_counseling_notes_for_those_who_see_them(client_for, history, at_noon, role):
    client_for(role).get(f"/interview/clients/{history.pk}/timeline/")

    assert entries(history) == [(role, Kind.TIMELINE), (role, Kind.COUNSELING)]


def test_it_logs_the_health_record(client_for, history, at_noon):
    client_for("duty").get(f"/health/clients/{history.pk}/")

    assert entries(history) == [("duty", Kind.HEALTH)]


def test_it_logs_the_emergency_record(client_for, history, at_noon):
    emergency = Emergency.objects.get(client=history)

    client_for("coordinator").get(f"/health/emergencies/{emergency.pk}/")

    assert entries(history) == [("coordinator", Kind.EMERGENCY)]


def test_it_logs_the_referral_page(client_for, history, at_noon):
    referral = Referral.objects.get(client=history)

    client_for("reception").get(f"/interview/referrals/{referral.pk}/")

    assert entries(history) == [("reception", Kind.REFERRAL)]


def test_it_logs_the_referral_page_drawn_again_for_a_refused_change(client_for, history, at_noon):
    referral = Referral.objects.get(client=history)

    response = client_for("counselor").post(f"/interview/referrals/{referral.pk}/status/", {})

    assert response.status_code == 400
    assert entries(history) == [("counselor", Kind.REFERRAL)]


def test_it_logs_the_card_drawn_again_after_a_check_in_refused_for_a_ban(client_for, history, at_noon, cast):
    BanFactory(client=history, created_by=cast["duty"])

    reception = client_for("reception")
    response = reception.post(f"/clients/{history.pk}/check-in/", {"substance": heroin().pk, "intoxication": "none"})
    reception.get(response.url)

    assert response.status_code == 303
    assert entries(history) == [("reception", Kind.CARD)]


def test_it_logs_the_card_drawn_again_after_a_refusal_without_a_reason(client_for, history, at_noon):
    reception = client_for("reception")
    response = reception.post(f"/clients/{history.pk}/refuse/", {})
    reception.get(response.url)

    assert response.status_code == 303
    assert entries(history) == [("reception", Kind.CARD)]


def test_it_logs_the_ban_page(client_for, history, at_noon):
    client_for("duty").get(f"/clients/{history.pk}/bans/")

    assert entries(history) == [("duty", Kind.CARD)]


def test_it_logs_an_incident_for_each_client_involved(client_for, cast, history, at_noon):
    other = Client.objects.create(
        code="OTRA1980M", birth_year=1980, gender="M", registered_at=NOON, registered_by=cast["reception"]
    )
    incident = Incident.objects.create(
        kind=Incident.Kind.THREATS,
        occurred_at=NOON,
        area=Incident.Area.OUTSIDE,
        description="Shouted at the door",
        action_taken="Talked down",
        recorded_at=NOON,
        recorded_by=cast["duty"],
    )
    incident.clients.set([history, other])

    client_for("coordinator").get(f"/incidents/{incident.pk}/")

    assert entries(history) == [("coordinator", Kind.INCIDENT)]
    assert entries(other) == [("coordinator", Kind.INCIDENT)]


def _sessions_this_week(cast, count: int, *, first: int = 0) -> list[Client]:
    now = timezone.now()
    people = []
    for n in range(first, first + count):
        person = Client.objects.create(
            code=f"SE{chr(65 + n)}S1980M",
            birth_year=1980,
            gender="M",
            registered_at=now,
            registered_by=cast["reception"],
        )
        CounselingSession.objects.create(
            client=person,
            counselor=cast["counselor"],
            started_at=now - dt.timedelta(hours=2, minutes=n),
            ended_at=now - dt.timedelta(hours=1, minutes=n),
            duration_seconds=3600,
            notes="Talked about housing",
            recorded_at=now - dt.timedelta(hours=1),
        )
        people.append(person)
    return people


def test_it_logs_every_client_whose_sessions_the_interview_room_lists(client_for, cast, at_noon):
    people = _sessions_this_week(cast, 3)

    client_for("counselor").get("/interview/")

    logged = AccessLogEntry.objects.values_list("client__code", "user__username", "kind")
    assert sorted(logged) == sorted((p.code, "counselor", Kind.COUNSELING) for p in people)


def test_the_interview_room_logs_two_clients_or_ten_in_the_same_number_of_queries(client_for, cast, at_noon):
    http = client_for("counselor")
    http.get("/interview/")  # the session and permissions are cached from here on
    _sessions_this_week(cast, 2)
    with CaptureQueriesContext(connection) as few:
        http.get("/interview/")
    _sessions_this_week(cast, 8, first=2)
    with CaptureQueriesContext(connection) as many:
        http.get("/interview/")

    assert len(own_queries(many)) == len(own_queries(few))
    assert AccessLogEntry.objects.filter(kind=Kind.COUNSELING).count() == 12


def _referrals_due(cast, count: int, *, first: int = 0) -> list[Client]:
    """A client each, with an open referral to LAR to follow up today."""
    now = timezone.now()
    lar = ReferralService.objects.order_by("pk").first()
    people = []
    for n in range(first, first + count):
        person = Client.objects.create(
            code=f"RE{chr(65 + n)}F1980M",
            birth_year=1980,
            gender="M",
            registered_at=now,
            registered_by=cast["reception"],
        )
        Referral.objects.create(
            client=person,
            service=lar,
            created_at=now - dt.timedelta(days=3),
            created_by=cast["counselor"],
            status=Referral.Status.SENT,
            status_changed_at=now - dt.timedelta(days=3),
            follow_up_on=timezone.localdate(now),
        )
        people.append(person)
    return people


@pytest.mark.parametrize("role", ["counselor", "duty", "coordinator"])
def test_the_open_referral_list_logs_each_client_it_lists(client_for, cast, at_noon, role):
    people = _referrals_due(cast, 3)

    assert client_for(role).get("/interview/referrals/").status_code == 200

    logged = AccessLogEntry.objects.values_list("client__code", "user__username", "kind")
    assert sorted(logged) == sorted((p.code, role, Kind.REFERRAL) for p in people)


def test_the_open_referral_list_logs_two_clients_or_ten_in_the_same_number_of_queries(client_for, cast, at_noon):
    http = client_for("counselor")
    http.get("/interview/referrals/")
    _referrals_due(cast, 2)
    with CaptureQueriesContext(connection) as few:
        http.get("/interview/referrals/")
    _referrals_due(cast, 8, first=2)
    with CaptureQueriesContext(connection) as many:
        http.get("/interview/referrals/")

    assert len(own_queries(many)) == len(own_queries(few))
    assert AccessLogEntry.objects.filter(kind=Kind.REFERRAL).count() == 12


@pytest.mark.parametrize("role", ["reception", "health"])
def test_the_open_referral_list_is_not_for_those_who_only_make_referrals(client_for, cast, at_noon, role):
    _referrals_due(cast, 1)

    assert client_for(role).get("/interview/referrals/").status_code == 403
    assert not AccessLogEntry.objects.exists()


@pytest.mark.parametrize("role", ["counselor", "duty"])
def test_the_interview_rooms_follow_ups_log_each_client_listed(client_for, cast, at_noon, role):
    people = _referrals_due(cast, 2)

    client_for(role).get("/interview/")

    logged = AccessLogEntry.objects.values_list("client__code", "user__username", "kind")
    assert sorted(logged) == sorted((p.code, role, Kind.REFERRAL) for p in people)


def test_the_interview_room_logs_sessions_not_notes_for_a_duty_officer(client_for, cast, at_noon):
    people = _sessions_this_week(cast, 2)
    CounselingSession.objects.get(client=people[0]).topics.add(Topic.objects.order_by("pk").first())

    response = client_for("duty").get("/interview/")

    assert "Talked about housing" not in response.content.decode()
    logged = AccessLogEntry.objects.values_list("client__code", "user__username", "kind")
    assert sorted(logged) == sorted((p.code, "duty", Kind.SESSIONS) for p in people)


@pytest.fixture
def floor_at_noon(facility):
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def test_a_board_logs_the_clients_whose_clinical_detail_it_draws_once_a_quarter_hour(client_for, cast, floor_at_noon):
    health = cast["health"]
    booth_visit = in_booth("BOOT1985M", health).visit
    observed = in_observation("OBSE1985M", health, label="2").visit
    http = client_for("health")

    http.get("/floor/")
    http.get("/floor/board/")
    floor_at_noon.shift(dt.timedelta(minutes=16))
    http.get("/observation/")

    logged = list(AccessLogEntry.objects.order_by("id").values_list("client_id", "kind"))
    assert logged == [
        (booth_visit.client_id, Kind.ROOM_BOARD),
        (observed.client_id, Kind.ROOM_BOARD),
        (observed.client_id, Kind.ROOM_BOARD),
    ]


def test_a_board_without_clinical_detail_logs_nothing(client_for, cast, floor_at_noon):
    in_observation("OBSE1985M", cast["health"])

    assert client_for("reception").get("/floor/").status_code == 200

    assert not AccessLogEntry.objects.exists()


def test_it_logs_nothing_for_a_forbidden_view(client_for, history, at_noon):
    response = client_for("reception").get(f"/health/clients/{history.pk}/")

    assert response.status_code == 403
    assert entries(history) == []


@pytest.mark.parametrize(
    "role,url",
    [
        ("reception", "/reception/"),
        ("health", "/injection/"),
        ("duty", "/floor/"),
        ("coordinator", "/dashboard/"),
        ("duty", "/handovers/"),
        ("health", "/health/stock/"),
    ],
)
def test_it_logs_nothing_for_pages_without_one_clients_record(client_for, history, at_noon, role, url):
    assert client_for(role).get(url).status_code == 200

    assert not AccessLogEntry.objects.exists()


def test_it_offers_no_way_to_change_or_delete_an_entry(cast):
    from django.contrib.auth.models import Permission

    codenames = set(Permission.objects.filter(content_type__app_label="audit").values_list("codename", flat=True))

    assert not {c for c in codenames if c.startswith(("change_", "delete_")) and "accesslogentry" in c}
    assert "add_accesslogentry" not in codenames
    assert not any(cast[role].has_perm("audit.delete_accesslogentry") for role in cast)


def test_it_keeps_the_log_and_the_history_out_of_the_admin():
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}

    assert not {label for label in registered if label.startswith("audit.")}


# Writing the entries: one INSERT for a page, with no transaction of its own ------------------------------


def _request(rf, user, path: str = "/interview/"):
    request = rf.get(path)
    request.user = user
    return request


def _inserts(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith('INSERT INTO "audit_accesslogentry"')]


def test_it_writes_a_pages_kinds_of_one_client_in_one_insert_and_nothing_else(transactional_db, rf, cast):
    person = ClientFactory(registered_by=cast["reception"])
    request = _request(rf, cast["counselor"], "/interview/clients/1/timeline/?month=2026-01")

    with CaptureQueriesContext(connection) as captured:
        access_log_record_views(request=request, client=person, kinds=[Kind.TIMELINE, Kind.COUNSELING, Kind.TIMELINE])

    # No BEGIN and COMMIT (nor savepoints) around it: one statement is all or nothing by itself.
    assert len(captured.captured_queries) == 1 and len(_inserts(captured)) == 1, captured.captured_queries
    assert entries(person) == [("counselor", Kind.TIMELINE), ("counselor", Kind.COUNSELING)]
    assert set(AccessLogEntry.objects.values_list("path", flat=True)) == {
        "/interview/clients/1/timeline/?month=2026-01"
    }


def test_it_writes_a_pages_lists_in_one_insert_and_nothing_else(transactional_db, rf, cast):
    first, second = ClientFactory(registered_by=cast["reception"]), ClientFactory(registered_by=cast["reception"])
    request = _request(rf, cast["counselor"])

    with CaptureQueriesContext(connection) as captured:
        access_log_record_lists(
            request=request,
            shown=[(Kind.REFERRAL, [second, first, second]), (Kind.COUNSELING, [first]), (Kind.SESSIONS, [])],
        )

    assert len(captured.captured_queries) == 1 and len(_inserts(captured)) == 1, captured.captured_queries
    assert entries(first) == [("counselor", Kind.REFERRAL), ("counselor", Kind.COUNSELING)]
    assert entries(second) == [("counselor", Kind.REFERRAL)]


def test_it_writes_a_boards_clients_in_one_read_and_one_insert_and_nothing_else(transactional_db, rf, cast):
    seen, unseen = ClientFactory(registered_by=cast["reception"]), ClientFactory(registered_by=cast["reception"])
    request = _request(rf, cast["duty"], "/floor/")
    access_log_record_many(request=request, clients=[seen], kind=Kind.ROOM_BOARD)

    with CaptureQueriesContext(connection) as captured:
        access_log_record_many(
            request=request,
            clients=[seen, unseen, unseen],
            kind=Kind.ROOM_BOARD,
            unless_logged_within=dt.timedelta(minutes=15),
        )

    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == 2 and sql[0].startswith("SELECT") and len(_inserts(captured)) == 1, sql
    assert entries(seen) == [("duty", Kind.ROOM_BOARD)]
    assert entries(unseen) == [("duty", Kind.ROOM_BOARD)]


def test_it_writes_every_entry_of_a_list_longer_than_one_statement_takes(rf, cast):
    people = ClientFactory.create_batch(450, registered_by=cast["reception"])

    access_log_record_many(
        request=_request(rf, cast["coordinator"], "/reports/day/"), clients=people, kind=Kind.DAY_SHEET
    )

    logged = AccessLogEntry.objects.filter(kind=Kind.DAY_SHEET, user=cast["coordinator"])
    assert sorted(logged.values_list("client_id", flat=True)) == sorted(p.pk for p in people)


def test_the_interview_room_writes_exactly_the_kinds_it_lists_in_one_insert(client_for, cast, at_noon):
    http = client_for("counselor")
    http.get("/interview/")  # the session and permissions are cached from here on
    followed_up = _referrals_due(cast, 2)
    in_session = _sessions_this_week(cast, 2, first=5)

    with CaptureQueriesContext(connection) as captured:
        assert http.get("/interview/").status_code == 200

    assert len(_inserts(captured)) == 1
    logged = AccessLogEntry.objects.values_list("client__code", "user__username", "kind")
    assert sorted(logged) == sorted(
        [(p.code, "counselor", Kind.REFERRAL) for p in followed_up]
        + [(p.code, "counselor", Kind.COUNSELING) for p in in_session]
    )


@pytest.mark.parametrize(
    ("role", "kinds"), [("health", [Kind.TIMELINE]), ("counselor", [Kind.TIMELINE, Kind.COUNSELING])]
)
def test_the_timeline_writes_exactly_the_kinds_it_shows_in_one_insert(client_for, history, at_noon, role, kinds):
    with CaptureQueriesContext(connection) as captured:
        assert client_for(role).get(f"/interview/clients/{history.pk}/timeline/").status_code == 200

    assert len(_inserts(captured)) == 1
    assert entries(history) == [(role, kind) for kind in kinds]

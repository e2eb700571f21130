"""Every view of a client's record writes an access entry; pages without client data write none."""

from __future__ import annotations

import pytest

from audit.models import AccessLogEntry
from health.models import Emergency

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
        ("counselor", "/interview/referrals/"),
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

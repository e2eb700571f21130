"""Interventions you can trust: a time of their own, corrections and withdrawals with a reason and kept,
a double tap asked about, the record completed after the close, totals without what was withdrawn."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext, override

from health import services
from health.models import Emergency, Intervention
from tests.support.cast import health_worker
from tests.support.pages import nb
from tests.support.time import NOON

pytestmark = pytest.mark.django_db

STALE = (
    "Someone else saved this record after you opened it. Nothing was saved: check what changed below and enter "
    "your change again."
)


def local(value: dt.datetime) -> str:
    """A time as the form's datetime-local field sends it, to the second."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


def page(http, emergency: Emergency) -> str:
    return html.unescape(http.get(f"/health/emergencies/{emergency.pk}/").content.decode())


def said(response) -> str:
    return html.unescape(response.content.decode())


def t(msgid: str, **values) -> str:
    return nb(msgid) % values if values else nb(msgid)


@pytest.fixture
def emergency(client_inside, cast, at_noon):
    emergency, _ = services.emergency_open(client=client_inside, by=cast["health"])
    return emergency


def press(http, emergency, kind="naloxone", **data):
    if kind == "naloxone":
        data = {"route": "in", "dose_mg": "1.8", **data}
    return http.post(f"/health/emergencies/{emergency.pk}/intervention/", {"kind": kind, **data})


# An earlier time, inside the emergency ----------------------------------------------------------------


def test_it_records_an_intervention_at_the_earlier_time_given_and_when_it_was_entered(emergency, client_for, at_noon):
    at_noon.shift(dt.timedelta(minutes=5))
    done = NOON + dt.timedelta(minutes=2, seconds=30)

    response = press(client_for("health"), emergency, "oxygen", at=local(done))

    oxygen = Intervention.objects.get(emergency=emergency)
    assert response.status_code == 302
    assert (oxygen.at, oxygen.recorded_at) == (done, NOON + dt.timedelta(minutes=5))
    assert "12:02:30" in page(client_for("health"), emergency)


def test_it_stamps_the_time_of_the_press_when_no_time_is_given(emergency, client_for, at_noon):
    at_noon.shift(dt.timedelta(seconds=75))
    press(client_for("health"), emergency)
    assert Intervention.objects.get(emergency=emergency).at == NOON + dt.timedelta(seconds=75)


def test_it_refuses_a_time_before_the_emergency_started(emergency, client_for, at_noon):
    at_noon.shift(dt.timedelta(minutes=5))

    response = press(client_for("health"), emergency, at=local(NOON - dt.timedelta(seconds=1)))

    assert response.status_code == 400
    message = t("%(what)s cannot be before the emergency started.", what=nb("The intervention"))
    assert message in said(response)
    assert not Intervention.objects.exists()


def test_it_refuses_a_time_in_the_future(emergency, client_for, at_noon):
    at_noon.shift(dt.timedelta(minutes=5))

    response = press(client_for("health"), emergency, at=local(NOON + dt.timedelta(minutes=5, seconds=1)))

    assert response.status_code == 400
    assert t("%(what)s cannot be in the future.", what=nb("The intervention")) in said(response)
    assert not Intervention.objects.exists()


def test_it_accepts_the_second_the_emergency_started(emergency, client_for, at_noon):
    Emergency.objects.filter(pk=emergency.pk).update(started_at=NOON + dt.timedelta(microseconds=400_000))
    at_noon.shift(dt.timedelta(minutes=1))
    response = press(client_for("health"), emergency, "cpr", at=local(NOON))
    assert response.status_code == 302


# The record completed after the close ----------------------------------------------------------------


@pytest.fixture
def closed(emergency, cast, at_noon):
    """Closed at 12:05:30, the page opened again ten minutes later."""
    at_noon.shift(dt.timedelta(minutes=5, seconds=30))
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])
    at_noon.shift(dt.timedelta(minutes=10))
    emergency.refresh_from_db()
    return emergency


def test_it_offers_the_intervention_and_vital_signs_forms_on_a_closed_emergency(closed, client_for):
    shown = client_for("health").get(f"/health/emergencies/{closed.pk}/").content.decode()
    assert 'data-testid="intervention-buttons"' in shown
    assert 'data-testid="vitals-form"' in shown
    assert nb("Add what was done during the emergency (give the time)") in html.unescape(shown)


def test_it_shows_a_coordinator_no_forms_to_change_the_record(closed, client_for):
    shown = client_for("coordinator").get(f"/health/emergencies/{closed.pk}/").content.decode()
    assert 'data-testid="intervention-buttons"' not in shown
    assert 'data-testid="vitals-form"' not in shown


def test_it_accepts_an_intervention_in_the_closing_minute_after_the_close(closed, client_for):
    http = client_for("health")

    first = press(http, closed, "recovery_position", at=local(NOON + dt.timedelta(minutes=5, seconds=10)))
    second = press(http, closed, "oxygen", at=local(NOON + dt.timedelta(minutes=5, seconds=30)))

    assert (first.status_code, second.status_code) == (302, 302)
    assert sorted(Intervention.objects.values_list("kind", flat=True)) == ["oxygen", "recovery_position"]


def test_it_refuses_an_intervention_after_the_close(closed, client_for):
    response = press(client_for("health"), closed, "oxygen", at=local(NOON + dt.timedelta(minutes=5, seconds=31)))

    assert response.status_code == 400
    assert t("%(what)s cannot be after the emergency ended.", what=nb("The intervention")) in said(response)
    assert not Intervention.objects.exists()


def test_it_asks_for_the_time_once_the_emergency_is_closed(closed, client_for):
    response = press(client_for("health"), closed, "oxygen")

    assert response.status_code == 400
    assert nb("The emergency is closed: give the time, between its start and its end.") in said(response)
    assert not Intervention.objects.exists()


def test_it_closes_with_an_intervention_in_the_closing_second(emergency, cast, at_noon):
    at_noon.move_to(NOON + dt.timedelta(minutes=5, seconds=30, microseconds=700_000))
    services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])

    services.emergency_close(
        emergency=emergency, outcome="recovered", by=cast["health"], ended_at=NOON + dt.timedelta(minutes=5, seconds=30)
    )

    emergency.refresh_from_db()
    assert emergency.ended_at == NOON + dt.timedelta(minutes=5, seconds=30)


def test_it_saves_the_record_with_its_end_to_the_second_and_an_intervention_in_that_second(
    emergency, cast, at_noon, client_for
):
    at_noon.move_to(NOON + dt.timedelta(minutes=5, seconds=30, microseconds=300_000))
    services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])
    at_noon.move_to(NOON + dt.timedelta(minutes=5, seconds=30, microseconds=800_000))
    services.emergency_close(emergency=emergency, outcome="recovered", by=cast["health"])
    emergency.refresh_from_db()
    form = {
        "kind": emergency.kind,
        "place": emergency.place,
        "started_at": local(emergency.started_at),
        "ended_at": local(emergency.ended_at),  # 12:05:30, before the intervention's 12:05:30.3
        "notes": "Responded to CPR",
        "seen_version": emergency.version,
    }

    response = client_for("health").post(f"/health/emergencies/{emergency.pk}/record/", form)

    emergency.refresh_from_db()
    assert response.status_code == 302
    assert emergency.notes == "Responded to CPR"


def test_it_still_refuses_to_close_before_an_intervention_a_second_later(emergency, cast, at_noon):
    at_noon.shift(dt.timedelta(minutes=5, seconds=31))
    services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])
    with pytest.raises(ValidationError):
        services.emergency_close(
            emergency=emergency,
            outcome="recovered",
            by=cast["health"],
            ended_at=NOON + dt.timedelta(minutes=5, seconds=30),
        )


# The double tap ---------------------------------------------------------------------------------------


def test_it_asks_before_recording_the_same_intervention_again_within_ten_seconds(emergency, client_for, at_noon):
    press(client_for("health"), emergency)
    at_noon.shift(dt.timedelta(seconds=3))

    response = press(client_for("duty"), emergency)

    assert response.status_code == 409
    with override("nb"):
        question = ngettext(
            "Naloxone was recorded %(seconds)d second ago by %(by)s. Record a second dose?",
            "Naloxone was recorded %(seconds)d seconds ago by %(by)s. Record a second dose?",
            3,
        ) % {"seconds": 3, "by": "health"}
    assert question in said(response)
    assert 'data-testid="confirm-repeat"' in response.content.decode()
    assert Intervention.objects.count() == 1


def test_it_records_the_second_dose_when_the_question_is_answered_yes(emergency, client_for, at_noon):
    press(client_for("health"), emergency)
    at_noon.shift(dt.timedelta(seconds=3))

    response = press(client_for("duty"), emergency, confirm="1")

    assert response.status_code == 302
    assert Intervention.objects.filter(kind="naloxone").count() == 2
    assert "3,6 mg" in page(client_for("health"), emergency)


def test_it_reposts_what_was_pressed_with_the_confirmation(emergency, client_for, at_noon):
    press(client_for("health"), emergency)
    at_noon.shift(dt.timedelta(seconds=3))
    response = press(client_for("duty"), emergency, route="im", dose_mg="0.4", at=local(NOON + dt.timedelta(seconds=2)))
    shown = response.content.decode()
    confirm_form = shown.split('data-testid="repeat-question"')[1].split("</form>")[0]
    for name, value in (("kind", "naloxone"), ("route", "im"), ("dose_mg", "0.4"), ("confirm", "1")):
        assert f'name="{name}" value="{value}"' in confirm_form
    assert 'name="at" value="2026-03-10T12:00:02"' in confirm_form


def test_it_does_not_ask_after_ten_seconds(emergency, client_for, at_noon):
    press(client_for("health"), emergency)
    at_noon.shift(dt.timedelta(seconds=11))
    assert press(client_for("health"), emergency).status_code == 302
    assert Intervention.objects.count() == 2


def test_it_does_not_ask_for_a_different_intervention(emergency, client_for, at_noon):
    press(client_for("health"), emergency)
    at_noon.shift(dt.timedelta(seconds=2))
    assert press(client_for("health"), emergency, "oxygen").status_code == 302
    assert Intervention.objects.count() == 2


def test_it_does_not_ask_when_the_earlier_press_was_withdrawn(emergency, cast, at_noon):
    first = services.emergency_intervention_add(emergency=emergency, kind="oxygen", by=cast["health"])
    services.intervention_withdraw(intervention=first, by=cast["health"], reason="Pressed by mistake")
    at_noon.shift(dt.timedelta(seconds=2))
    services.emergency_intervention_add(emergency=emergency, kind="oxygen", by=cast["health"])
    assert Intervention.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_it_raises_the_repeat_code_from_the_service(emergency, cast, at_noon):
    services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])
    at_noon.shift(dt.timedelta(seconds=1))
    with pytest.raises(ValidationError) as raised:
        services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["duty"])
    assert raised.value.code == "repeat"


def test_it_ignores_the_naloxone_fields_for_another_button(emergency, client_for):
    response = press(client_for("health"), emergency, "oxygen", route="xx", dose_mg="abc")
    assert response.status_code == 302
    oxygen = Intervention.objects.get()
    assert (oxygen.route, oxygen.dose_mg) == ("", None)


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "<script>alert(1)</script>"},
        {"kind": ""},
        {"kind": "naloxone", "route": "in", "dose_mg": "1e400"},
        {"kind": "naloxone", "route": "in", "dose_mg": "NaN"},
        {"kind": "naloxone", "route": "in", "dose_mg": "9" * 5000},
        {"kind": "naloxone", "route": "iv", "dose_mg": "1"},
        {"kind": "oxygen", "at": "not a time"},
        {"kind": "oxygen", "at": "99999-12-31T23:59:59"},
        {"kind": "oxygen", "at": "0001-01-01T00:00:00"},
        {"kind": "oxygen", "note": "x" * 10_000},
    ],
)
def test_it_answers_odd_input_with_a_message_never_a_500(emergency, client_for, data):
    response = client_for("health").post(f"/health/emergencies/{emergency.pk}/intervention/", data)
    assert response.status_code == 400
    assert not Intervention.objects.exists()


# Corrections ------------------------------------------------------------------------------------------


@pytest.fixture
def naloxone(emergency, cast, at_noon):
    at_noon.shift(dt.timedelta(minutes=1))
    dose = services.emergency_intervention_add(
        emergency=emergency, kind="naloxone", route="in", dose_mg=Decimal("1.8"), by=cast["health"]
    )
    at_noon.shift(dt.timedelta(minutes=4))
    return dose


def correct(http, intervention, **changes):
    data = {
        "at": local(intervention.at),
        "route": intervention.route,
        "dose_mg": str(intervention.dose_mg or ""),
        "note": intervention.note,
        "reason": "Wrong syringe noted",
        "seen_version": intervention.version,
        **changes,
    }
    prefixed = {f"correct-{intervention.pk}-{name}": value for name, value in data.items()}
    return http.post(f"/health/interventions/{intervention.pk}/correct/", prefixed)


def test_it_corrects_an_intervention_and_keeps_the_earlier_version_in_its_history(naloxone, client_for, cast):
    response = correct(
        client_for("duty"), naloxone, route="im", dose_mg="0.4", at=local(NOON + dt.timedelta(seconds=40))
    )

    naloxone.refresh_from_db()
    assert response.status_code == 302
    assert (naloxone.route, naloxone.dose_mg, naloxone.at) == ("im", Decimal("0.40"), NOON + dt.timedelta(seconds=40))
    assert naloxone.version == 2
    versions = list(naloxone.history.order_by("history_id"))
    assert [(v.dose_mg, v.history_user) for v in versions] == [
        (Decimal("1.80"), cast["health"]),
        (Decimal("0.40"), cast["duty"]),
    ]
    assert versions[-1].history_change_reason == "Wrong syringe noted"


def test_it_shows_a_corrected_intervention_with_its_earlier_values_and_the_reason(naloxone, client_for):
    correct(client_for("duty"), naloxone, dose_mg="0.4")

    shown = page(client_for("health"), naloxone.emergency)

    assert nb("corrected") in shown
    history = shown.split('data-testid="intervention-history"')[1].split("</ul>")[0]
    assert "Wrong syringe noted" in history
    assert "<del>1,8</del> → 0,4" in history
    assert "duty" in history


def test_it_requires_a_reason_for_a_correction(naloxone, client_for):
    response = correct(client_for("health"), naloxone, dose_mg="0.4", reason="")

    naloxone.refresh_from_db()
    assert response.status_code == 400
    assert nb("Give the reason for the correction.") in said(response)
    assert naloxone.dose_mg == Decimal("1.80")


def test_it_refuses_a_corrected_time_outside_the_emergency(naloxone, client_for):
    response = correct(client_for("health"), naloxone, at=local(NOON - dt.timedelta(minutes=1)))

    naloxone.refresh_from_db()
    assert response.status_code == 400
    assert naloxone.at == NOON + dt.timedelta(minutes=1)


def test_it_refuses_a_correction_opened_before_someone_else_corrected_it(naloxone, client_for, at_noon):
    opened_at_version_1 = Intervention.objects.get(pk=naloxone.pk)
    correct(client_for("duty"), naloxone, dose_mg="0.4", reason="Checked the syringe")
    at_noon.shift(dt.timedelta(seconds=30))

    response = correct(client_for("health"), opened_at_version_1, dose_mg="2", reason="Two sprays")

    naloxone.refresh_from_db()
    assert response.status_code == 409
    assert naloxone.dose_mg == Decimal("0.40")
    shown = said(response)
    assert nb(STALE).split(":")[0] in shown
    assert f'<th scope="row">{nb("dose (mg)").capitalize()}</th><td>1,8</td><td>0,4</td>' in shown
    assert "duty" in shown
    assert "Two sprays" in shown  # what they entered is shown, not lost


def test_it_refuses_a_correction_opened_before_the_intervention_was_withdrawn(naloxone, client_for):
    opened = Intervention.objects.get(pk=naloxone.pk)
    services.intervention_withdraw(intervention=naloxone, by=opened.by, reason="Entered twice")

    response = correct(client_for("health"), opened, dose_mg="0.4")

    naloxone.refresh_from_db()
    assert response.status_code == 409
    assert naloxone.dose_mg == Decimal("1.80")
    assert "Entered twice" in said(response)


def test_it_refuses_to_correct_a_withdrawn_intervention(naloxone, cast):
    services.intervention_withdraw(intervention=naloxone, by=cast["health"], reason="Entered twice")
    naloxone.refresh_from_db()
    with pytest.raises(ValidationError) as raised:
        services.intervention_correct(
            intervention=naloxone, by=cast["health"], at=naloxone.at, route="in", dose_mg=Decimal("1"), reason="x"
        )
    assert raised.value.code == "withdrawn"


def test_it_keeps_the_stamped_time_when_the_correction_leaves_it_unchanged(naloxone, cast, at_noon):
    exact = NOON + dt.timedelta(minutes=1, microseconds=250_000)
    Intervention.objects.filter(pk=naloxone.pk).update(at=exact)
    naloxone.refresh_from_db()
    services.intervention_correct(
        intervention=naloxone,
        by=cast["health"],
        at=exact.replace(microsecond=0),
        route="in",
        dose_mg=Decimal("0.4"),
        reason="Dose",
        seen_version=1,
    )
    naloxone.refresh_from_db()
    assert naloxone.at == exact


# Withdrawals and the totals ---------------------------------------------------------------------------


def withdraw(http, intervention, reason="Entered twice"):
    data = {
        f"withdraw-{intervention.pk}-reason": reason,
        f"withdraw-{intervention.pk}-seen_version": intervention.version,
    }
    return http.post(f"/health/interventions/{intervention.pk}/withdraw/", data)


def test_it_withdraws_an_intervention_with_the_reason_and_shows_it_struck_through(naloxone, client_for, cast):
    response = withdraw(client_for("duty"), naloxone)

    naloxone.refresh_from_db()
    assert response.status_code == 302
    assert (naloxone.withdrawn_by, naloxone.withdrawn_reason) == (cast["duty"], "Entered twice")
    assert naloxone.history.order_by("-history_id").first().history_change_reason == "Entered twice"
    shown = page(client_for("health"), naloxone.emergency)
    row = shown.split('data-testid="intervention-row"')[1].split("</tr>")[0]
    assert "data-withdrawn" in row
    assert "<del>" in row
    assert "duty" in row and "Entered twice" in row


def test_it_leaves_a_withdrawn_intervention_out_of_the_totals(naloxone, client_for, cast):
    services.emergency_intervention_add(
        emergency=naloxone.emergency, kind="naloxone", route="im", dose_mg=Decimal("0.4"), by=cast["health"]
    )
    withdraw(client_for("health"), naloxone)

    shown = page(client_for("health"), naloxone.emergency)

    total = shown.split('data-testid="naloxone-total"')[1].split("</div>")[0]
    assert ">0,4 mg" in total
    assert 'data-testid="interventions-total">1</div>' in shown


def test_it_requires_a_reason_to_withdraw(naloxone, client_for):
    response = withdraw(client_for("health"), naloxone, reason="   ")

    naloxone.refresh_from_db()
    assert response.status_code == 400
    assert nb("Give the reason for withdrawing it.") in said(response)
    assert naloxone.withdrawn_at is None


def test_it_tells_the_second_to_withdraw_that_it_is_already_withdrawn(naloxone, client_for):
    withdraw(client_for("duty"), naloxone)
    response = withdraw(client_for("health"), naloxone)
    assert response.status_code == 302
    naloxone.refresh_from_db()
    assert naloxone.withdrawn_reason == "Entered twice"


def test_it_lets_the_record_close_before_a_withdrawn_intervention(emergency, cast, at_noon):
    at_noon.shift(dt.timedelta(minutes=10))
    late = services.emergency_intervention_add(emergency=emergency, kind="cpr", by=cast["health"])
    services.intervention_withdraw(intervention=late, by=cast["health"], reason="Wrong emergency")
    services.emergency_close(
        emergency=emergency, outcome="recovered", by=cast["health"], ended_at=NOON + dt.timedelta(minutes=5)
    )
    emergency.refresh_from_db()
    assert emergency.ended_at == NOON + dt.timedelta(minutes=5)


@pytest.mark.parametrize("role", ["coordinator", "reception"])
def test_it_does_not_let_other_roles_correct_or_withdraw(naloxone, client_for, role):
    assert correct(client_for(role), naloxone, dose_mg="0.4").status_code == 403
    assert withdraw(client_for(role), naloxone).status_code == 403
    naloxone.refresh_from_db()
    assert (naloxone.dose_mg, naloxone.withdrawn_at) == (Decimal("1.80"), None)


# The header ------------------------------------------------------------------------------------------


def test_it_shows_the_date_of_an_emergency_from_an_earlier_day(emergency, client_for, at_noon):
    at_noon.shift(dt.timedelta(days=1))
    header = page(client_for("health"), emergency).split('data-testid="emergency-header"')[1].split("</div>")[0]
    assert "10.03.2026 12:00:00" in header


def test_it_shows_only_the_time_of_an_emergency_today(emergency, client_for):
    header = page(client_for("health"), emergency).split('data-testid="emergency-header"')[1].split("</div>")[0]
    assert "12:00:00" in header
    assert "10.03.2026" not in header


def test_it_strikes_a_withdrawn_intervention_through_in_the_clients_health_history(naloxone, client_for, cast):
    services.intervention_withdraw(intervention=naloxone, by=cast["health"], reason="Entered twice")
    shown = client_for("health").get(f"/health/clients/{naloxone.emergency.client_id}/").content.decode()
    assert "<del" in shown and "12:01" in shown.split("<del")[1]


def test_it_refuses_a_withdrawal_opened_before_a_correction(naloxone, client_for):
    opened = Intervention.objects.get(pk=naloxone.pk)
    correct(client_for("duty"), naloxone, dose_mg="0.4", reason="Checked the syringe")

    response = withdraw(client_for("health"), opened)

    naloxone.refresh_from_db()
    assert response.status_code == 409
    assert naloxone.withdrawn_at is None
    assert "0,4" in said(response).split('data-testid="stale-edit"')[1].split("</table>")[0]


@pytest.mark.parametrize(
    "changes",
    [
        {"dose_mg": "1e400"},
        {"dose_mg": "NaN"},
        {"dose_mg": "0"},
        {"route": "iv"},
        {"at": ""},
        {"at": "99999-01-01T00:00:00"},
        {"reason": "x" * 101},
        {"note": "x" * 501},
        {"seen_version": "abc"},
        {"seen_version": "9" * 40},
    ],
)
def test_it_answers_an_odd_correction_with_a_message_never_a_500(naloxone, client_for, changes):
    response = correct(client_for("health"), naloxone, **changes)
    naloxone.refresh_from_db()
    assert response.status_code in (400, 409)
    assert (naloxone.dose_mg, naloxone.version) == (Decimal("1.80"), 1)


# What a press costs and what the record's history keeps ---------------------------------------------


def team_in_history(emergency: Emergency) -> list[list[str]]:
    """The staff involved in each version of the record, oldest first."""
    versions = emergency.history.order_by("history_id")
    return [sorted(row.user.username for row in version.staff_involved.all()) for version in versions]


def test_it_records_an_intervention_in_at_most_ten_queries(emergency, client_for, django_assert_max_num_queries):
    http = client_for("health")
    page(http, emergency)  # the page the button is on

    with django_assert_max_num_queries(10):
        response = press(http, emergency, "oxygen")

    assert response.status_code == 302
    assert Intervention.objects.filter(emergency=emergency, kind=Intervention.Kind.OXYGEN).count() == 1


def test_it_adds_no_version_to_the_record_when_the_member_of_staff_is_already_involved(emergency, client_for):
    before = team_in_history(emergency)

    press(client_for("health"), emergency, "oxygen")

    assert team_in_history(emergency) == before
    assert before[-1] == ["health"]
    assert list(emergency.staff_involved.values_list("username", flat=True)) == ["health"]


def test_it_keeps_a_newcomer_to_the_team_in_the_records_history(emergency, client, cast):
    newcomer = health_worker("ingrid")
    client.force_login(newcomer)
    before = team_in_history(emergency)

    press(client, emergency, "oxygen")

    assert team_in_history(emergency) == [*before, ["health", "ingrid"]]
    assert emergency.history.order_by("history_id").last().history_user == newcomer


def test_it_answers_an_intervention_on_a_missing_emergency_with_not_found(client_for):
    response = client_for("health").post("/health/emergencies/999999/intervention/", {"kind": "oxygen"})

    assert response.status_code == 404
    assert not Intervention.objects.exists()


def test_it_answers_a_refused_form_on_a_missing_emergency_with_not_found(client_for):
    response = client_for("health").post("/health/emergencies/999999/intervention/", {"kind": ""})

    assert response.status_code == 404

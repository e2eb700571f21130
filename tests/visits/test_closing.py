"""Closing: the time left on every station, check-in at last admission, and a booth near closing.

The default hours on the test Tuesday: open 08:00-21:30, last admission 21:00, the warning from 30
minutes before closing. An injection runs against 30 minutes in the booth and 15 of observation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import ngettext, override

from staff.models import Display
from staff.services.displays import display_create
from tests.support.factories import ClientFactory, booth, heroin, injection
from tests.support.pages import booth_name, marked_text, nb, shown_text, t
from tests.support.rooms import checked_in
from tests.support.time import TUESDAY, oslo
from visits.models import BoothSession, ClosedDay, Facility, Intoxication, SpecialHours, Visit
from visits.services.rooms import BoothPastClosing, booth_assign

pytestmark = pytest.mark.django_db

STATIONS = [
    ("reception", "visits:reception"),
    ("counselor", "counseling:interview"),
    ("health", "health:room"),
    ("health", "visits:injection"),
    ("health", "visits:observation"),
    ("duty", "visits:floor"),
    ("duty", "staff:incident-list"),
    ("duty", "staff:handover-list"),
    ("duty", "staff:roster"),
]


def banner(http, url_name: str = "visits:reception") -> str:
    response = http.get(reverse(url_name))
    assert response.status_code == 200
    return shown_text(response.content, "closing-banner")


def left(minutes: int) -> str:
    return t("Closing at %(time)s — %(minutes)s min left", time="21:30", minutes=minutes)


ADMISSION_CLOSED = t("Last admission was %(time)s; check-in is closed", time="21:00")


# The time left, on every station


def test_it_shows_no_closing_banner_before_the_warning(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 20, 59), tick=False)
    assert banner(client_for("reception")) == ""


@pytest.mark.parametrize(("who", "url_name"), STATIONS)
def test_it_shows_the_minutes_left_on_every_station(client_for, at_noon, who, url_name):
    Facility.objects.filter(pk=1).update(closing_warning_minutes=45)
    at_noon.move_to(oslo(TUESDAY, 20, 50), tick=False)

    assert banner(client_for(who), url_name) == left(40)


def test_it_starts_the_warning_as_the_facility_sets_it(client_for, at_noon):
    facility = Facility.objects.get()
    facility.closing_warning_minutes = 45
    facility.save()
    reception = client_for("reception")
    at_noon.move_to(oslo(TUESDAY, 20, 44), tick=False)
    assert banner(reception) == ""
    at_noon.move_to(oslo(TUESDAY, 20, 45), tick=False)
    assert banner(reception) == left(45)


def test_it_counts_a_part_minute_as_a_minute_left(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 29) + dt.timedelta(seconds=1), tick=False)
    assert left(1) in banner(client_for("reception"))


def test_it_says_check_in_is_closed_after_last_admission(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 6), tick=False)
    text = banner(client_for("health"), "visits:injection")
    assert left(24) in text
    assert ADMISSION_CLOSED in text


def test_it_says_check_in_is_closed_from_last_admission_even_before_the_warning(client_for, at_noon):
    Facility.objects.filter(pk=1).update(closing_warning_minutes=10)
    at_noon.move_to(oslo(TUESDAY, 21, 0), tick=False)
    assert banner(client_for("reception")) == ADMISSION_CLOSED


def test_it_says_the_facility_has_closed_after_closing(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 40), tick=False)
    assert banner(client_for("duty"), "visits:floor") == t("Closed at %(time)s", time="21:30")


def test_it_shows_no_banner_on_the_next_morning(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY + dt.timedelta(days=1), 0, 5), tick=False)
    assert banner(client_for("duty"), "visits:floor") == ""


def test_it_shows_no_banner_on_a_closed_day(client_for, at_noon):
    ClosedDay.objects.create(date=TUESDAY, reason="Maintenance")
    at_noon.move_to(oslo(TUESDAY, 21, 10), tick=False)
    assert banner(client_for("reception")) == ""


def test_it_draws_the_banner_ahead_for_the_browser_to_show_on_time(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 20, 0), tick=False)
    html = client_for("reception").get(reverse("visits:reception")).content.decode()
    # Hidden now; the browser shows it from the warning on, counting down to closing (static/js/timers.js).
    assert 'data-warn="2026-03-10T20:00:00.000Z"' in html  # 21:00 in Oslo
    assert 'data-closes="2026-03-10T20:30:00.000Z"' in html
    assert f'data-label-left="{left("{minutes}")}"' in html


def test_it_carries_the_banner_in_the_board_each_refresh_brings(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 10), tick=False)
    duty = client_for("duty")
    page = duty.get(reverse("visits:floor")).content.decode()
    assert page.count('data-testid="closing-banner"') == 1  # in the board, not once more above it
    board = duty.get(reverse("visits:floor-board"), HTTP_HX_REQUEST="true")
    assert left(20) in shown_text(board.content, "closing-banner")


def test_it_shows_the_banner_on_the_wall_display_too(client, cast, at_noon):
    token = display_create(display=Display(name="Staff room"), by=cast["admin"])
    at_noon.move_to(oslo(TUESDAY, 21, 10), tick=False)
    client.get(f"/display/{token}/")
    response = client.get("/display/")
    assert left(20) in shown_text(response.content, "closing-banner")


# Check-in at last admission


def check_in(http, client, **data):
    return http.post(
        f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": Intoxication.NONE, **data}
    )


def test_it_admits_in_the_last_second_before_last_admission(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 20, 59) + dt.timedelta(seconds=59), tick=False)
    assert check_in(client_for("reception"), ClientFactory()).status_code == 302
    assert Visit.objects.count() == 1


@pytest.mark.parametrize("minute", [(21, 0), (21, 30)], ids=["last admission", "closing"])
def test_it_refuses_reception_from_the_minute_of_last_admission(client_for, at_noon, minute):
    at_noon.move_to(oslo(TUESDAY, *minute), tick=False)
    http = client_for("reception")
    response = check_in(http, ClientFactory(), override_reason="I say so")
    assert response.status_code == 303  # to the card, which shows why
    card = http.get(response["Location"])
    assert nb("Check-in is closed now (outside opening hours or after last admission).") in marked_text(
        card.content, "blockers"
    )
    assert not Visit.objects.exists()


@pytest.mark.parametrize("minute", [(21, 0), (21, 30)], ids=["last admission", "closing"])
def test_it_lets_the_duty_officer_admit_after_last_admission_with_a_reason(client_for, at_noon, cast, minute):
    at_noon.move_to(oslo(TUESDAY, *minute), tick=False)
    response = check_in(client_for("duty"), ClientFactory(), override_reason="Came from the emergency clinic")
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.override_by, visit.override_reason) == (cast["duty"], "Came from the emergency clinic")


def test_it_refuses_the_duty_officer_after_last_admission_without_a_reason(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 0), tick=False)
    assert check_in(client_for("duty"), ClientFactory()).status_code == 303  # to the card, which shows why
    assert not Visit.objects.exists()


def test_it_shows_reception_the_last_admission_before_the_search(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 20, 59), tick=False)
    response = client_for("reception").get(reverse("visits:reception"))
    assert marked_text(response.content, "last-admission") == t("Last admission %(time)s", time="21:00")
    assert 'data-testid="check-in-closed"' not in response.content.decode()


def test_it_tells_reception_check_in_is_closed_after_last_admission(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 21, 0), tick=False)
    response = client_for("reception").get(reverse("visits:reception"))
    text = marked_text(response.content, "check-in-closed")
    assert t("Last admission was %(time)s: check-in is closed.", time="21:00") in text
    assert nb("Only a duty officer may admit a client now, with a reason.") in text
    assert 'data-testid="last-admission"' not in response.content.decode()


def test_it_tells_reception_check_in_is_closed_before_opening(client_for, at_noon):
    at_noon.move_to(oslo(TUESDAY, 7, 30), tick=False)
    response = client_for("reception").get(reverse("visits:reception"))
    assert t("Check-in is closed until opening at %(time)s.", time="08:00") in marked_text(
        response.content, "check-in-closed"
    )


# A booth near closing: booth time and observation past closing ask for confirmation


def past_closing(ends: str, minutes: int) -> str:
    with override("nb"):
        text = ngettext(
            "Booth time and observation would end at %(ends)s, %(minutes)d minute after closing (%(closes)s).",
            "Booth time and observation would end at %(ends)s, %(minutes)d minutes after closing (%(closes)s).",
            minutes,
        )
    return text % {"ends": ends, "minutes": minutes, "closes": "21:30"}


def _waiting(cast):
    return checked_in("AB1985M", cast["reception"], now=oslo(TUESDAY, 20, 0))


def test_it_assigns_without_a_question_when_observation_ends_at_closing(cast, facility):
    visit = _waiting(cast)
    session = booth_assign(
        visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=oslo(TUESDAY, 20, 45)
    )
    assert session.visit_id == visit.pk


def test_it_does_not_assign_a_booth_past_closing_without_confirmation(cast, facility):
    visit = _waiting(cast)
    with pytest.raises(BoothPastClosing) as refusal:
        booth_assign(
            visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=oslo(TUESDAY, 20, 46)
        )
    assert refusal.value.past.minutes == 1
    assert refusal.value.messages == [past_closing("21:31", 1)]
    visit.refresh_from_db()
    assert visit.location == Visit.Location.QUEUE
    assert not BoothSession.objects.exists()


def test_it_assigns_a_booth_past_closing_when_confirmed(cast, facility):
    visit = _waiting(cast)
    session = booth_assign(
        visit=visit,
        booth=booth("2"),
        route=injection(),
        substance=heroin(),
        by=cast["health"],
        now=oslo(TUESDAY, 21, 29),
        confirmed=True,
    )
    assert (session.booth.label, session.visit.location) == ("2", Visit.Location.BOOTH)


def _assign(http, visit, *, htmx: bool = True, **data):
    payload = {"route": injection().pk, "substance": heroin().pk, "panel": "injection", **data}
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return http.post(f"/visits/{visit.pk}/assign-booth/", payload, **extra)


def test_it_asks_on_the_board_when_and_by_how_much_booth_time_runs_past_closing(client_for, cast, at_noon):
    visit = _waiting(cast)
    at_noon.move_to(oslo(TUESDAY, 21, 30), tick=False)

    response = _assign(client_for("health"), visit, booth=booth("3").pk)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#board-messages"
    assert marked_text(response.content, "assign-confirm-text") == past_closing("22:15", 45)
    html = response.content.decode()
    assert nb("Assign anyway") in html and nb("Cancel") in html
    assert not BoothSession.objects.exists()


def test_it_assigns_when_the_question_is_answered_assign_anyway(client_for, cast, at_noon):
    visit = _waiting(cast)
    at_noon.move_to(oslo(TUESDAY, 21, 29), tick=False)
    health = client_for("health")
    question = _assign(health, visit, booth=booth("3").pk).content.decode()
    assert 'name="confirm" value="1"' in question and f'name="booth" value="{booth("3").pk}"' in question

    response = _assign(health, visit, booth=booth("3").pk, confirm="1")

    assert t("%(code)s is in %(booth)s.", code="AB1985M", booth=booth_name("3")) in response.content.decode()
    assert BoothSession.objects.get().booth.label == "3"


def test_it_asks_again_on_the_page_without_htmx(client_for, cast, at_noon):
    visit = _waiting(cast)
    at_noon.move_to(oslo(TUESDAY, 21, 29), tick=False)
    health = client_for("health")

    response = _assign(health, visit, htmx=False, kit="1")

    assert response.status_code == 302
    assert response.url.startswith(reverse("visits:injection") + f"?assign={visit.pk}&")
    page = health.get(response.url)
    assert marked_text(page.content, "assign-confirm-text") == past_closing("22:14", 44)
    assert not BoothSession.objects.exists()


def test_it_asks_nothing_on_the_page_from_an_address_made_up(client_for, cast, at_noon):
    _waiting(cast)
    at_noon.move_to(oslo(TUESDAY, 21, 29), tick=False)
    page = client_for("health").get(reverse("visits:injection") + "?assign=99999&route=x&booth=%00")
    assert page.status_code == 200
    assert 'data-testid="assign-confirm"' not in page.content.decode()


def test_it_never_draws_the_question_on_the_boards_cards(client_for, cast, at_noon):
    _waiting(cast)
    at_noon.move_to(oslo(TUESDAY, 21, 29), tick=False)
    board = client_for("health").get(reverse("visits:injection-board"), HTTP_HX_REQUEST="true").content.decode()
    assert "AB1985M" in board
    assert 'name="confirm"' not in board


# Open until 24:00


def _open_until_midnight(*, next_day_from: dt.time) -> None:
    """Tuesday open 08:00-24:00, Wednesday from ``next_day_from`` (a special day each)."""
    SpecialHours.objects.create(date=TUESDAY, opens=dt.time(8), closes=dt.time(0), last_admission_minutes=15)
    SpecialHours.objects.create(
        date=TUESDAY + dt.timedelta(days=1), opens=next_day_from, closes=dt.time(21, 30), last_admission_minutes=30
    )


def test_it_warns_of_a_closing_at_midnight_as_24(client_for, at_noon):
    _open_until_midnight(next_day_from=dt.time(8))
    at_noon.move_to(oslo(TUESDAY, 23, 40), tick=False)
    assert banner(client_for("reception")) == t("Closing at %(time)s — %(minutes)s min left", time="24:00", minutes=20)


def test_it_asks_for_a_booth_past_a_closing_at_midnight_saying_24(cast, facility):
    _open_until_midnight(next_day_from=dt.time(8))
    visit = checked_in("AB1985M", cast["reception"], now=oslo(TUESDAY, 23, 0))
    with pytest.raises(BoothPastClosing) as refusal:
        booth_assign(
            visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=oslo(TUESDAY, 23, 30)
        )
    with override("nb"):
        text = ngettext(
            "Booth time and observation would end at %(ends)s, %(minutes)d minute after closing (%(closes)s).",
            "Booth time and observation would end at %(ends)s, %(minutes)d minutes after closing (%(closes)s).",
            15,
        )
    assert refusal.value.messages == [text % {"ends": "00:15", "minutes": 15, "closes": "24:00"}]


def test_it_neither_warns_nor_asks_when_the_opening_runs_on_through_the_night(client_for, cast, at_noon):
    """Open until 24:00 and again from 00:00: the facility does not close at midnight."""
    _open_until_midnight(next_day_from=dt.time(0))
    at_noon.move_to(oslo(TUESDAY, 23, 40), tick=False)
    http = client_for("reception")
    assert banner(http) == ""
    # Check-in stays open too: the last admission before a midnight that is not a closing does not apply.
    visit = checked_in("AB1985M", cast["reception"], now=oslo(TUESDAY, 23, 50))
    session = booth_assign(
        visit=visit, booth=None, route=injection(), substance=heroin(), by=cast["health"], now=oslo(TUESDAY, 23, 55)
    )
    assert session.visit.location == Visit.Location.BOOTH

"""A counseling session that runs past midnight: written up as 23:40-00:10, it ends the next day.

It is saved with its real length, shown with the end marked "(+1)" in the interview room and on the
timeline, and counted on the day (and in the month) it started.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from counseling.models import CounselingSession
from reports.periods import Period
from reports.selectors.figures import period_figures
from tests.support.factories import make_client, topic
from tests.support.pages import nb, text_of
from tests.support.time import oslo

TUESDAY = dt.date(2026, 3, 10)
WEDNESDAY = TUESDAY + dt.timedelta(days=1)
# Twenty minutes past midnight, Tuesday night: the counselor writes up the talk that just ended.
AFTER_MIDNIGHT = oslo(WEDNESDAY, 0, 20)


@pytest.fixture
def person(cast, facility):
    return make_client(by=cast["reception"], at=oslo(TUESDAY, 8))


def _form(person, day: dt.date = TUESDAY, starts: str = "23:40", ends: str = "00:10") -> dict:
    return {
        "client": person.code,
        "date": day.isoformat(),
        "starts": starts,
        "ends": ends,
        "topics": [topic("Housing").pk],
    }


def _post(client_for, data: dict, now: dt.datetime = AFTER_MIDNIGHT):
    with time_machine.travel(now, tick=False):
        return client_for("counselor").post("/interview/sessions/new/", data, follow=True)


def test_it_saves_a_session_from_2340_to_0010_as_half_an_hour_ending_the_next_day(client_for, person):
    response = _post(client_for, _form(person))

    assert response.redirect_chain[-1][0] == "/interview/"
    session = CounselingSession.objects.get()
    assert session.started_at == oslo(TUESDAY, 23, 40)
    assert session.ended_at == oslo(WEDNESDAY, 0, 10)
    assert session.duration_seconds == 30 * 60


def test_it_marks_the_end_on_the_next_day_in_the_interview_room(client_for, person):
    response = _post(client_for, _form(person))

    assert f"23:40–00:10 (+1) {person.code}" in text_of(response.content)


def test_it_shows_it_on_the_timeline_on_the_day_it_started(client_for, person):
    _post(client_for, _form(person))

    with time_machine.travel(AFTER_MIDNIGHT, tick=False):
        html = client_for("counselor").get(f"/interview/clients/{person.pk}/timeline/?month=2026-03").content

    text = text_of(html)
    assert "23:40–11.3. 00:10" in text
    tuesday_heading = text.index(nb("Tuesday").capitalize() + " 10.")
    assert tuesday_heading < text.index("23:40–11.3. 00:10")


def test_it_counts_a_session_past_the_end_of_a_month_in_the_month_it_started(client_for, person):
    april = dt.date(2026, 4, 1)
    _post(client_for, _form(person, dt.date(2026, 3, 31)), now=oslo(april, 0, 20))

    with time_machine.travel(oslo(april, 12), tick=False):
        march = period_figures(Period.for_month(dt.date(2026, 3, 1)), now=oslo(april, 12))
        in_april = period_figures(Period.for_month(april), now=oslo(april, 12))

    assert march.counseling_sessions == 1
    assert in_april.counseling_sessions == 0


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("14:00", "13:00"),  # a slip of the hour, not a 23-hour talk
        ("20:00", "04:30"),  # past midnight but longer than a session can be
    ],
)
def test_it_still_refuses_an_end_before_the_start_that_is_no_plausible_session(client_for, person, starts, ends):
    response = _post(client_for, _form(person, starts=starts, ends=ends), now=oslo(WEDNESDAY, 12))

    assert response.status_code == 400
    assert nb("The session cannot end before it started.") in text_of(response.content)
    assert not CounselingSession.objects.exists()


def test_it_refuses_a_session_past_midnight_that_has_not_ended_yet(client_for, person):
    response = _post(client_for, _form(person), now=oslo(TUESDAY, 23, 50))

    assert response.status_code == 400
    assert nb("The session cannot end in the future.") in text_of(response.content)
    assert not CounselingSession.objects.exists()


def test_it_refuses_a_date_at_the_end_of_the_calendar_with_a_message(client_for, person):
    response = _post(client_for, _form(person, dt.date(9999, 12, 31)))

    assert response.status_code == 400
    assert nb("Choose a date between %(earliest)s and %(latest)s.").split("%")[0] in text_of(response.content)
    assert not CounselingSession.objects.exists()

"""Special days: opening hours for one date win over the week's, 24:00 is a closing time, a closed day wins over all.

The facility's default week is 08:00-21:30, last admission 21:00 (tests/support/time.py).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from tests.support.factories import ClientFactory, heroin
from tests.support.pages import marked_text, marked_texts, nb, text_of
from tests.support.time import OSLO, TUESDAY, oslo
from visits.models import ClosedDay, OpeningHours, SpecialHours, Visit
from visits.models.facility import END_OF_DAY
from visits.selectors.facility import opening_hours_between, opening_hours_on

WEDNESDAY = TUESDAY + dt.timedelta(days=1)
SPRING_FORWARD = dt.date(2026, 3, 29)  # 02:00 becomes 03:00: a 23-hour day
FALL_BACK = dt.date(2026, 10, 25)  # 03:00 becomes 02:00: a 25-hour day


def special(day: dt.date, opens: dt.time, closes: dt.time, *, minutes: int = 30, note: str = "") -> SpecialHours:
    return SpecialHours.objects.create(date=day, opens=opens, closes=closes, last_admission_minutes=minutes, note=note)


def check_in_at(http, moment: dt.datetime):
    client = ClientFactory()
    with time_machine.travel(moment, tick=False):
        response = http.post(f"/clients/{client.pk}/check-in/", {"substance": heroin().pk, "intoxication": "none"})
    return Visit.objects.filter(client=client).exists(), response


def all_week_until_midnight() -> None:
    OpeningHours.objects.update(closes=END_OF_DAY)


# Which hours hold on a date


def test_a_shorter_special_day_wins_over_the_week(facility):
    special(TUESDAY, dt.time(8), dt.time(16), note="Julaften")

    hours = opening_hours_on(TUESDAY)

    assert (hours.opens, hours.closes, hours.last_admission) == (
        oslo(TUESDAY, 8),
        oslo(TUESDAY, 16),
        oslo(TUESDAY, 15, 30),
    )
    assert (hours.special, hours.note) == (True, "Julaften")
    assert opening_hours_on(WEDNESDAY).closes == oslo(WEDNESDAY, 21, 30)  # the next day has the week's hours


def test_a_longer_special_day_wins_over_the_week(facility):
    special(TUESDAY, dt.time(7), dt.time(23), minutes=15)

    hours = opening_hours_on(TUESDAY)

    assert (hours.opens, hours.last_admission, hours.closes_label) == (oslo(TUESDAY, 7), oslo(TUESDAY, 22, 45), "23:00")


def test_an_all_day_special_day_runs_from_midnight_to_midnight(facility):
    special(TUESDAY, dt.time.min, END_OF_DAY, minutes=0)

    hours = opening_hours_on(TUESDAY)

    assert (hours.opens, hours.closes) == (oslo(TUESDAY, 0), oslo(WEDNESDAY, 0))
    assert (hours.all_day, hours.opens_label, hours.closes_label) == (True, "00:00", "24:00")


def test_a_closed_day_wins_over_a_special_day(facility):
    special(TUESDAY, dt.time(8), dt.time(16))
    ClosedDay.objects.create(date=TUESDAY, reason="Streik")

    assert opening_hours_on(TUESDAY) is None
    assert [h.date for h in opening_hours_between(TUESDAY, WEDNESDAY)] == [WEDNESDAY]


def test_the_bulk_read_gives_what_each_day_s_read_gives(facility):
    special(TUESDAY, dt.time(10), END_OF_DAY, note="Lang dag")
    ClosedDay.objects.create(date=WEDNESDAY)
    first, last = TUESDAY - dt.timedelta(days=3), TUESDAY + dt.timedelta(days=3)

    bulk = opening_hours_between(first, last)

    one_by_one = [opening_hours_on(first + dt.timedelta(days=n)) for n in range(7)]
    assert bulk == [hours for hours in one_by_one if hours is not None]


def test_the_database_refuses_a_special_day_that_closes_before_it_opens(facility):
    with pytest.raises(IntegrityError), transaction.atomic():
        special(TUESDAY, dt.time(16), dt.time(8))


# 24:00


def test_24_00_closes_at_the_next_midnight_and_admits_until_the_last_admission(facility, client_for):
    all_week_until_midnight()
    reception = client_for("reception")

    hours = opening_hours_on(TUESDAY)

    assert (hours.closes, hours.last_admission, hours.closes_label) == (
        oslo(WEDNESDAY, 0),
        oslo(TUESDAY, 23, 30),
        "24:00",
    )
    assert check_in_at(reception, oslo(TUESDAY, 23, 29))[0]
    admitted, response = check_in_at(reception, oslo(TUESDAY, 23, 31))
    assert not admitted
    with time_machine.travel(oslo(TUESDAY, 23, 31), tick=False):
        card = reception.get(response.url)
    assert nb("Check-in is closed now (outside opening hours or after last admission).") in marked_text(
        card.content, "blockers"
    )


@pytest.mark.parametrize(("day", "length"), [(SPRING_FORWARD, 23), (FALL_BACK, 25)])
def test_a_day_open_until_24_00_ends_at_the_next_midnight_when_the_clocks_change(facility, day, length):
    special(day, dt.time.min, END_OF_DAY, minutes=30)

    hours = opening_hours_on(day)

    after = day + dt.timedelta(days=1)
    assert hours.closes == dt.datetime(after.year, after.month, after.day, tzinfo=OSLO)
    assert (hours.closes - hours.opens.astimezone(dt.UTC)) == dt.timedelta(hours=length)
    assert (hours.last_admission.hour, hours.last_admission.minute, hours.closes_label) == (23, 30, "24:00")
    assert hours.is_open(hours.closes - dt.timedelta(seconds=1))
    assert not hours.is_open(hours.closes)


def test_the_last_admission_is_real_minutes_before_closing_across_the_change_to_summer_time(facility):
    special(SPRING_FORWARD, dt.time.min, dt.time(3), minutes=60)

    hours = opening_hours_on(SPRING_FORWARD)

    # 03:00 summer time is 01:00 UTC; an hour before is 00:00 UTC, 01:00 winter time (02:00 never came).
    assert hours.last_admission.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC)


# The admin


def test_the_admin_accepts_24_00_for_a_special_day_and_shows_it(client_for):
    http = client_for("admin")

    response = http.post(
        "/admin/visits/specialhours/add/",
        {"date": "2026-12-31", "opens": "10:00", "closes": "24:00", "last_admission_minutes": "30", "note": "Nyttår"},
    )

    assert response.status_code == 302
    saved = SpecialHours.objects.get(date=dt.date(2026, 12, 31))
    assert saved.closes == END_OF_DAY
    assert "24:00" in text_of(http.get("/admin/visits/specialhours/").content)
    change = http.get(f"/admin/visits/specialhours/{saved.pk}/change/")
    assert 'value="24:00"' in change.content.decode()


def test_the_admin_refuses_a_special_day_that_closes_before_it_opens(client_for):
    response = client_for("admin").post(
        "/admin/visits/specialhours/add/",
        {"date": "2026-12-31", "opens": "16:00", "closes": "08:00", "last_admission_minutes": "30"},
    )

    assert response.status_code == 200
    assert nb("The closing time must be after the opening time. Write 24:00 for midnight.") in text_of(response.content)
    assert not SpecialHours.objects.exists()


def test_the_admin_refuses_special_hours_on_a_closed_day(client_for):
    ClosedDay.objects.create(date=dt.date(2026, 12, 25), reason="1. juledag")

    response = client_for("admin").post(
        "/admin/visits/specialhours/add/",
        {"date": "2026-12-25", "opens": "10:00", "closes": "14:00", "last_admission_minutes": "30"},
    )

    assert nb("This date is a closed day. Delete the closed day first to open with special hours.") in text_of(
        response.content
    )
    assert not SpecialHours.objects.exists()


def test_the_admin_refuses_a_closed_day_on_a_date_with_special_hours(client_for):
    special(dt.date(2026, 12, 24), dt.time(8), dt.time(14))

    response = client_for("admin").post("/admin/visits/closedday/add/", {"date": "2026-12-24", "reason": "Julaften"})

    assert nb("This date has special opening hours. Delete them first to close the facility that day.") in text_of(
        response.content
    )
    assert not ClosedDay.objects.exists()


def test_the_admin_accepts_24_00_in_the_week_s_hours(client_for):
    http = client_for("admin")
    day = OpeningHours.objects.order_by("period", "weekday").first()
    url = f"/admin/visits/openinghoursperiod/{day.period_id}/change/"
    page = http.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    index = [form.instance.pk for form in formset.forms].index(day.pk)
    data = {}
    for form in [page.context["adminform"].form, formset.management_form, *formset.forms]:
        for bound in form:
            value = bound.value()
            if value is not None and value is not False:
                data[bound.html_name] = "on" if value is True else value

    response = http.post(url, {**data, f"{formset.prefix}-{index}-closes": "24:00"})

    assert response.status_code == 302
    day.refresh_from_db()
    assert day.closes == END_OF_DAY
    assert str(day).endswith("-24:00")


# Reception


def test_reception_shows_today_s_special_hours_and_note(client_for):
    special(TUESDAY, dt.time(8), dt.time(16), note="Personalmøte fra 16")

    with time_machine.travel(oslo(TUESDAY, 12), tick=False):
        page = client_for("reception").get("/reception/")

    shown = marked_text(page.content, "hours-today")
    assert nb("Open %(opens)s–%(closes)s") % {"opens": "08:00", "closes": "16:00"} in shown
    assert "Personalmøte fra 16" in shown


def test_reception_shows_the_coming_week_s_special_and_closed_days(client_for):
    special(TUESDAY + dt.timedelta(days=2), dt.time.min, END_OF_DAY, note="Døgnåpent")
    ClosedDay.objects.create(date=TUESDAY + dt.timedelta(days=3), reason="Helligdag")
    ClosedDay.objects.create(date=TUESDAY + dt.timedelta(days=30), reason="Langt fram")

    with time_machine.travel(oslo(TUESDAY, 12), tick=False):
        page = client_for("reception").get("/reception/")

    coming = marked_text(page.content, "coming-days")
    assert nb("open all day") in coming and "Døgnåpent" in coming
    assert nb("closed") in coming and "Helligdag" in coming
    assert "Langt fram" not in coming


def test_reception_shows_24_00_as_the_closing_time(client_for):
    all_week_until_midnight()

    with time_machine.travel(oslo(TUESDAY, 12), tick=False):
        page = client_for("reception").get("/reception/")

    assert nb("Open %(opens)s–%(closes)s") % {"opens": "08:00", "closes": "24:00"} in marked_text(
        page.content, "hours-today"
    )


# The roster


def test_the_roster_shows_a_special_day_s_hours_and_24_00(client_for):
    all_week_until_midnight()
    special(TUESDAY, dt.time(10), dt.time(16), note="Kurs")
    monday = TUESDAY - dt.timedelta(days=1)

    with time_machine.travel(oslo(monday, 12), tick=False):
        page = client_for("coordinator").get(f"/roster/?week={monday.isoformat()}")

    days = marked_texts(page.content, "roster-day")
    assert "08:00–24:00" in days[0]
    assert "10:00–16:00" in days[1]

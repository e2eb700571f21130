"""A new installation starts as Bergen's facility; opening hours decide when clients are admitted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from core.weekdays import Weekday
from demo.defaults import facility_load_defaults
from visits.models import Booth, ClosedDay, OpeningHours, OpeningHoursPeriod, Room, Route, Substance
from visits.selectors.facility import opening_hours_on, today_hours

OSLO = ZoneInfo("Europe/Oslo")
TUESDAY = dt.date(2026, 3, 10)


def oslo(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"visits", "counseling"}
    }


def test_it_creates_the_five_bergen_rooms_in_use(db):
    facility_load_defaults()

    in_use = set(Room.objects.filter(active=True).values_list("kind", flat=True))
    assert {"reception", "interview", "health", "injection", "observation"} <= in_use


def test_it_keeps_the_inhalation_room_out_of_use(db):
    facility_load_defaults()

    assert Room.objects.get(kind=Room.Kind.INHALATION).active is False


def test_it_puts_six_booths_in_the_injection_room(db):
    facility_load_defaults()

    booths = Booth.objects.filter(room__kind=Room.Kind.INJECTION)
    assert [booth.label for booth in booths] == ["1", "2", "3", "4", "5", "6"]
    assert Booth.objects.count() == 6


def test_it_allows_heroin_only(db):
    facility_load_defaults()

    assert list(Substance.objects.filter(enabled=True).values_list("name", flat=True)) == ["Heroin"]
    assert Substance.objects.filter(enabled=False).count() >= 1


def test_it_allows_injection_with_a_30_minute_booth_limit_and_15_minutes_of_observation(db):
    facility_load_defaults()

    injection = Route.objects.get(name_en="Injection")
    assert injection.enabled is True
    assert injection.booth_time_limit_minutes == 30
    assert injection.min_observation_minutes == 15


def test_it_does_not_allow_smoking(db):
    facility_load_defaults()

    assert Route.objects.get(name_en="Smoking").enabled is False
    assert list(Route.objects.filter(enabled=True).values_list("name_en", flat=True)) == ["Injection"]


def test_it_opens_from_08_00_to_21_30_every_weekday(db):
    facility_load_defaults()

    hours = OpeningHours.objects.all()
    assert sorted(day.weekday for day in hours) == [0, 1, 2, 3, 4, 5, 6]
    assert {(day.opens, day.closes) for day in hours} == {(dt.time(8, 0), dt.time(21, 30))}


def test_it_stops_admission_30_minutes_before_closing(db):
    facility_load_defaults()

    assert OpeningHoursPeriod.objects.get().last_admission_minutes == 30


def test_it_changes_nothing_when_run_twice(db):
    facility_load_defaults()
    before = _row_counts()

    facility_load_defaults()

    assert _row_counts() == before


def test_it_keeps_what_an_administrator_changed_when_run_again(db):
    facility_load_defaults()
    Route.objects.filter(name_en="Injection").update(booth_time_limit_minutes=45)
    Booth.objects.filter(label="6").update(active=False)

    facility_load_defaults()

    assert Route.objects.get(name_en="Injection").booth_time_limit_minutes == 45
    assert Booth.objects.get(label="6").active is False


@pytest.mark.parametrize(
    ("hour", "minute", "admitted"),
    [(7, 59, False), (8, 0, True), (20, 59, True), (21, 0, False), (21, 29, False), (21, 30, False)],
)
def test_it_admits_clients_from_opening_until_the_last_admission(facility, hour, minute, admitted):
    hours = opening_hours_on(TUESDAY)

    assert hours.admits(oslo(TUESDAY, hour, minute)) is admitted


@pytest.mark.parametrize(
    ("hour", "minute", "open_"), [(7, 59, False), (8, 0, True), (21, 0, True), (21, 29, True), (21, 30, False)]
)
def test_it_stays_open_until_closing_after_the_last_admission(facility, hour, minute, open_):
    hours = opening_hours_on(TUESDAY)

    assert hours.is_open(oslo(TUESDAY, hour, minute)) is open_


def test_it_gives_the_hours_in_oslo_time(facility):
    hours = opening_hours_on(TUESDAY)

    assert hours.opens == oslo(TUESDAY, 8)
    assert hours.opens.astimezone(dt.UTC).hour == 7  # CET, winter
    assert hours.last_admission == oslo(TUESDAY, 21)
    assert hours.closes == oslo(TUESDAY, 21, 30)


def test_it_opens_at_08_00_local_time_on_the_day_summer_time_starts(facility):
    day = dt.date(2026, 3, 29)

    hours = opening_hours_on(day)

    assert hours.opens.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("hour", "minute", "admitted"), [(7, 59, False), (8, 0, True), (21, 0, False)])
def test_it_admits_now_by_the_clock_in_oslo(facility, hour, minute, admitted):
    with time_machine.travel(oslo(TUESDAY, hour, minute), tick=False):
        hours = today_hours()

        assert hours.admits(timezone.now()) is admitted


def test_it_takes_today_from_the_oslo_date_not_the_utc_one(facility):
    # 00:30 in Oslo is still yesterday in UTC.
    ClosedDay.objects.create(date=TUESDAY - dt.timedelta(days=1), reason="Holiday")

    with time_machine.travel(oslo(TUESDAY, 0, 30), tick=False):
        hours = today_hours()

    assert hours is not None
    assert hours.date == TUESDAY


def test_it_is_closed_on_a_closed_day(facility):
    ClosedDay.objects.create(date=TUESDAY, reason="Christmas")

    assert opening_hours_on(TUESDAY) is None


def test_it_admits_no_one_on_a_closed_day(facility):
    ClosedDay.objects.create(date=TUESDAY, reason="Christmas")

    with time_machine.travel(oslo(TUESDAY, 12), tick=False):
        assert today_hours() is None


def test_it_opens_as_usual_the_day_after_a_closed_day(facility):
    ClosedDay.objects.create(date=TUESDAY, reason="Christmas")

    assert opening_hours_on(TUESDAY + dt.timedelta(days=1)).opens == oslo(TUESDAY + dt.timedelta(days=1), 8)


@pytest.fixture
def winter_hours(facility) -> OpeningHoursPeriod:
    """From 2027 the facility opens Mondays 10:00-18:00 only, with last admission an hour before closing."""
    period = OpeningHoursPeriod.objects.create(valid_from=dt.date(2027, 1, 1), last_admission_minutes=60)
    OpeningHours.objects.create(
        period=period, weekday=Weekday.MONDAY, opens=dt.time(10), closes=dt.time(18)
    )
    return period


def test_it_follows_a_later_period_from_its_first_day(winter_hours):
    monday = dt.date(2027, 1, 4)

    hours = opening_hours_on(monday)

    assert (hours.opens, hours.last_admission, hours.closes) == (oslo(monday, 10), oslo(monday, 17), oslo(monday, 18))


@pytest.mark.parametrize(
    ("hour", "minute", "admitted"), [(9, 59, False), (10, 0, True), (16, 59, True), (17, 0, False)]
)
def test_it_admits_by_the_later_period_s_hours(winter_hours, hour, minute, admitted):
    monday = dt.date(2027, 1, 4)

    with time_machine.travel(oslo(monday, hour, minute), tick=False):
        assert today_hours().admits(timezone.now()) is admitted


def test_it_is_closed_on_a_weekday_the_later_period_leaves_out(winter_hours):
    assert opening_hours_on(dt.date(2027, 1, 5)) is None  # a Tuesday


def test_it_keeps_the_earlier_hours_before_the_later_period_starts(winter_hours):
    new_years_eve = dt.date(2026, 12, 31)

    assert opening_hours_on(new_years_eve).opens == oslo(new_years_eve, 8)

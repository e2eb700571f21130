"""Timer statuses and their texts, from one place: the models, the templates and the browser read them here."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from core.timers import (
    BoothStatus,
    CheckStatus,
    ObservationStatus,
    board_labels,
    check_text,
    countdown_text,
    status_label,
    status_labels,
)
from visits.models import BoothSession, Observation, ObservationCheck


def test_it_is_the_models_own_status():
    assert BoothSession.Status is BoothStatus
    assert Observation.Status is ObservationStatus
    assert ObservationCheck.Due is CheckStatus


def test_it_labels_the_same_status_by_the_kind_of_timer():
    with translation.override("en"):
        assert status_label("booth", "running") == "Running"
        assert status_label("observation", "running") == "Observing"
        assert status_label("booth", "due_soon") == "Due soon"


def test_it_labels_the_statuses_in_bokmal():
    with translation.override("nb"):
        assert status_label("booth", "overdue") == "Over tiden"
        assert status_label("observation", "minimum_reached") == "Minstetid nådd"


def test_it_gives_the_browser_the_statuses_a_running_timer_can_have():
    with translation.override("en"):
        assert status_labels() == {
            "booth": {"running": "Running", "due_soon": "Due soon", "overdue": "Overdue"},
            "observation": {"running": "Observing", "minimum_reached": "Minimum time reached"},
        }


def test_it_counts_down_to_a_booths_limit_and_then_how_far_past_it():
    with translation.override("en"):
        assert countdown_text("left", 240) == "4:00 left"
        assert countdown_text("left", -65) == "overdue by 1:05"
        assert countdown_text("left", 0) == "overdue by 0:00"


def test_it_counts_down_to_the_minimum_time_and_then_says_it_is_reached():
    with translation.override("en"):
        assert countdown_text("minimum", 660) == "minimum in 11:00"
        assert countdown_text("minimum", -30) == "minimum time reached"


def test_it_writes_the_check_clock_in_each_status():
    with translation.override("en"):
        assert check_text(CheckStatus.OK, due="12:05", seconds_left=180) == "Next check 12:05 (in 3:00)"
        assert check_text(CheckStatus.DUE, due="12:05") == "Check due 12:05"
        assert check_text(CheckStatus.OVERDUE, due="12:05", late_minutes=3) == "⚠ Check overdue by 3 min"


def test_it_gives_the_browser_the_same_texts_with_marks_for_the_values():
    with translation.override("en"):
        assert board_labels() == {
            "left": "{time} left",
            "left-past": "overdue by {time}",
            "minimum": "minimum in {time}",
            "minimum-past": "minimum time reached",
            "check-ok": "Next check {due} (in {time})",
            "check-due": "Check due {due}",
            "check-overdue": "⚠ Check overdue by {minutes} min",
        }


def test_it_writes_the_board_attributes_the_browser_reads():
    with translation.override("en"):
        html = Template("{% load room_timers %}<div {% board_labels %}>").render(Context())
    assert 'data-label-left-past="overdue by {time}"' in html
    assert (
        'data-timer-statuses="{&quot;booth&quot;: {&quot;running&quot;: &quot;Running&quot;, '
        "&quot;due_soon&quot;: &quot;Due soon&quot;, &quot;overdue&quot;: &quot;Overdue&quot;}, "
        "&quot;observation&quot;: {&quot;running&quot;: &quot;Observing&quot;, "
        '&quot;minimum_reached&quot;: &quot;Minimum time reached&quot;}}"'
    ) in html

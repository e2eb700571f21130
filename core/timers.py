"""The timers' statuses and every text the boards show for them: one source for Python, templates and browser.

A booth session runs against its time limit (running, due soon, overdue), an observation against its
minimum time (observing, minimum time reached), and the checks on the person in either fall due
(ok, due, overdue). The models derive the status from ``now`` (``BoothSession.get_status`` ...), the
templates write the label and countdown texts from here, and the browser, which ticks the same
statuses between refreshes, is given these labels by the board (``board_labels``, ``status_labels``)
instead of keeping its own copy.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.durations import clock


class BoothStatus(models.TextChoices):
    """A booth session against its time limit (``BoothSession.Status``)."""

    RUNNING = "running", _("Running")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    ENDED = "ended", _("Ended")


class ObservationStatus(models.TextChoices):
    """An observation against its minimum time (``Observation.Status``)."""

    RUNNING = "running", _("Observing")
    MINIMUM_REACHED = "minimum_reached", _("Minimum time reached")
    ENDED = "ended", _("Released")


class CheckStatus(models.TextChoices):
    """Where the next check on someone in a booth or in observation stands (``ObservationCheck.Due``)."""

    OK = "ok", _("Next check")
    DUE = "due", _("Check due")
    OVERDUE = "overdue", _("Check overdue")


# The timers a board card can show, by the name its card carries (``data-timer-card``).
TIMERS: dict[str, type[models.TextChoices]] = {"booth": BoothStatus, "observation": ObservationStatus}


def status_label(kind: str, status: str) -> str:
    """The label of ``status`` of the ``kind`` of timer ("booth", "observation"): "Due soon"."""
    return str(TIMERS[kind](status).label)


def status_labels() -> dict[str, dict[str, str]]:
    """Each kind of timer's statuses a board shows while it runs, with their labels, in the current language."""
    return {
        kind: {status.value: str(status.label) for status in statuses if status.value != "ended"}
        for kind, statuses in TIMERS.items()
    }


# Countdowns: "left" counts to a booth's limit, "minimum" to an observation's minimum time.


def _countdown(kind: str, past: bool) -> str:
    if kind == "minimum":
        return gettext("minimum time reached") if past else gettext("minimum in %(time)s")
    return gettext("overdue by %(time)s") if past else gettext("%(time)s left")


def countdown_text(kind: str, seconds_left: int) -> str:
    """The countdown to a limit: "4:00 left", "overdue by 1:05"; "minimum in 11:00", "minimum time reached"."""
    past = seconds_left <= 0
    text = _countdown(kind, past)
    return text if kind == "minimum" and past else text % {"time": clock(abs(seconds_left))}


def _check(status: str) -> str:
    if status == CheckStatus.OVERDUE:
        return "⚠ " + gettext("Check overdue by %(minutes)s min")
    if status == CheckStatus.DUE:
        return gettext("Check due %(due)s")
    return gettext("Next check %(due)s (in %(time)s)")


def check_text(status: str, *, due: str, seconds_left: int = 0, late_minutes: int = 0) -> str:
    """The check clock: "Next check 12:05 (in 3:00)", "Check due 12:05", "⚠ Check overdue by 3 min"."""
    return _check(status) % {"due": due, "time": clock(seconds_left), "minutes": late_minutes}


def board_labels() -> dict[str, str]:
    """The texts the browser ticks a board with, by name, "{time}", "{due}" and "{minutes}" where the values go.

    The names are those of the board's ``data-label-*`` attributes that static/js/timers.js reads.
    """
    marks = {"time": "{time}", "due": "{due}", "minutes": "{minutes}"}
    return {
        "left": _countdown("left", past=False) % marks,
        "left-past": _countdown("left", past=True) % marks,
        "minimum": _countdown("minimum", past=False) % marks,
        "minimum-past": _countdown("minimum", past=True),
        "check-ok": _check(CheckStatus.OK) % marks,
        "check-due": _check(CheckStatus.DUE) % marks,
        "check-overdue": _check(CheckStatus.OVERDUE) % marks,
    }


# Closing, on every station: the time left is ticked by the browser from the same text, "{minutes}" where
# the minutes go (static/js/timers.js, ``[data-closing]``).


def closing_left_text(closes: str, minutes: int | str) -> str:
    """The time left: "Closing at 21:30 — 24 min left"."""
    return gettext("Closing at %(time)s — %(minutes)s min left") % {"time": closes, "minutes": minutes}


def admission_closed_text(last_admission: str) -> str:
    """After last admission: "Last admission was 21:00; check-in is closed"."""
    return gettext("Last admission was %(time)s; check-in is closed") % {"time": last_admission}


def closed_text(closes: str) -> str:
    """After closing: "Closed at 21:30"."""
    return gettext("Closed at %(time)s") % {"time": closes}

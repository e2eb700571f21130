"""What the floor, injection and observation pages share: the board, and the answer to an action.

An action posted from a board (with htmx) is answered with its message, shown above the board, and
the board refreshes itself; without htmx, with a redirect to the page and the message in the session.
A board's poll is answered with "no change" (204) while the floor is as the board last showed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from staff.fieldclasses import FieldClass, may_read
from staff.navigation import STATION_BY_SLUG
from staff.requests import StaffRequest
from visits.board_poll import poll_token, shown_version
from visits.selectors.floor import FloorBoard, floor_board, floor_version


@dataclass(frozen=True)
class Panel:
    slug: str
    page_template: str
    board_template: str
    board_url_name: str

    @property
    def station(self):
        return STATION_BY_SLUG[self.slug]


PANELS = {
    "floor": Panel("floor", "visits/floor.html", "visits/partials/_floor_board.html", "visits:floor-board"),
    "injection": Panel(
        "injection", "visits/injection.html", "visits/partials/_injection_board.html", "visits:injection-board"
    ),
    "observation": Panel(
        "observation", "visits/observation.html", "visits/partials/_observation_board.html", "visits:observation-board"
    ),
}


# The cards each panel draws; with clinical detail, each card shows a client's health data.
CARDS_DRAWN = {"floor": ("booths", "observations"), "injection": ("booths",), "observation": ("observations",)}
# A board draws itself again at least once a minute while it is open; one entry per client in this
# time says who saw the room's clinical detail, and a row a minute would drown the client's log.
BOARD_VIEW_LOGGED_EVERY = dt.timedelta(minutes=15)


def _log_clinical_view(request: StaffRequest, panel: Panel, board: FloorBoard) -> None:
    """The substance and route, the checks and their notes on the cards: a view of each client's record."""
    drawn = CARDS_DRAWN[panel.slug]
    clients = []
    if "booths" in drawn:
        clients += [card.session.visit.client for card in board.booths if card.session is not None]
    if "observations" in drawn:
        clients += [card.visit.client for card in board.observations]
    access_log_record_many(
        request=request,
        clients=clients,
        kind=AccessLogEntry.Kind.ROOM_BOARD,
        unless_logged_within=BOARD_VIEW_LOGGED_EVERY,
    )


def _context(request: StaffRequest, panel: Panel, *, version: str = "") -> dict:
    user = request.user
    closer = user.has_perm("visits.close_visit_after_hours")
    version = version or floor_version()  # before the data: see floor_version
    board = floor_board(now=timezone.now(), with_left_open=closer and panel.slug == "floor")
    # What was used and how, and the checks' details, are health data: clinical staff only.
    # Everyone on the floor sees the timers and a flagged check.
    clinical = may_read(user, FieldClass.CLINICAL)
    if clinical:
        _log_clinical_view(request, panel, board)
    return {
        "active_station": panel.slug,
        "panel": panel.slug,
        "board_version": poll_token(request, version),
        "board": board,
        "board_url_name": panel.board_url_name,
        "page_url": panel.station.url,
        # What was brought and used and how, and the checks' details, are clinical (staff.fieldclasses).
        # Everyone on the floor sees the timers and a flagged check.
        "clinical": clinical,
        # Asked once for the emergency button on every person's row and card.
        "can_open_emergency": user.has_perm("health.add_emergency"),
    }


def render_page(request: StaffRequest, slug: str) -> HttpResponse:
    panel = PANELS[slug]
    return render(request, panel.page_template, _context(request, panel))


def render_board(request: StaffRequest, slug: str, *, version: str = "") -> HttpResponse:
    panel = PANELS[slug]
    return render(request, panel.board_template, _context(request, panel, version=version))


def poll_board(request: StaffRequest, slug: str) -> HttpResponse:
    """A board's own refresh: "no change" (204, htmx swaps nothing) when the board it shows is current.

    Most polls are answered before they get here (``visits.board_poll``); this is the whole way, with
    the user and permissions checked.
    """
    version = floor_version()
    if shown_version(request) == version:
        return HttpResponse(status=204)
    return render_board(request, slug, version=version)


def _panel_for(request: StaffRequest) -> str:
    """The board the action was posted from, if the user may see it; the floor board otherwise."""
    slug = request.POST.get("panel", "")
    if slug in PANELS and request.user.has_perm(PANELS[slug].station.permission):
        return slug
    if request.user.has_perm(PANELS["floor"].station.permission):
        return "floor"
    raise PermissionDenied


def message_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def answer(request: StaffRequest, *, notice: str = "", error: str = "") -> HttpResponse:
    """The message above the board (htmx), or a redirect back to the page with the message.

    With htmx the board then refreshes itself (static/js/timers.js): an action costs only its own
    queries, and the board's are paid once, by the refresh, whoever made the change.
    """
    slug = _panel_for(request)
    if request.htmx:
        response = render(request, "visits/partials/_board_messages.html", {"notice": notice, "error": error})
        response["HX-Retarget"] = "#board-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(PANELS[slug].station.url_name)

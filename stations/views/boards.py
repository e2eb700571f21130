"""What the floor, injection and observation pages share: the board, drawn whole or polled.

A board's poll is answered with "no change" (204) while the floor is as the board last showed it. An
action posted from a board is answered by ``visits.board_actions.answer``.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from staff.fieldclasses import FieldClass, may_read
from staff.requests import StaffRequest
from stations.assign_question import assign_question_from_query
from stations.selectors.floor import FloorBoard, floor_board
from visits.board_actions import PANELS, Panel, question_context
from visits.board_poll import poll_token, shown_version
from visits.selectors.floor import floor_version

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
    context = _context(request, panel)
    if "assign" in request.GET:  # sent back here by a booth assignment that asks to be confirmed (no htmx)
        question = assign_question_from_query(request)
        context["confirm"] = question_context(slug, question) if question else None
    return render(request, panel.page_template, context)


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

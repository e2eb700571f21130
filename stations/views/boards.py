"""What the floor, injection and observation pages share: the board, drawn whole or polled.

A board's poll is answered with "no change" (204) while the floor is as the board last showed it, and
otherwise with the board as drawn once for this version and what this person may see
(``stations.board_cache``). An action posted from a board is answered by ``visits.board_actions.answer``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import cast

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AccessLogEntry
from audit.services import access_log_record_many
from staff.fieldclasses import FieldClass, may_read
from staff.requests import DisplayRequest, StaffRequest
from stations.assign_question import assign_question_from_query
from stations.board_cache import Drawn, board_key, drawn_once
from stations.selectors.floor import FloorBoard, floor_board
from visits.board_actions import PANELS, Panel, question_context
from visits.board_poll import TOKEN_HEADER, poll_token, shown_version
from visits.models import Client
from visits.selectors.floor import floor_version, page_floor_version
from visits.templatetags.room_timers import iso

# The cards each panel draws; with clinical detail, each card shows a client's health data.
CARDS_DRAWN = {"floor": ("booths", "observations"), "injection": ("booths",), "observation": ("observations",)}
# A board draws itself again at least once a minute while it is open; one entry per client in this
# time says who saw the room's clinical detail, and a row a minute would drown the client's log.
BOARD_VIEW_LOGGED_EVERY = dt.timedelta(minutes=15)


def _clients_shown(panel: Panel, board: FloorBoard) -> tuple[int, ...]:
    """The clients whose substance and route, checks and their notes the panel's cards show."""
    drawn = CARDS_DRAWN[panel.slug]
    clients = []
    if "booths" in drawn:
        clients += [card.session.visit.client_id for card in board.booths if card.session is not None]
    if "observations" in drawn:
        clients += [card.visit.client_id for card in board.observations]
    return tuple(clients)


def _log_clinical_view(request: StaffRequest, clients: tuple[int, ...]) -> None:
    """The clinical detail on the cards: a view of each client's record, by whoever is shown it."""
    access_log_record_many(
        request=request,
        clients=[Client(pk=pk) for pk in clients],
        kind=AccessLogEntry.Kind.ROOM_BOARD,
        unless_logged_within=BOARD_VIEW_LOGGED_EVERY,
    )


def _context(request: StaffRequest, panel: Panel, *, version: str = "") -> dict:
    user = request.user
    closer = user.has_perm("visits.close_visit_after_hours")
    # Before the data (see floor_version); a page drawn whole has it from the facility row it reads first.
    version = version or page_floor_version()
    board = floor_board(now=timezone.now(), with_left_open=closer and panel.slug == "floor")
    return {
        "active_station": panel.slug,
        "panel": panel.slug,
        "board_version": poll_token(request, version),
        "board": board,
        "board_url_name": panel.board_url_name,
        "page_url": panel.station.url,
        # What was brought and used and how, and the checks' details, are clinical (staff.fieldclasses).
        # Everyone on the floor sees the timers and a flagged check.
        "clinical": may_read(user, FieldClass.CLINICAL),
        # Asked once for the emergency button on every person's row and card.
        "can_open_emergency": user.has_perm("health.add_emergency"),
    }


def render_page(request: StaffRequest, slug: str) -> HttpResponse:
    panel = PANELS[slug]
    context = _context(request, panel)
    if context["clinical"]:
        _log_clinical_view(request, _clients_shown(panel, context["board"]))
    if "assign" in request.GET:  # sent back here by a booth assignment that asks to be confirmed (no htmx)
        question = assign_question_from_query(request)
        context["confirm"] = question_context(slug, question) if question else None
    return render(request, panel.page_template, context)


# A board's template, its context read now, and the clients whose clinical detail it shows.
Drawing = Callable[[], tuple[str, dict, tuple[int, ...]]]


def shared_board(
    request: StaffRequest | DisplayRequest, *, slug: str, version: str, clinical: bool, draw: Drawing
) -> HttpResponse:
    """The board for ``version`` as drawn once for everyone who may see what this person may see.

    ``draw()`` gives the board's template and context, read now; the answer's headers carry what is
    this person's (the token of the next poll, for this session) and this moment's (the server's clock,
    which the browser's timers sync with: the bytes may have been drawn earlier in the minute).
    """
    permissions = frozenset(request.user.get_all_permissions()) if request.user.is_authenticated else frozenset()
    key = board_key(slug=slug, version=version, clinical=clinical, permissions=permissions)

    def drawing() -> Drawn:
        template, context, clients = draw()
        # Nothing of this person's in the bytes: the forms go without the CSRF token (htmx sends it in a
        # header: {% form_token %}), and the poll token is sent below.
        context = {**context, "board_version": "", "shared": True}
        return Drawn(html=render_to_string(template, context, request), clients=clients)

    drawn, _ = drawn_once(key, drawing)
    if clinical and drawn.clients:  # only staff read clinical detail; a display never does
        _log_clinical_view(cast(StaffRequest, request), drawn.clients)
    response = HttpResponse(drawn.html)
    response[TOKEN_HEADER] = poll_token(request, version)
    response["X-Server-Now"] = iso(timezone.now())
    return response


def poll_board(request: StaffRequest, slug: str) -> HttpResponse:
    """A board's own refresh: "no change" (204, htmx swaps nothing) when the board it shows is current.

    Most polls are answered before they get here (``visits.board_poll``); this is the whole way, with
    the user and permissions checked.
    """
    version = floor_version()
    if shown_version(request) == version:
        return HttpResponse(status=204)
    panel = PANELS[slug]

    def draw() -> tuple[str, dict, tuple[int, ...]]:
        context = _context(request, panel, version=version)
        return panel.board_template, context, _clients_shown(panel, context["board"])

    clinical = may_read(request.user, FieldClass.CLINICAL)
    return shared_board(request, slug=slug, version=version, clinical=clinical, draw=draw)

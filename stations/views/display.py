"""The floor board on a wall display: read-only, no staff login, refreshed like every board.

Who the display is and whether it may show anything is ``staff.displays.display_required``'s business;
here it is drawn with ``read_only`` (no forms, no buttons) and without clinical detail (no substance,
route or checks' notes, no recent-overdose flags): codes, places, timers and status.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from staff.displays import display_required
from staff.requests import DisplayRequest
from stations.selectors.floor import floor_board
from stations.views.boards import shared_board
from visits.board_poll import poll_token, shown_version
from visits.selectors.floor import floor_version


def _context(request: DisplayRequest, *, version: str = "") -> dict:
    version = version or floor_version()  # before the data: see floor_version
    return {
        "panel": "display",
        "read_only": True,
        "clinical": False,
        "display": request.display,
        "board_version": poll_token(request, version),
        "board": floor_board(now=timezone.now(), clinical=False),
        "board_url_name": "visits:display-board",
    }


@require_GET
@display_required
def display(request: DisplayRequest) -> HttpResponse:
    return render(request, "visits/display.html", _context(request))


@require_GET
@display_required
def display_board(request: DisplayRequest) -> HttpResponse:
    """The display's poll, the whole way (most are answered "no change" by ``visits.board_poll``)."""
    version = floor_version()
    if shown_version(request) == version:
        return HttpResponse(status=204)

    def draw() -> tuple[str, dict, tuple[int, ...]]:
        return "visits/partials/_floor_board.html", _context(request, version=version), ()

    return shared_board(request, slug="display", version=version, clinical=False, draw=draw)

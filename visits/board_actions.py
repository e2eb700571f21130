"""The answer to an action posted from a board: the floor's, the injection room's or the observation room's.

An action posted from a board (with htmx) is answered with its message, shown above the board, and
the board refreshes itself; without htmx, with a redirect to the page and the message in the session.
The station pages draw the boards (``stations.views.boards``); the health room's emergency buttons on
them are answered the same way, so the panels and the answer live here, below both.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from staff.navigation import STATION_BY_SLUG
from staff.requests import StaffRequest


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


def answer(request: StaffRequest, *, notice: str = "", error: str = "", focus: str = "") -> HttpResponse:
    """The message above the board (htmx), or a redirect back to the page with the message.

    With htmx the board then refreshes itself (static/js/timers.js): an action costs only its own
    queries, and the board's are paid once, by the refresh, whoever made the change. ``focus`` is the
    id of the heading of the card where the next action is (a booth's: "booth-<pk>"); static/js/keys.js
    moves the focus there once the refreshed board is shown. An error takes the focus itself.
    """
    slug = _panel_for(request)
    if request.htmx:
        context = {"notice": notice, "error": error, "focus": focus}
        response = render(request, "visits/partials/_board_messages.html", context)
        response["HX-Retarget"] = "#board-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    return redirect(PANELS[slug].station.url_name)


def question_context(slug: str, confirm: dict) -> dict:
    """The question with the board it is asked on (its "Cancel" goes back to the page)."""
    return {**confirm, "panel": slug, "page_url": PANELS[slug].station.url}


def ask(request: StaffRequest, *, confirm: dict, query: dict[str, str]) -> HttpResponse:
    """A question instead of the action: "Assign anyway?" above the board (htmx), or, without htmx, a
    redirect to the page with ``query``, from which the page asks it again (``confirm``: what the
    question template, visits/partials/_assign_confirm.html, shows and sends back).

    The question is drawn only in this answer, never on the board's cards.
    """
    slug = _panel_for(request)
    if request.htmx:
        response = render(request, "visits/partials/_board_messages.html", {"confirm": question_context(slug, confirm)})
        response["HX-Retarget"] = "#board-messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return redirect(f"{reverse(PANELS[slug].station.url_name)}?{urlencode(query)}")

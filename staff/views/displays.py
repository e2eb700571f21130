"""A wall display's secret link: checked, kept in a cookie, and the screen sent on to the board."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from staff.displays import denied, display_for_token, refusal, set_display_cookie


@require_GET
@login_not_required
def display_enter(request: HttpRequest, token: str) -> HttpResponse:
    """Keep the token in a cookie and show the board at ``/display/``, so the link leaves the address bar."""
    reason = refusal(request, display_for_token(token))
    if reason:
        return denied(request, reason)
    response = redirect("visits:display")
    set_display_cookie(response, token)
    return response

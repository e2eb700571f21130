from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.http import safe_next_url
from staff import services
from staff.forms import LanguageForm, LoginForm
from staff.navigation import landing_station_for


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The login page again, saying the username is locked here, or everywhere, for a while (django-axes calls this)."""
    form = LoginForm(request, initial={"username": (credentials or {}).get("username", "")})
    context = {
        "form": form,
        "locked_out": True,
        # Locked at every computer (staff.lockout), not only at this one.
        "locked_everywhere": getattr(request, "axes_username_locked", False),
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "staff/login.html", context, status=429)


@require_POST
def switch_user(request: HttpRequest) -> HttpResponse:
    """End the current user's session completely and show the login form for the next person."""
    logout(request)  # flushes the session: nothing of the previous user stays in it
    return redirect(reverse("staff:login") + "?switched=1")


@require_POST
def idle_ping(request: HttpRequest) -> HttpResponse:
    """The "Stay logged in" button: a request a person made, so the idle timeout starts again."""
    return JsonResponse({"idle_timeout_seconds": settings.IDLE_TIMEOUT_MINUTES * 60})


def landing(request: HttpRequest) -> HttpResponse:
    """Send a staff member to the station their role works at."""
    station = landing_station_for(request.user)
    if station is None:
        return render(request, "staff/no_role.html", status=403)
    return redirect(station.url)


def _safe_next(request: HttpRequest, target: str | None) -> str:
    return safe_next_url(request, target) or "/"


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language: kept on the profile when logged in, in a cookie before."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(_safe_next(request, None))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response = redirect(_safe_next(request, form.cleaned_data["next"]))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response

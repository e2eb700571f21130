from __future__ import annotations

from django.conf import settings
from django.utils import translation


class StaffLanguageMiddleware:
    """Speak the logged-in staff member's language; before login, the language cookie or bokmål.

    The browser's Accept-Language is ignored on purpose: shared station computers are set up in
    any language, and the facility's working language is Norwegian.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.supported:
            language = user.language
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, settings.LANGUAGE_CODE)
            if language not in self.supported:
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response

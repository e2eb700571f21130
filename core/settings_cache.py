"""Settings read once per change of them: a memo per request, and values kept per process under a version.

What administrators configure changes rarely and is read on every page. A request marked by
``RequestMemoMiddleware`` keeps what it read once (``request_memo``); a ``VersionedCache`` keeps values
for every request of the process while the version they were read under is the current one (the app
that owns the settings says which version that is, and replaces it on every change).

Outside a request (a command, a test calling a selector) there is no memo, and the owner reads the
database every time, so a bulk write that sends no signal never leaves a stale value there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_request: ContextVar[dict | None] = ContextVar("request_memo", default=None)
_UNREAD = object()


def request_memo() -> dict | None:
    """The current request's memo (a dict to keep what it read once in); None outside a request."""
    return _request.get()


class RequestMemoMiddleware:
    """Marks a request, so that what it reads once is kept for it, and kept settings come from memory."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set({})
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


class VersionedCache:
    """Values shared by the requests of this process, each read once per version of the settings.

    What ``get`` returns is shared between requests: callers must not change it.
    """

    def __init__(self) -> None:
        self._version: Any = None
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, version: Any, key: Hashable, read: Callable[[], T]) -> T:
        """The value kept under ``key`` for ``version``; ``read()`` (kept for next time) when there is none."""
        with self._lock:
            if self._version != version:
                self._version, self._values = version, {}
            value = self._values.get(key, _UNREAD)
        if value is _UNREAD:
            value = read()
            with self._lock:
                if self._version == version:
                    self._values[key] = value
        kept_value: T = value
        return kept_value

    def clear(self) -> None:
        """Forget what is kept (a test's rolled-back database may give a version back to other data)."""
        with self._lock:
            self._version, self._values = None, {}

"""Settings read once per change: a memo per request, and values kept per process under a version."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory

from core.settings_cache import RequestMemoMiddleware, VersionedCache, request_memo


def _counting(values):
    calls = []

    def read():
        calls.append(1)
        return values[len(calls) - 1]

    return read, calls


def test_it_reads_once_per_version_and_keeps_the_value_for_the_next_caller():
    cache = VersionedCache()
    read, calls = _counting(["first", "second"])
    assert cache.get("v1", "routes", read) == "first"
    assert cache.get("v1", "routes", read) == "first"
    assert len(calls) == 1


def test_it_reads_again_when_the_version_changes():
    cache = VersionedCache()
    read, calls = _counting(["first", "second"])
    cache.get("v1", "routes", read)
    assert cache.get("v2", "routes", read) == "second"
    assert len(calls) == 2


def test_it_keeps_each_key_apart():
    cache = VersionedCache()
    assert cache.get("v1", "routes", lambda: ("injection",)) == ("injection",)
    assert cache.get("v1", ("booths", ("injection",)), lambda: (1, 2)) == (1, 2)
    assert cache.get("v1", "routes", lambda: ("other",)) == ("injection",)


def test_it_has_no_memo_outside_a_request():
    assert request_memo() is None


def test_it_gives_each_request_a_memo_of_its_own_and_drops_it_after():
    seen = []

    def view(request):
        memo = request_memo()
        memo["facility"] = len(seen)
        seen.append(dict(memo))
        return HttpResponse()

    middleware = RequestMemoMiddleware(view)
    middleware(RequestFactory().get("/"))
    middleware(RequestFactory().get("/"))
    assert seen == [{"facility": 0}, {"facility": 1}]
    assert request_memo() is None

"""Where a form may send staff back to after it is done, and which computer a request came from."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    """``candidate`` when it is a path on this site, else "" (never another site, never a bare word)."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return ""


def client_ip(request: HttpRequest) -> str | None:
    """The address of the computer that sent ``request``, for locking out failed logins at one station.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies, each appends to X-Forwarded-For the address it was
    reached from, so the station's address is that many places from the right. Whatever stands further
    left was written by the sender and could be forged; a header that is too short or not an address
    means the request did not come through the proxies, and the connection's own address counts.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote

"""View guards: a page is open to the staff whose roles grant one of its permissions; others get 403."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied

from staff.navigation import STATION_BY_SLUG


def permission_required(*perms: str):
    """Allow the view to users holding any of the given permissions."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(request.user.has_perm(perm) for perm in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def station_required(*slugs: str):
    """Allow the view to users who may work at any of the given stations."""
    return permission_required(*(STATION_BY_SLUG[slug].permission for slug in slugs))

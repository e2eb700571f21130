from __future__ import annotations

from staff.navigation import stations_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_stations": []}
    return {"nav_stations": stations_for(user)}

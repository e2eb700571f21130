"""The facility's settings, read once per change of them rather than on every request.

Every page names the facility; the boards and forms list the booths, routes, substances and equipment;
check-in and the boards need today's opening hours; the floor compares staffing with its minimums.
These change only when an administrator changes them. Each process keeps what it read under the
facility row's ``settings_version``, a random token that every save or delete of a setting replaces
(``visits.signals``). A request reads the facility row once (it needs it for the header anyway) and
takes the rest from memory while the token is the one it was read under.

Only requests use the kept values (``core.settings_cache.RequestMemoMiddleware`` marks them): a command
or a test that calls a selector directly always reads the database, so a bulk write that sends no
signal can never leave them stale there. The memo and the per-process cache are ``core.settings_cache``;
what is kept, and the version it is kept under, are the facility's, here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Subquery

from core.settings_cache import VersionedCache, request_memo
from visits.models import Facility, FloorState
from visits.models.facility import new_settings_version

T = TypeVar("T")

_kept = VersionedCache()


def settings_changed() -> None:
    """Tell every process that the settings changed (they read them again on their next request)."""
    Facility.objects.filter(pk=1).update(settings_version=new_settings_version())


_read_along: dict[str, Callable[[], Any]] = {}


def read_with_facility(name: str, expression: Callable[[], Any]) -> None:
    """Have every request's facility row carry one more value, ``expression()`` annotated as ``name``.

    For what an app above this one asks on every page: the health app asks whether any emergency is
    open, so that a page's alarm banner reads the emergencies only when one is (``health.apps``).
    """
    _read_along[name] = expression


def _read_facility() -> Facility | None:
    # The floor's change counter rides along in the same query (``floor_counter``): every page's alarm
    # banner polls with the version it shows, and gets it here without a query of its own
    # (``visits.selectors.floor.page_floor_version``).
    counter = FloorState.objects.filter(pk=1).values("version")[:1]
    along = {name: expression() for name, expression in _read_along.items()}
    return Facility.objects.filter(pk=1).annotate(floor_counter=Subquery(counter), **along).first()


def current_facility() -> Facility | None:
    """The facility row, read once per request."""
    memo = request_memo()
    if memo is None:
        return _read_facility()
    if "facility" not in memo:
        memo["facility"] = _read_facility()
    facility: Facility | None = memo["facility"]
    return facility


def kept(key: Any, read: Callable[[], T]) -> T:
    """``read()``, done once per change of the settings in this process (during a request), else every time.

    What it returns is shared between requests: callers must not change it.
    """
    if request_memo() is None:
        return read()
    facility = current_facility()
    if facility is None:
        return read()
    return _kept.get(facility.settings_version, key, read)


# The settings themselves --------------------------------------------------------------------------


def enabled_routes() -> tuple:
    from visits.models import Route

    return kept("routes", lambda: tuple(Route.objects.filter(enabled=True)))


def enabled_substances() -> tuple:
    from visits.models import Substance

    return kept("substances", lambda: tuple(Substance.objects.filter(enabled=True)))


def all_substances() -> tuple:
    """Every substance, allowed or not, in the usual order (the card's forms name a disallowed one too)."""
    from visits.models import Substance

    return kept("all_substances", lambda: tuple(Substance.objects.all()))


def enabled_equipment() -> tuple:
    from visits.models import EquipmentItem

    return kept("equipment", lambda: tuple(EquipmentItem.objects.filter(enabled=True)))


def active_booths() -> tuple:
    """Every booth marked in use, whatever its room (a form's choices; the service checks the room)."""
    from visits.models import Booth

    return kept("active_booths", lambda: tuple(Booth.objects.filter(active=True)))


def booths_in_use(kinds: tuple[str, ...]) -> tuple:
    """The booths in use, in the rooms of those kinds that are in use, with their rooms."""
    from visits.models import Booth

    booths = Booth.objects.filter(active=True, room__active=True, room__kind__in=kinds).select_related("room")
    return kept(("booths", kinds), lambda: tuple(booths))


def room_capacities() -> dict[str, int]:
    """The capacity of each room in use, by kind (the boards show the waiting and observation rooms' against
    who is there)."""
    from visits.models import Room

    return kept("room_capacities", lambda: dict(Room.objects.filter(active=True).values_list("kind", "capacity")))

"""What the boards show, in one word: a board's poll compares it with the word the board was drawn with.

The boards themselves are drawn by the cross-station pages (``stations.selectors.floor``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connection
from django.utils.translation import get_language

from core.settings_cache import VersionedCache, request_memo
from visits.selectors.settings import current_facility

T = TypeVar("T")

_VERSION_SQL = (
    "SELECT (SELECT version FROM visits_floorstate WHERE id = 1),"
    " (SELECT settings_version FROM visits_facility WHERE id = 1)"
)


def floor_version(language: str | None = None) -> str:
    """What the boards show, as of now, in one word: equal words mean an equal board.

    The floor's change counter (raised by the database on every change to a live table), the
    settings' token (booths, routes, hours...), the minute and the language: so a board is redrawn
    at least once a minute, for what the clock alone changes (who is on duty, a visit left open past
    midnight). One plain query: a board's poll asks it every few seconds. Read before the board's
    data, so that a change committed in between makes the next poll draw the board again.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        counter, settings = cursor.fetchone()
    return _version_word(counter, settings, language)


def page_floor_version(language: str | None = None) -> str:
    """``floor_version``, from the facility row the request reads anyway: no query of its own.

    For a page drawn whole (the alarm banner on every page): the counter was read with the facility,
    before anything the page shows, so a change committed since makes the next poll draw it again.
    """
    facility = current_facility()
    if facility is None or not hasattr(facility, "floor_counter"):
        return floor_version(language)
    return _version_word(facility.floor_counter, facility.settings_version, language)


# What the floor shows read once per floor version in this process (``kept_on_floor``).
floor_kept = VersionedCache()


def kept_on_floor(key: Any, read: Callable[[], T]) -> T:
    """``read()``, done once per floor version in this process (during a request), else every time.

    For what is a function of the live tables alone (the open emergencies and who answered, the stock
    levels): the facility row the request reads carries the floor's counter and the settings' token
    (``page_floor_version``), and a change to a live table raises the counter in the same transaction, so
    the next request reads again. The minute is in the key too, as in the boards' version: what a live
    row names but does not own (a responder's name, a client's code) is never more than a minute old.
    Read after the counter, a kept value is never older than its key.

    What it returns is shared between requests: callers must not change it.
    """
    if request_memo() is None:
        return read()
    facility = current_facility()
    counter = getattr(facility, "floor_counter", None)
    if facility is None or counter is None:
        return read()
    return floor_kept.get((counter, facility.settings_version, int(time.time() // 60)), key, read)


def _version_word(counter: int | None, settings: str | None, language: str | None) -> str:
    return f"{counter or 0}.{(settings or '-')[:8]}.{int(time.time() // 60)}.{language or get_language() or ''}"

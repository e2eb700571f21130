"""What the boards show, in one word: a board's poll compares it with the word the board was drawn with.

The boards themselves are drawn by the cross-station pages (``stations.selectors.floor``).
"""

from __future__ import annotations

import time

from django.db import connection
from django.utils.translation import get_language

from visits.selectors.settings import current_facility

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


def _version_word(counter: int | None, settings: str | None, language: str | None) -> str:
    return f"{counter or 0}.{(settings or '-')[:8]}.{int(time.time() // 60)}.{language or get_language() or ''}"

"""A board drawn once per floor version and variant, and the same bytes served to every board that asks.

Every open board polls every few seconds. After a change each of them asks for the board again, and
without this each would be drawn for its own user: the same queries and the same template, once per
open board. Here the first poll after a change draws it and keeps it in Django's cache; every other
poll that asks for the same variant is answered with those bytes.

The key holds everything the drawing depends on:

- the floor version (``visits.selectors.floor.floor_version``): the counter the database raises with
  every change to a live table, the settings' token, the minute and the language. A change gives a
  new version and so a new key; nothing is ever deleted from the cache, an entry is only no longer
  asked for (it leaves when its time is up, ``KEPT_FOR``). The minute covers what the clock alone
  changes (the day, who is on duty, the closing banner's state, a check falling overdue, the timers'
  texts, which the browser ticks on from the timestamps anyway);
- the board (floor, injection, observation, the wall display's);
- what of the board the person may see: whether they read clinical detail, and a digest of their
  permissions (the forms and buttons drawn; the visits left open past midnight for those who may close
  them).

Nothing per person is in the bytes: no CSRF token (htmx sends it in a header, from ``hx-headers`` on
the page's body; the page drawn whole keeps it in each form, for a browser without JavaScript:
``{% form_token %}``), no poll token and no "now" (both in headers of the answer: ``stations.views.boards``).

Drawn from the data read after the version (``floor_version`` is read first), an entry is never older
than its key: a change committed meanwhile only makes it newer, and the next poll draws the board again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

# Longer than the minute a key can be asked for; what is left after that is never asked for again.
KEPT_FOR = 120


@dataclass(frozen=True)
class Drawn:
    """A board as drawn once: its HTML, and the clients whose clinical detail it shows (logged per viewer)."""

    html: str
    clients: tuple[int, ...] = ()


def board_key(*, slug: str, version: str, clinical: bool, permissions: frozenset[str]) -> str:
    digest = hashlib.sha256("\n".join(sorted(permissions)).encode()).hexdigest()[:16]
    return f"board:{slug}:{version}:{int(clinical)}:{digest}"


def drawn_once(key: str, draw: Callable[[], Drawn]) -> tuple[Drawn, bool]:
    """The board kept under ``key``, or ``draw()`` kept there; and whether it was drawn now."""
    kept = cache.get(key)
    if isinstance(kept, Drawn):
        return kept, False
    drawn = draw()
    cache.set(key, drawn, KEPT_FOR)
    return drawn, True

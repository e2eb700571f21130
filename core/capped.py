"""A list a page shows only the first rows of, with how many there are in all, read in one query.

A station page lists what grows with a busy site's volume (follow-ups due, clients waiting, the week's
sessions): drawing every row makes the page cost more the busier the site. The page shows the first
``limit`` rows and says how many more there are; the rows and the total come from one query, the total
as a window count over the whole filtered set (``COUNT(*) OVER ()``), which the database computes
before the ``LIMIT``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Count, Model, QuerySet, Window

M = TypeVar("M", bound=Model)

# The annotation's name, unlikely to meet a field's.
_TOTAL = "capped_total"


@dataclass
class Capped(Generic[M]):
    """The first rows of a list, and how many rows the whole list has."""

    rows: list[M]
    total: int

    @property
    def more(self) -> int:
        """How many rows of the list are not shown."""
        return self.total - len(self.rows)

    def __iter__(self) -> Iterator[M]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)


def capped(queryset: QuerySet[M], limit: int) -> Capped[M]:
    """The queryset's first ``limit`` rows, in its order, and its number of rows: one query (plus any
    ``prefetch_related`` lookups for the rows shown)."""
    rows = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[:limit])
    # No row: the list is empty (a limit of at least one would have fetched a row of a non-empty list).
    total = getattr(rows[0], _TOTAL) if rows else 0
    return Capped(rows=rows, total=total)

"""An aggregate both databases the app runs on write differently."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField


class JoinedIds(Aggregate):
    """The group's ids as one text, comma-separated ("3,12,7"), in no particular order; NULL for no row.

    For the ids of a many-to-many relation read within the rows' own query, where the related rows
    themselves are kept in memory (a setting): ``counseling.selectors.sessions``.
    """

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS text), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, ',')",
            **extra_context,
        )


def split_ids(joined: str | None) -> list[int]:
    """The ids ``JoinedIds`` read."""
    return [int(part) for part in joined.split(",")] if joined else []

"""Fetching a source's rows as JSON: one object per row, with a row's parts (a visit's rooms and timers,
a session's topics) as nested lists, so that one query brings every source's items with all they show.
Works on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, cast

from django.db import models
from django.db.models import Aggregate, F, Func, JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from core.translated import TranslatedName
from stations.selectors.timeline.items import Row

_KEY = re.compile(r"[a-z][a-z_]*")


class _Object(Func):
    """A JSON object of the given values, keyed by their names.

    Django's ``JSONObject`` casts each key to text on PostgreSQL, which costs more to build than the rest of
    the page's query; the keys here are the timeline's own identifiers, so they go into the SQL as they are.
    """

    output_field = JSONField()

    def __init__(self, **values: Any) -> None:
        for key in values:
            if not _KEY.fullmatch(key):
                raise ValueError(f"not a plain key: {key!r}")
        self.keys = tuple(values)
        super().__init__(*values.values())

    # Its own SQL: no function or template to take.
    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        pairs, params = [], []
        for key, expression in zip(self.keys, self.get_source_expressions(), strict=True):
            sql, expression_params = compiler.compile(expression)
            pairs.append(f"'{key}', {sql}")
            params.extend(expression_params)
        function = "JSON_OBJECT" if connection.vendor == "sqlite" else "JSONB_BUILD_OBJECT"
        return f"{function}({', '.join(pairs)})", params


class _JSONList(Aggregate):
    """The rows' values as one JSON list."""

    function = "JSONB_AGG"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


class _Nested(Func):
    """JSON placed inside a JSON object as JSON: SQLite would otherwise take a column's or subquery's as text."""

    template = "%(expressions)s"
    output_field = JSONField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, template="JSON(%(expressions)s)", **extra_context)


def _own(*names: str) -> dict[str, F | Func]:
    """The row's own fields, under their names."""
    return {name: F(name) for name in names}


def _person(path: str) -> _Object:
    return _Object(first=F(f"{path}__first_name"), last=F(f"{path}__last_name"), username=F(f"{path}__username"))


def _name(path: str) -> _Object:
    """A ``TranslatedName``'s names, both languages."""
    return _Object(name=F(f"{path}__name"), name_en=F(f"{path}__name_en"))


def _parts(queryset: QuerySet, parent: str, **values: Any) -> _Nested:
    """The rows of ``queryset`` that belong to the outer row, as a JSON list (null when there are none)."""
    rows = (
        queryset.filter(**{parent: OuterRef("pk")})
        .order_by()
        .values(parent)
        .annotate(rows=_JSONList(_Object(pk=F("pk"), **values)))
        .values("rows")
    )
    return _Nested(Subquery(rows))


def _when(value: str | None) -> dt.datetime | None:
    """A timestamp as JSON has it: ISO with offset from PostgreSQL, naive UTC text from SQLite."""
    if value is None:
        return None
    moment = parse_datetime(value)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


class _Fetched(SimpleNamespace):
    """A row's fetched values, decoded for Python, with its model's choice labels.

    Lighter than an unsaved model instance, which would cost more to build than the rest of the item.
    """

    def __init__(self, model: type[models.Model], row: Row | None):
        decoders = _decoders(model)
        super().__init__(**{name: decoders.get(name, _same)(value) for name, value in (row or {}).items()})
        self._model = model

    def display(self, name: str) -> str:
        """The label of a choice field's value, as ``get_<name>_display()`` gives it."""
        value = getattr(self, name)
        return str(_choices(self._model, name).get(value, value))


def _same(value: Any) -> Any:
    return value


def _day(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _boolean(value: Any) -> bool | None:
    return None if value is None else bool(value)  # SQLite's JSON has 0 and 1


@functools.cache
def _decoders(model: type[models.Model]) -> dict[str, Callable[[Any], Any]]:
    decoders: dict[str, Callable[[Any], Any]] = {}
    for model_field in model._meta.concrete_fields:
        if isinstance(model_field, models.DateTimeField):
            decoders[model_field.name] = _when
        elif isinstance(model_field, models.DateField):
            decoders[model_field.name] = _day
        elif isinstance(model_field, models.DecimalField):
            decoders[model_field.name] = _decimal
        elif isinstance(model_field, models.BooleanField):
            decoders[model_field.name] = _boolean
    return decoders


@functools.cache
def _choices(model: type[models.Model], name: str) -> dict:
    return dict(cast(models.Field, model._meta.get_field(name)).flatchoices)


def _record(model: type[models.Model], row: Row | None) -> _Fetched:
    return _Fetched(model, row)


def _label(names: Row | None) -> str:
    """A ``TranslatedName`` (substance, route, service, topic) in the viewer's language; empty when there is none."""
    if not names or names.get("name") is None:
        return ""
    # The property's getter, on a plain row.
    label: str = TranslatedName.label.fget(SimpleNamespace(**names))  # type: ignore[attr-defined]
    return label


def _sorted_parts(row: Row, key: str) -> list[Row]:
    return sorted(row.get(key) or [], key=lambda part: (_when(part.get("at") or part.get("started_at")), part["pk"]))

"""Rows in, tables out: PostgreSQL ``COPY`` in large batches, batched ``INSERT`` on other databases.

The generator hands over plain tuples whose times are whole seconds since the epoch (UTC), and picks
its own primary keys so that it can link rows without reading them back. Columns the generator does
not name get the model field's default, so a new field with a default needs no change here; a new
required field without one stops the generator with a message naming it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import queue
import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

UTC = dt.UTC
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def to_datetime(seconds: int | None) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, UTC)


def to_seconds(moment: dt.datetime) -> int:
    return int(moment.timestamp())


_day_text: dict[int, str] = {}


def _timestamp_text(seconds: int) -> str:
    days, rest = divmod(seconds, 86400)
    day = _day_text.get(days)
    if day is None:
        day = _day_text[days] = dt.date.fromordinal(_EPOCH_ORDINAL + days).isoformat()
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{day} {hours:02d}:{minutes:02d}:{secs:02d}+00"


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def _copy_converter(field: models.Field) -> Callable[[Any], str]:
    """How one column's Python value is written in COPY's text format."""
    if isinstance(field, models.DateTimeField):
        return lambda v: "\\N" if v is None else _timestamp_text(v)
    if isinstance(field, models.DateField):
        return lambda v: "\\N" if v is None else v.isoformat()
    if isinstance(field, models.BooleanField):
        return lambda v: "\\N" if v is None else ("t" if v else "f")
    if isinstance(field, models.JSONField):
        return lambda v: "\\N" if v is None else _escape(json.dumps(v))
    if isinstance(field, (models.CharField, models.TextField)):
        return lambda v: "\\N" if v is None else _escape(v)
    return lambda v: "\\N" if v is None else str(v)


def _column(field: models.Field) -> str:
    assert field.column is not None  # a concrete field has one
    return field.column


def _python_converter(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return to_datetime
    if isinstance(field, models.DecimalField):
        return lambda v: None if v is None else Decimal(str(v))
    return lambda v: v


class Table:
    """One model's pending rows, in the column order the generator gave."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], first_id: int):
        self.model = model
        self.columns = list(columns)
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [c for c in self.columns if c not in by_attname]
        if unknown:
            raise ImproperlyConfigured(f"{model.__name__} has no column {', '.join(unknown)}")
        defaults = []
        for field in model._meta.concrete_fields:
            if field.attname in self.columns:
                continue
            if field.has_default():
                value = field.get_default()
            elif field.null:
                value = None
            elif field.blank and isinstance(field, (models.CharField, models.TextField)):
                value = ""
            else:
                raise ImproperlyConfigured(
                    f"generate_history does not fill {model.__name__}.{field.name}; add it to the generator"
                )
            defaults.append((field, value))
        self.fields = [by_attname[c] for c in self.columns] + [f for f, _ in defaults]
        self.extra = tuple(value for _, value in defaults)
        self.copy_converters = [_copy_converter(f) for f in self.fields]
        self.python_converters = [_python_converter(f) for f in self.fields]
        self.rows: list[tuple] = []
        self.next_id = first_id
        self.written = 0

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def copy_text(self) -> str:
        converters = self.copy_converters
        extra = self.extra
        lines = ["\t".join([c(v) for c, v in zip(converters, row + extra, strict=True)]) for row in self.rows]
        lines.append("")
        return "\n".join(lines)

    def insert(self) -> None:
        """INSERT the rows with ``executemany``, each value prepared by its field as ``bulk_create`` would."""
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(f)) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        sql = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({marks})"
        prepare = [
            (lambda field, convert: lambda v: field.get_db_prep_save(convert(v), connection))(f, c)
            for f, c in zip(self.fields, self.python_converters, strict=True)
        ]
        extra = self.extra
        values = [[p(v) for p, v in zip(prepare, row + extra, strict=True)] for row in self.rows]
        with connection.cursor() as cursor:
            cursor.executemany(sql, values)


class Writer:
    """Buffers rows per model and writes them in dependency order (the order tables were declared).

    On PostgreSQL outside a transaction, a second thread with its own connection runs the ``COPY``s
    while this one makes the next rows; it skips the foreign-key triggers when allowed (superuser),
    since every key is chosen by the generator from rows it wrote before. Inside a transaction (a
    test), everything runs on the caller's connection with every check in place.
    """

    FLUSH_ROWS = 150_000

    def __init__(self) -> None:
        self.tables: dict[type[models.Model], Table] = {}
        self.pending = 0
        self.postgres = connection.vendor == "postgresql"
        self.copier: _Copier | None = None

    def declare(self, model: type[models.Model], columns: Sequence[str]) -> Table:
        pk = model._meta.pk.attname
        start = (model._default_manager.aggregate(m=models.Max(pk))["m"] or 0) + 1
        table = Table(model, columns, start)
        self.tables[model] = table
        return table

    def add(self, table: Table, row: tuple) -> None:
        table.rows.append(row)
        self.pending += 1

    def maybe_flush(self) -> None:
        if self.pending >= self.FLUSH_ROWS:
            self.flush()

    def begin(self) -> None:
        if self.postgres and not connection.in_atomic_block:
            self.copier = _Copier()
            self.copier.start()

    def flush(self) -> None:
        if self.copier is not None:
            self.copier.put([(self._copy_sql(t), t.copy_text()) for t in self.tables.values() if t.rows])
        else:
            with transaction.atomic():
                for table in self.tables.values():
                    if not table.rows:
                        continue
                    if self.postgres:
                        with connection.cursor() as cursor:
                            cursor.copy_expert(self._copy_sql(table), io.StringIO(table.copy_text()))
                    else:
                        table.insert()
        for table in self.tables.values():
            table.written += len(table.rows)
            table.rows = []
        self.pending = 0

    @staticmethod
    def _copy_sql(table: Table) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(f)) for f in table.fields)
        return f"COPY {quote(table.model._meta.db_table)} ({columns}) FROM STDIN"

    def finish(self) -> None:
        """Write what is left and move the id sequences past the rows written."""
        self.flush()
        self.end()
        if not self.postgres:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for table in self.tables.values():
                pk = table.model._meta.pk
                if not isinstance(pk, models.AutoField):
                    continue
                name = quote(table.model._meta.db_table)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({quote(_column(pk))}), 1), "
                    f"MAX({quote(_column(pk))}) IS NOT NULL) FROM {name}",
                    [name, pk.column],
                )

    def end(self) -> None:
        """Wait for the copying thread (if any) and raise what it raised."""
        if self.copier is not None:
            copier, self.copier = self.copier, None
            copier.close()

    def analyze(self) -> None:
        """Planner statistics and the visibility map (index-only scans), as autovacuum would leave them."""
        if not self.postgres:
            return
        quote = connection.ops.quote_name
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"  # VACUUM needs autocommit
        names = ", ".join(quote(table.model._meta.db_table) for table in self.tables.values())
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {names}")


class _Copier(threading.Thread):
    """Runs batches of COPY on its own connection, a batch per transaction, in the order given."""

    def __init__(self) -> None:
        super().__init__(name="history-copy", daemon=True)
        self.batches: queue.Queue = queue.Queue(maxsize=3)
        self.error: BaseException | None = None

    def put(self, batch: list[tuple[str, str]]) -> None:
        while True:
            if self.error is not None:
                raise RuntimeError("writing the history failed") from self.error
            try:
                self.batches.put(batch, timeout=1)
                return
            except queue.Full:
                if not self.is_alive():
                    raise RuntimeError("the history writer stopped") from self.error

    def close(self) -> None:
        if self.is_alive():
            self.put(None)  # type: ignore[arg-type]
            self.join()
        if self.error is not None:
            raise RuntimeError("writing the history failed") from self.error

    def run(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
                try:
                    with transaction.atomic():
                        cursor.execute("SET session_replication_role = replica")
                except Exception:  # not a superuser: the load runs with the triggers
                    pass
            while (batch := self.batches.get()) is not None:
                with transaction.atomic(), connection.cursor() as cursor:
                    for sql, text in batch:
                        cursor.copy_expert(sql, io.StringIO(text))
        except BaseException as error:  # handed to the generator's thread, which raises it
            self.error = error
            while True:  # drain so that the generator's put() never blocks on a dead writer
                try:
                    if self.batches.get(timeout=5) is None:
                        break
                except queue.Empty:
                    break
        finally:
            connection.close()

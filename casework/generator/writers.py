"""Bulk writers: rows as dicts of column values, written in batches with one "+" history
row each. PostgreSQL gets COPY (psycopg 3 ``cursor.copy``); other databases get
``executemany`` INSERTs. Primary keys are assigned by the generator so related rows can
be written without reading ids back.

Each writer checks at start-up that its rows plus the defaults cover every column of the
table, so a model change fails loudly here instead of writing half a record.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from operator import itemgetter

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

CASE_RECORD_DEFAULTS = {
    "version": 1,
    "entered_in_error": False,
    "entered_in_error_reason": "",
    "entered_in_error_at": None,
    "entered_in_error_by_id": None,
}
HISTORY_EXTRA = ("history_date", "history_change_reason", "history_type", "history_user_id")


def _field_default(field: models.Field):
    if field.default is not NOT_PROVIDED:
        return field.get_default()
    if field.null:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        return ""
    return NOT_PROVIDED


def _sqlite_value(kind: str):
    if kind == "date":
        return lambda v: None if v is None else v.isoformat()
    if kind == "datetime":
        memo: dict = {}

        def stamp(v):
            # Generated stamps repeat (one per date), so remember their text.
            if v is None:
                return None
            found = memo.get(v)
            if found is None:
                found = memo[v] = v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
                if len(memo) > 200_000:
                    memo.clear()
            return found

        return stamp
    if kind == "json":
        return lambda v: None if v is None else json.dumps(v)
    if kind == "bool":
        return lambda v: None if v is None else int(v)
    return lambda v: None if v is None else str(v)  # decimal


def _kind(field: models.Field) -> str | None:
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.JSONField):
        return "json"
    if isinstance(field, models.BooleanField):
        return "bool"
    if isinstance(field, models.DecimalField):
        return "decimal"
    return None


class Table:
    """One table (and its history table): buffered rows, flushed by ``Writer``."""

    def __init__(self, model, *, postgres: bool):
        self.model = model
        self.table = model._meta.db_table
        fields = model._meta.concrete_fields
        self.columns = [f.attname for f in fields]
        self.defaults = {}
        for f in fields:
            value = _field_default(f)
            if value is not NOT_PROVIDED and f.attname not in ("created_at", "updated_at"):
                self.defaults[f.attname] = value
        self.required = [c for c in self.columns if c not in self.defaults]
        self.getter = itemgetter(*self.columns)
        self.postgres = postgres
        self.convert = self._converters(fields, postgres)
        history = getattr(model, "history", None)
        self.history_table = history.model._meta.db_table if history is not None else None
        self.history_columns = [*self.columns, *HISTORY_EXTRA]
        self.rows: list[tuple] = []
        self.history_rows: list[tuple] = []
        self.count = 0
        self.last_id = 0

    def _converters(self, fields, postgres: bool):
        out = []
        for i, f in enumerate(fields):
            kind = _kind(f)
            if kind == "json":
                out.append((i, _sqlite_value("json")))
            elif kind and not postgres:
                out.append((i, _sqlite_value(kind)))
        return out

    def check(self, row: dict) -> None:
        missing = [c for c in self.required if c not in row]
        unknown = [c for c in row if c not in self.defaults and c not in self.required]
        if missing or unknown:
            raise ValueError(f"{self.table}: missing columns {missing}, unknown {unknown}")

    def values(self, row: dict) -> tuple:
        values = self.getter({**self.defaults, **row})
        if self.convert:
            values = list(values)
            for i, fn in self.convert:
                values[i] = fn(values[i])
            values = tuple(values)
        return values

    def add(self, row: dict, history_date: datetime | None, history: bool) -> None:
        values = self.values(row)
        self.rows.append(values)
        if self.history_table and history:
            self.add_history(values, history_date or row["created_at"], "+")
        self.count += 1

    def add_history(self, values: tuple, when: datetime, kind: str) -> None:
        if not self.postgres:
            when = _SQLITE_STAMP(when)
        self.history_rows.append((*values, when, None, kind, None))


_SQLITE_STAMP = _sqlite_value("datetime")


class Writer:
    """Buffers rows per table and writes them in dependency order."""

    BATCH = 20_000

    def __init__(self, models_in_order):
        self.postgres = connection.vendor == "postgresql"
        self.tables = {}
        for model in models_in_order:
            self.tables[model] = Table(model, postgres=self.postgres)
        self.pending = 0
        self.checked = set()
        self.deferred_ddl: list[str] = []
        self.timings = {"write_s": 0.0, "constraints_s": 0.0}

    def drop_constraints_and_indexes(self) -> None:
        """PostgreSQL bulk load: drop foreign keys and secondary indexes of the tables being
        filled, and put them back in ``finish`` (one set-based check and one sort each
        instead of one per row). DDL is transactional, so a failure restores them."""
        if not self.postgres:
            return
        names = [t.table for t in self.tables.values()]
        names += [t.history_table for t in self.tables.values() if t.history_table]
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                     FROM pg_constraint c
                    WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
                    ORDER BY 1, 2""",
                [names],
            )
            fks = cursor.fetchall()
            cursor.execute(
                """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                     FROM pg_index i
                    WHERE i.indrelid::regclass::text = ANY(%s)
                      AND NOT i.indisprimary AND NOT i.indisunique
                    ORDER BY 1""",
                [names],
            )
            indexes = cursor.fetchall()
            for table, name, definition in fks:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                self.deferred_ddl.append(
                    f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
                )
            for name, definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
                self.deferred_ddl.insert(0, definition)

    def add(self, model, row: dict, history_date: datetime | None = None, history=True) -> None:
        table = self.tables[model]
        if model not in self.checked:
            table.check(row)
            self.checked.add(model)
        table.add(row, history_date, history)
        self.pending += 1

    def add_history(self, model, row: dict, when: datetime, kind: str) -> None:
        """An extra history row (e.g. the "~" of a later change) for a record."""
        table = self.tables[model]
        table.add_history(table.values(row), when, kind)
        self.pending += 1

    def maybe_flush(self) -> None:
        if self.pending >= self.BATCH * 4:
            self.flush()

    def flush(self) -> None:
        began = time.monotonic()
        self._flush()
        self.timings["write_s"] += time.monotonic() - began

    def _flush(self) -> None:
        with connection.cursor() as cursor:
            for table in self.tables.values():
                if table.rows:
                    self._write(cursor, table.table, table.columns, table.rows)
                    table.rows = []
                if table.history_rows:
                    self._write(cursor, table.history_table, table.history_columns,
                                table.history_rows)  # fmt: skip
                    table.history_rows = []
        self.pending = 0

    def _write(self, cursor, table: str, columns: list[str], rows: list[tuple]) -> None:
        quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
        if self.postgres:
            raw = cursor.cursor
            with raw.copy(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', rows)

    def finish(self) -> None:
        """Flush, then move PostgreSQL sequences past the ids the generator assigned."""
        self.flush()
        if not self.postgres:
            return
        began = time.monotonic()
        with connection.cursor() as cursor:
            for statement in self.deferred_ddl:
                cursor.execute(statement)
            self.deferred_ddl = []
            self.timings["constraints_s"] = time.monotonic() - began
            for table in self.tables.values():
                for name, pk in ((table.table, table.model._meta.pk.column),
                                 (table.history_table, "history_id")):  # fmt: skip
                    if name is None:
                        continue
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                        f"COALESCE(MAX({pk}), 1), MAX({pk}) IS NOT NULL) FROM {name}",
                        [name, pk],
                    )

    def counts(self) -> dict[str, int]:
        return {t.table: t.count for t in self.tables.values()}

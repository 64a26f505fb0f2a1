"""Bulk loading into the migrated schema: executemany on SQLite, COPY on PostgreSQL.

Rows come as dicts keyed by column name (or, for the one big table, as tuples in a given column
order). Only the columns the migrated table really has are written; a NOT NULL column the
generator does not know (added by a later migration) gets the model's default, so the generator
keeps working while the schema grows.
"""
import sqlite3
import sys
import time
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import inspect

from app.proposals.search import FILL_BIGRAMS

CHUNK = 20_000


class Progress:
    """One line per table, rewritten in place on a terminal, every 10% otherwise."""

    def __init__(self, label: str, total: int):
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.next_mark = 0.1

    def add(self, n: int) -> None:
        self.done += n
        share = self.done / self.total
        if self.tty:
            self._print("\r")
        elif share >= self.next_mark and self.done < self.total:
            self._print("")
            while self.next_mark <= share:
                self.next_mark += 0.1

    def close(self) -> None:
        self._print("\r" if self.tty else "", end="\n")

    def _print(self, prefix: str, end: str = "") -> None:
        elapsed = time.perf_counter() - self.started
        rate = self.done / elapsed if elapsed else 0
        line = (f"{prefix}  {self.label:<16} {self.done:>11,} / {self.total:<11,} "
                f"{min(self.done / self.total, 1):>4.0%}  {elapsed:6.1f} s  {rate:>9,.0f} rows/s")
        sys.stderr.write(line + (end or ("" if self.tty else "\n")))
        sys.stderr.flush()


def required_defaults(engine, metadata) -> dict[str, dict[str, object]]:
    """Per table: NOT NULL columns without a server default, and the model's default for each."""
    inspector = inspect(engine)
    found = {}
    for table in inspector.get_table_names():
        model = metadata.tables.get(table)
        keys = inspector.get_pk_constraint(table)["constrained_columns"]
        generated = keys if len(keys) == 1 else []  # a lone integer key numbers itself
        columns = {}
        for column in inspector.get_columns(table):
            default = None
            if model is not None and column["name"] in model.c:
                model_default = model.c[column["name"]].default
                if model_default is not None and model_default.is_scalar:
                    default = model_default.arg
            columns[column["name"]] = (column["nullable"] or column.get("default") is not None
                                       or column["name"] in generated, default)
        found[table] = columns
    return found


class Loader:
    """Common part: which columns to write for a table, given the rows' keys."""

    def __init__(self, schema: dict):
        self.schema = schema

    def plan(self, table: str, keys: list[str]) -> tuple[list[str], tuple]:
        columns = self.schema[table]
        unknown = [k for k in keys if k not in columns]
        kept = [k for k in keys if k in columns]
        extra = [name for name, (optional, _default) in columns.items()
                 if name not in keys and not optional]
        missing = [name for name in extra if columns[name][1] is None]
        if missing:
            raise RuntimeError(f"{table}: no value for NOT NULL column(s) {missing}")
        if unknown:
            sys.stderr.write(f"  ({table}: the schema has no {', '.join(unknown)}: skipped)\n")
        return kept + extra, tuple(columns[name][1] for name in extra)

    def load_dicts(self, table: str, rows: list[dict]) -> int:
        if not rows:
            return 0
        keys = list(rows[0])
        columns, extra = self.plan(table, keys)
        width = len(columns) - len(extra)
        kept = columns[:width]
        tuples = (tuple(row[k] for k in kept) + extra for row in rows)
        return self.load_tuples(table, columns, tuples, len(rows))

    def load_stream(self, table: str, keys: list[str], rows: Iterable[tuple], total: int) -> int:
        columns, extra = self.plan(table, keys)
        if any(k not in self.schema[table] for k in keys):
            raise RuntimeError(f"{table}: streamed columns must all exist")
        tuples = (row + extra for row in rows) if extra else rows
        return self.load_tuples(table, columns, tuples, total)


def _sqlite_datetime(value: datetime) -> str:
    # SQLAlchemy's own storage format on SQLite: always with microseconds.
    return value.isoformat(" ", "microseconds")


sqlite3.register_adapter(datetime, _sqlite_datetime)
sqlite3.register_adapter(date, date.isoformat)
sqlite3.register_adapter(Decimal, str)


class SqliteLoader(Loader):
    """executemany in one transaction, without a journal; the search index's triggers are off
    during the load and the FTS5 index and the Chinese pairs are built once at the end (far
    faster than row by row)."""

    def __init__(self, path: str, schema: dict):
        super().__init__(schema)
        self.connection = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=OFF", "synchronous=OFF", "foreign_keys=OFF",
                       "cache_size=-1000000", "temp_store=MEMORY"):
            self.connection.execute(f"PRAGMA {pragma}")
        self.connection.execute("BEGIN")
        self.triggers = self.connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = 'proposal' "
            "AND (name LIKE 'proposal_fts%' OR name LIKE 'proposal_bigram%')").fetchall()
        for name, _sql in self.triggers:
            self.connection.execute(f'DROP TRIGGER "{name}"')

    def load_tuples(self, table, columns, rows, total) -> int:
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        statement = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
        progress = Progress(table, total)
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self.connection.executemany(statement, chunk)
                progress.add(len(chunk))
                chunk = []
        if chunk:
            self.connection.executemany(statement, chunk)
            progress.add(len(chunk))
        progress.close()
        return progress.done

    def finish(self) -> None:
        started = time.perf_counter()
        if self.triggers:
            self.connection.execute("INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild')")
            self.connection.execute(FILL_BIGRAMS["sqlite"])
            for _name, sql in self.triggers:
                self.connection.execute(sql)
            sys.stderr.write(f"  search index rebuilt in {time.perf_counter() - started:.1f} s\n")
        self.connection.execute("COMMIT")
        problems = self.connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign keys broken: {problems[:5]}")
        self.connection.execute("PRAGMA journal_mode=WAL")
        self.connection.close()


class PostgresLoader(Loader):
    """COPY, with triggers off during the load (foreign keys are checked afterwards by the
    counts), and the trigram index and the Chinese pairs built once at the end instead of row
    by row."""

    def __init__(self, conninfo: str, schema: dict):
        import psycopg

        super().__init__(schema)
        self.connection = psycopg.connect(conninfo)
        self.connection.execute("SET session_replication_role = replica")
        self.connection.execute("SET maintenance_work_mem = '512MB'")
        self.deferred = self.connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
            "AND tablename IN ('proposal', 'support') AND indexname NOT LIKE 'pk_%' "
            "AND indexname NOT LIKE 'uq_%'").fetchall()
        for name, _definition in self.deferred:
            self.connection.execute(f'DROP INDEX "{name}"')

    def load_tuples(self, table, columns, rows, total) -> int:
        names = ", ".join(f'"{c}"' for c in columns)
        progress = Progress(table, total)
        with self.connection.cursor() as cursor:
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                pending = 0
                for row in rows:
                    copy.write_row(row)
                    pending += 1
                    if pending == CHUNK:
                        progress.add(pending)
                        pending = 0
                progress.add(pending)
        progress.close()
        return progress.done

    def finish(self) -> None:
        started = time.perf_counter()
        for _name, definition in self.deferred:
            self.connection.execute(definition)
        sys.stderr.write(f"  indexes rebuilt ({len(self.deferred)}) in "
                         f"{time.perf_counter() - started:.1f} s\n")
        for (table,) in self.connection.execute(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' "
                "AND column_name = 'id' AND column_default LIKE 'nextval%'").fetchall():
            self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                f'coalesce((SELECT max(id) FROM "{table}"), 0) + 1, false)')
        self.connection.execute("SET session_replication_role = origin")
        started = time.perf_counter()
        self.connection.execute("SET work_mem = '512MB'")  # the pairs' DISTINCT, in memory
        self.connection.execute(FILL_BIGRAMS["postgresql"])
        sys.stderr.write(f"  Chinese pairs in {time.perf_counter() - started:.1f} s\n")
        self.connection.commit()
        self.connection.autocommit = True
        started = time.perf_counter()
        self.connection.execute("VACUUM (ANALYZE)")  # what autovacuum would have done by now
        sys.stderr.write(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s\n")
        self.connection.close()

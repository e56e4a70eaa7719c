"""Opening a store: an embedded SQLite file by default, PostgreSQL by URL; schema by Alembic.

SQLite runs in WAL mode so that a reader (the web server) keeps working while ingest writes,
with foreign keys on. Several writers (two ingests, an upload, a merge) take turns: every write
transaction (`Store.begin`) first takes the store's write lock — SQLite's `BEGIN IMMEDIATE`, a
PostgreSQL transaction-level advisory lock — waiting up to `LOCK_WAIT` seconds for another
writer, and counts itself in `store_state.generation`, by which a writer that keeps entities in
memory between transactions (resolve.Index) sees that someone else wrote and reads them again.
"""
from __future__ import annotations

import functools
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from ..settings import store_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
ANALYZE_AFTER = 1000  # documents added by one ingest run (ANALYZE took 7 s at 1,000,000 documents)
LOCK_WAIT = 60  # seconds a writer waits for another's transaction before it fails with the cause
WRITE_LOCK = 0x6B75_7275_6C74  # PostgreSQL advisory lock key of the store's writers ("kurult")
GENERATION = "kurultai.generation"  # key in Connection.info: the generation the transaction writes
SQLITE_POOL = 40  # SQLite connections kept open: as many as the web server's threads (anyio's default)


class StoreError(Exception):
    """A store that cannot be opened or used; the message names it and says why."""


def default_url() -> str:
    return store_url()


def engine_url(url: str) -> str:
    if "://" in url:
        if url.startswith("postgresql://"):
            return "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{Path(url).expanduser()}"


class Store:
    """One knowledge base. `engine` is a SQLAlchemy engine; every write goes through `begin()`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @classmethod
    def open(cls, url: str | None = None, migrate: bool = True) -> "Store":
        url = url or default_url()
        sqlite = engine_url(url).startswith("sqlite")
        # SQLite: every thread of the web server keeps its connection. SQLAlchemy's default keeps 5 and
        # closes the others after each use, so under load most requests opened the file again, ran the
        # pragmas, parsed the schema and started with an empty page cache.
        pool = dict(pool_size=SQLITE_POOL, max_overflow=SQLITE_POOL) if sqlite and ":memory:" not in url else {}
        try:
            engine = create_engine(engine_url(url), future=True, **pool)
        except Exception as exc:  # a malformed URL or a missing driver
            raise StoreError(f"{url}: cannot open the store ({exc})") from exc
        if engine.dialect.name == "sqlite":
            path = engine.url.database
            if path and engine.url.query.get("uri") == "true":  # sqlite:///file:PATH?mode=ro&uri=true
                path = path.removeprefix("file:").split("?")[0] if path.startswith("file:") else None
            if path and path != ":memory:":
                parent = Path(path).expanduser().resolve().parent
                if not parent.exists():
                    raise StoreError(f"{url}: folder {parent} does not exist")
            event.listen(engine, "connect", _sqlite_pragmas)
        store = cls(engine, url)
        if migrate:
            store.migrate()
        return store

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def migrate(self) -> None:
        """Bring the schema to the newest revision (creating it on a new store)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as conn:
                lock(conn)  # two processes opening a new store at once: one creates it, the other waits
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        except Exception as exc:
            raise StoreError(f"{self.url}: cannot prepare the store ({cause(exc)}){self._hint()}") from exc

    def _hint(self) -> str:
        """Why a SQLite file may not open although it exists: WAL mode needs its folder writable."""
        path = self.engine.url.database if self.dialect == "sqlite" else None
        if path and path != ":memory:" and not path.startswith("file:"):
            folder = Path(path).expanduser().resolve().parent
            if folder.exists() and not os.access(folder, os.W_OK):
                return f"; its folder {folder} is not writable (SQLite needs to create {Path(path).name}-wal beside it)"
        return ""

    @classmethod
    def open_empty(cls, url: str) -> "Store":
        """A PostgreSQL store emptied of everything (its public schema recreated), then migrated:
        for tests and benchmarks that need a clean database on a shared server."""
        engine = create_engine(engine_url(url), future=True)
        if engine.dialect.name != "postgresql":
            raise StoreError(f"{url}: open_empty is for PostgreSQL; use a new SQLite file instead")
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        return cls.open(url)

    def refresh_statistics(self, added: int) -> None:
        """After a bulk ingest of `added` documents (ANALYZE_AFTER or more, and a tenth of the
        store), PostgreSQL's statistics of the documents, by which search sizes its index lookups
        (search._pg_newest), are gathered now rather than whenever autovacuum comes round: a
        store searched right after its first 10,000 documents planned from none. SQLite needs
        nothing."""
        if self.dialect != "postgresql" or added < ANALYZE_AFTER:
            return
        with self.engine.begin() as conn:  # autovacuum's own rule: a tenth of the rows new
            if added >= 0.1 * estimated_documents(conn):
                conn.execute(text("ANALYZE documents"))

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A write transaction under the store's write lock, one writer at a time. It bumps the
        store's generation and leaves the value it writes in `conn.info[GENERATION]`."""
        with self.engine.begin() as conn:
            lock(conn)
            conn.info[GENERATION] = bump_generation(conn)
            try:
                yield conn
            finally:
                conn.info.pop(GENERATION, None)

    def connect(self):
        return self.engine.connect()

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """A connection that reads one state of the store throughout, whatever other writers
        commit meanwhile (an export's tables must agree with each other): a SQLite read
        transaction (WAL keeps its snapshot), a PostgreSQL REPEATABLE READ, read-only one."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            elif self.dialect == "sqlite":
                conn.exec_driver_sql("BEGIN")  # pysqlite begins only before a write: each read saw its own state
            try:
                yield conn
            finally:
                conn.rollback()

    def close(self) -> None:
        self.engine.dispose()

    def scalar(self, sql: str, **params):
        with self.connect() as conn:
            return conn.execute(text(sql), params).scalar()


def cause(exc: BaseException) -> str:
    """A database error's own message on one line, without SQLAlchemy's SQL and links."""
    orig = getattr(exc, "orig", None)
    text_ = " ".join(str(orig if orig is not None else exc).split())
    return text_ or type(exc).__name__


def lock(conn: Connection) -> None:
    """Take the store's write lock for the rest of `conn`'s transaction (its first statement on
    SQLite, which then holds the database's write lock from the start: a transaction that read
    first and wrote later could not wait for another writer and failed with "database is locked")."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite has not begun: its BEGIN comes before a write
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{LOCK_WAIT}s'")
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def bump_generation(conn: Connection) -> int:
    """Count one more write transaction; returns the new generation (migration 0010)."""
    conn.execute(_BUMP)
    return conn.execute(_GENERATION).scalar_one()


def generation(conn: Connection) -> int:
    """How many write transactions the store has committed (as this transaction sees it)."""
    return conn.execute(_GENERATION).scalar_one()


_BUMP = text("UPDATE store_state SET value = value + 1 WHERE name = 'generation'")
_GENERATION = text("SELECT value FROM store_state WHERE name = 'generation'")


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={LOCK_WAIT * 1000}")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def estimated_documents(conn) -> float:
    """PostgreSQL's count of the documents as of its last ANALYZE (0 before the first)."""
    stored = conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'documents'::regclass")).scalar()
    return max(float(stored or 0), 0.0)


def insert_new(conn, table):
    """INSERT that skips a row whose unique key is already stored (one statement on both engines,
    where a SELECT first would be two). Built once per table and engine: the bulk writer runs it
    for every document."""
    return _insert_new(conn.dialect.name, table)


@functools.lru_cache(maxsize=None)
def _insert_new(dialect: str, table):
    make = pg_insert if dialect == "postgresql" else sqlite_insert
    return make(table).on_conflict_do_nothing()

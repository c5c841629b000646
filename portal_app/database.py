"""The database engine the app uses, with SQLite made strict and safe for concurrent writers."""

from __future__ import annotations

import os
import sys

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session

_engine: sa.Engine | None = None

# What a statement raises when the database stays busy too long (SQLite's "database is
# locked" after the busy timeout, a lost or refused PostgreSQL connection) or no pooled
# connection frees up in time. Nothing was changed; the person can simply try again.
DATABASE_BUSY_ERRORS: tuple[type[Exception], ...] = (sa.exc.OperationalError, sa.exc.TimeoutError)


def _is_sqlite_file(url: sa.URL) -> bool:
    database = url.database or ""
    return database not in ("", ":memory:") and "mode=memory" not in database + str(url.query)


def _harden_sqlite(engine: sa.Engine) -> None:
    if engine.dialect.name != "sqlite":
        return
    on_file = _is_sqlite_file(engine.url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # With the default rollback journal a writer blocks every reader, so page loads and
        # sign-ins queue behind each write. In WAL mode readers never wait for the one writer.
        # The mode is stored in the file; it is only switched when not already on.
        if on_file and cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    if on_file:
        # Connections pooled before these hooks existed would skip them; a file keeps its data.
        engine.dispose()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A writing session takes the database lock at BEGIN (BEGIN IMMEDIATE), so its
        # read-check-write sequence cannot interleave with another writer's.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _forget_pool_after_fork() -> None:
    # A worker forked from a process that had opened connections must not use them: both
    # processes would talk over one socket ("server closed the connection unexpectedly",
    # "unexpected result EMPTY_QUERY from command 'ROLLBACK'"). dispose(close=False) drops the
    # inherited pool without closing the parent's connections. Reflex keeps engines of its own
    # (one per URL): its start-up schema check opens one in the supervisor before the workers
    # fork, and ``get_engine`` hands that same engine to each worker, so those go too.
    engines = [_engine] if _engine is not None else []
    reflex_model = sys.modules.get("reflex.model")
    engines += list(getattr(reflex_model, "_ENGINE", {}).values())
    for engine in engines:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def use_engine(engine: sa.Engine | None) -> None:
    """Point the app at an engine (tests and benchmarks use this); None goes back to the config."""
    global _engine
    if engine is not None:
        _harden_sqlite(engine)
    _engine = engine


def get_engine() -> sa.Engine:
    """The app's engine, created from the Reflex configuration on first use."""
    if _engine is None:
        import reflex as rx

        use_engine(rx.model.get_engine())
    return _engine


def open_session(*, for_writing: bool = False) -> Session:
    """A new session on the app's database; use it as a context manager.

    Args:
        for_writing: Take the write lock when the transaction begins (SQLite ``BEGIN
            IMMEDIATE``). Use it for any transaction that checks something and then writes
            based on it; PostgreSQL callers lock rows explicitly instead.
    """
    engine = get_engine()
    if for_writing:
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    return Session(engine, expire_on_commit=False)

"""Backing up and restoring the portal's database, whole, with the database's own tools.

SQLite: the online backup API copies a consistent snapshot while the portal keeps running
(readers and the one writer go on; the copy sees the database as of one moment). Restoring
copies the backup's pages back over the live file the same way, in one step.

PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot, taken while the portal runs) and
``pg_restore --clean --if-exists --single-transaction`` (all or nothing). The tools must be of
the server's major version or newer; the password, if any, goes through ``PGPASSWORD``, never the
command line.

A backup is written to a temporary name beside the destination and renamed when complete, so a
failed or interrupted backup never leaves a half-written file under the name asked for. Both
directions check that the result is a portal database (it has Alembic's version table).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import sqlalchemy as sa

# Every migrated portal database has it; a file without it is not a portal backup.
_VERSION_TABLE = "alembic_version"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why, for the person running it."""


def backup_database(engine: sa.Engine, destination: Path) -> None:
    """Write a complete copy of the database behind ``engine`` to ``destination``.

    Raises:
        BackupError: The destination exists, the database is not SQLite or PostgreSQL, or the
            copy failed (nothing is left under ``destination``).
    """
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new file name.")
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, partial)
        elif engine.dialect.name == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], engine.url)
        else:
            raise BackupError(f"Backups of {engine.dialect.name} databases are not supported.")
        partial.rename(destination)
    finally:
        partial.unlink(missing_ok=True)


def restore_database(engine: sa.Engine, source: Path) -> None:
    """Replace everything in the database behind ``engine`` with the backup ``source``.

    Stop the portal first: sessions open across a restore would act on data that is gone.

    Raises:
        BackupError: The file is missing or not a portal backup, or the restore failed (on
            PostgreSQL nothing changed; on SQLite the copy is a single step).
    """
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    if engine.dialect.name == "sqlite":
        _sqlite_restore(engine, source)
    elif engine.dialect.name == "postgresql":
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(source)],
            engine.url,
            database_option=True,
        )
    else:
        raise BackupError(f"Restoring {engine.dialect.name} databases is not supported.")
    engine.dispose()  # pooled connections may hold the old schema's statements
    if not sa.inspect(engine).has_table(_VERSION_TABLE):
        raise BackupError("The restored database has no migration history; it was not a portal backup.")


def _sqlite_backup(engine: sa.Engine, destination: Path) -> None:
    target = sqlite3.connect(destination)
    try:
        with engine.connect() as connection:
            source = connection.connection.driver_connection
            source.backup(target)  # type: ignore[union-attr]
        if not _has_version_table(target):
            raise BackupError("The database has no migration history; it is not a portal database.")
        problems = target.execute("PRAGMA integrity_check").fetchone()
        if problems is None or problems[0] != "ok":
            raise BackupError(f"The copy failed its integrity check: {problems}")
    finally:
        target.close()


def _sqlite_restore(engine: sa.Engine, source_file: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
        try:
            if not _has_version_table(source):
                raise BackupError(f"{source_file} is not a backup of the portal's database.")
            with engine.connect() as connection:
                source.backup(connection.connection.driver_connection)  # type: ignore[arg-type]
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source_file} is not a SQLite backup: {error}") from None


def _has_version_table(connection: sqlite3.Connection) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return connection.execute(query, (_VERSION_TABLE,)).fetchone() is not None


def _run(command: list[str], url: sa.URL, *, database_option: bool = False) -> None:
    """Run a PostgreSQL client tool against ``url`` (its password in the environment)."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client).")
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    environment = os.environ | ({"PGPASSWORD": str(url.password)} if url.password else {})
    # pg_dump takes the database as its last argument; pg_restore needs it as --dbname.
    full = [*command[:-1], f"--dbname={address}", command[-1]] if database_option else [*command, address]
    result = subprocess.run(full, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")

"""Applying the Alembic migrations to a given engine (tests, benchmarks and tools use this).

``python -m portal_app.migrations`` creates the configured database (``REFLEX_DB_URL``) when the
PostgreSQL server does not have it yet, then brings it to the newest schema.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config

from alembic import command

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def upgrade_to_head(engine: sa.Engine) -> None:
    """Bring the database behind ``engine`` to the newest schema."""
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def create_database_if_missing(url: str | sa.URL) -> bool:
    """Create the PostgreSQL database ``url`` names if its server lacks it.

    A SQLite file is created by its first connection, so only PostgreSQL needs this. The server
    is reached through its ``postgres`` maintenance database, as the same user.

    Returns:
        Whether the database was created now.
    """
    url = sa.make_url(url)
    if url.get_backend_name() != "postgresql" or not url.database:
        return False
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
            ).first()
            if exists:
                return False
            quoted = server.dialect.identifier_preparer.quote(url.database)
            connection.execute(sa.text(f"CREATE DATABASE {quoted}"))
            return True
    finally:
        server.dispose()


def main() -> int:
    """Create the configured database when missing, then apply every migration."""
    from portal_app.database import get_engine

    engine = get_engine()
    if create_database_if_missing(engine.url):
        print(f"Created the database {engine.url.database}.")
    upgrade_to_head(engine)
    print("The database schema is up to date.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

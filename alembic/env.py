"""Alembic environment for running migrations with the ``alembic`` command directly.

``reflex db migrate`` / ``makemigrations`` drive Alembic themselves with the same metadata; this
file serves ``alembic upgrade head`` and the migration tests, which pass a connection in
``config.attributes["connection"]``.
"""

from sqlalchemy import create_engine, pool
from sqlmodel import SQLModel

import portal_app.models  # noqa: F401  (registers the tables)
import rxconfig
from alembic import context

config = context.config
target_metadata = SQLModel.metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate the given connection, or the database configured for the app."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(rxconfig.config.db_url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; connect to a database.")
run_migrations_online()

"""The Alembic history builds the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import portal_app.models  # noqa: F401
from portal_app.migrations import upgrade_to_head
from tests.databases import postgres_database

ROOT = Path(__file__).resolve().parents[2]


def _pending_model_changes(engine: sa.Engine) -> list:
    with engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)


def _assert_migrations_match_models(engine: sa.Engine) -> None:
    upgrade_to_head(engine)
    tables = set(sa.inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert _pending_model_changes(engine) == []


def test_migrations_build_the_models_on_an_empty_sqlite_database(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    _assert_migrations_match_models(engine)


def test_reflex_reports_no_pending_model_changes(tmp_path, monkeypatch):
    from reflex import model as reflex_model

    monkeypatch.chdir(ROOT)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'reflex.db'}")
    upgrade_to_head(engine)
    with engine.connect() as connection:
        assert (
            reflex_model.alembic_autogenerate(connection=connection, write_migration_scripts=False) is False
        )


@pytest.mark.postgres
def test_migrations_build_the_models_on_postgresql():
    with postgres_database("portal_migrations") as url:
        engine = sa.create_engine(url)
        try:
            _assert_migrations_match_models(engine)
        finally:
            engine.dispose()

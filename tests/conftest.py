"""Fixtures shared by every test layer."""

from __future__ import annotations

import os
import tempfile

# Before anything reads rxconfig: never touch the developer's portal.db, and let the browser
# tests' pages (served from ports chosen at start-up) open the websocket.
os.environ["REFLEX_DB_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='portal-tests-')}/unused.db"
os.environ["PORTAL_ORIGIN"] = "*"
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

import pytest
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from portal_app import models  # noqa: F401  (registers the tables)
from tests.databases import postgres_database


@pytest.fixture
def engine():
    """A fresh in-memory SQLite database with every table."""
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(engine):
    """A session on the in-memory database."""
    with Session(engine) as session:
        yield session


@pytest.fixture
def sqlite_file_engine(tmp_path):
    """A SQLite file with every table: real locking between threads and connections."""
    engine = create_engine(f"sqlite:///{tmp_path / 'portal.db'}", connect_args={"timeout": 30})
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def postgres_engine():
    """A throwaway PostgreSQL database with every table, with room for 50 concurrent sessions."""
    with postgres_database("portal_test") as url:
        engine = create_engine(url, pool_size=10, max_overflow=60)
        SQLModel.metadata.create_all(engine)
        yield engine
        engine.dispose()

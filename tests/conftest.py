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
from sqlmodel import Session, SQLModel, create_engine

from portal_app import models  # noqa: F401  (registers the tables)
from portal_app.services import passwords
from tests.databases import in_memory_engine, postgres_database

# Argon2 at production cost takes about 0.1 s a hash, and the suite hashes and verifies
# hundreds of times; tests that are about the production cost switch back to it themselves.
CHEAP_ARGON2 = passwords.Argon2Cost(rounds=1, memory_cost=8, parallelism=1)
passwords.use_cost(CHEAP_ARGON2)


@pytest.fixture
def production_password_cost():
    """Hash at the production cost for one test."""
    passwords.use_cost(passwords.PRODUCTION_COST)
    yield passwords.PRODUCTION_COST
    passwords.use_cost(CHEAP_ARGON2)


@pytest.fixture
def engine():
    """A fresh in-memory SQLite database with every table."""
    engine = in_memory_engine()
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

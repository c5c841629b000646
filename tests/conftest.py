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

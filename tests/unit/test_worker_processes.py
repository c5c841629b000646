"""Several worker processes: each opens its own database connections, and one dying is replaced."""

from __future__ import annotations

import os

import pytest
import reflex as rx
import sqlalchemy as sa

from portal_app import database  # noqa: F401  (registers the after-fork hook)
from portal_app.worker_respawn import respawn_failed_workers
from tests.databases import postgres_database

BACKEND_PID = sa.text("SELECT pg_backend_pid()")


@pytest.mark.postgres
def test_a_forked_worker_never_uses_a_connection_reflex_opened_before_the_fork():
    # Reflex's start-up schema check opens its cached engine in the supervisor, before the
    # workers fork; each worker then gets that same engine from rx.model.get_engine().
    with postgres_database("portal_fork") as url:
        engine = rx.model.get_engine(url)
        try:
            with engine.connect() as connection:
                parents = connection.execute(BACKEND_PID).scalar()
            reading, writing = os.pipe()
            child = os.fork()
            if child == 0:  # the worker
                try:
                    with engine.connect() as connection:
                        os.write(writing, str(connection.execute(BACKEND_PID).scalar()).encode())
                finally:
                    os._exit(0)
            os.waitpid(child, 0)
            os.close(writing)
            childs = int(os.read(reading, 64))
            os.close(reading)

            assert childs != parents
            with engine.connect() as connection:  # and the supervisor's own still works
                assert connection.execute(BACKEND_PID).scalar() == parents
        finally:
            engine.dispose()
            rx.model._ENGINE.pop(url, None)


def test_the_server_replaces_a_worker_that_dies_unless_told_otherwise():
    from granian.server import Server

    respawn_failed_workers()
    respawn_failed_workers()  # idempotent: one wrapper

    assert Server(target="portal_app.portal_app:app").respawn_failed_workers is True
    assert Server(target="x:y", respawn_failed_workers=False).respawn_failed_workers is False

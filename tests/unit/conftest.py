"""Fixtures for the unit tests of the scheduling services."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from portal_app import database

Job = Callable[[Session], Any]


@pytest.fixture
def all_at_once() -> Iterator[Callable[[sa.Engine, list[Job]], list[Any]]]:
    """Run each job in its own thread and writing session, all released at the same moment.

    Each job gets a session from ``database.open_session(for_writing=True)`` on the given
    engine, as a Reflex event handler would; a ``threading.Barrier`` makes them start together.
    Results come back in the jobs' order, and an exception in any job is raised here.
    """

    def run(engine: sa.Engine, jobs: list[Job]) -> list[Any]:
        database.use_engine(engine)
        start_together = threading.Barrier(len(jobs))

        def in_own_session(job: Job) -> Any:
            # The timeout turns a thread that died before the barrier into an error, not a hang.
            start_together.wait(timeout=30)
            with database.open_session(for_writing=True) as session:
                return job(session)

        with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
            futures = [pool.submit(in_own_session, job) for job in jobs]
            return [future.result(timeout=120) for future in futures]

    yield run
    database.use_engine(None)

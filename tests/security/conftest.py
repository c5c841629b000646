"""Fixtures for the security tests: the app's own code on a real database file or server."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from reflex_base.event.processor import base_state_processor
from reflex_base.event.processor.base_state_processor import process_event
from sqlmodel import Session

from portal_app import database
from portal_app.api import api
from portal_app.domain.vocabulary import Role
from portal_app.services.passwords import hash_password
from tests.factories import make_practice, make_user
from tests.state.conftest import app_db, demo_database  # noqa: F401  (the demo practice, per test)

PASSWORD = "a long enough password"
# Figures the security tests measured (calls sent, exceptions, emails lost...), by topic; the
# run's summary prints them, so a closing note can quote them.
FIGURES: dict[str, Counter[str]] = {}


def pytest_terminal_summary(terminalreporter) -> None:
    """Print what the security tests measured."""
    if not FIGURES:
        return
    terminalreporter.section("security figures")
    for topic, figures in FIGURES.items():
        counts = ", ".join(f"{name} {count}" for name, count in figures.items())
        terminalreporter.write_line(f"{topic}: {counts}")


CLIENT_EMAILS = tuple(f"client{number}@example.com" for number in range(10))


def _add_clients(engine: sa.Engine) -> None:
    password_hash = hash_password(PASSWORD)  # hashing is slow: once for every account
    with Session(engine) as session:
        practice = make_practice(session)
        for email in CLIENT_EMAILS:
            make_user(
                session, email=email, role=Role.CLIENT, password_hash=password_hash, practice_id=practice.id
            )


@pytest.fixture
def file_app_db(sqlite_file_engine) -> Iterator[sa.Engine]:
    """The app's code (services, states, API) on a SQLite file, with ten client accounts."""
    database.use_engine(sqlite_file_engine)
    _add_clients(sqlite_file_engine)
    yield sqlite_file_engine
    database.use_engine(None)


@pytest.fixture
def postgres_app_db(postgres_engine) -> Iterator[sa.Engine]:
    """The app's code on a throwaway PostgreSQL database, with ten client accounts."""
    database.use_engine(postgres_engine)
    _add_clients(postgres_engine)
    yield postgres_engine
    database.use_engine(None)


def at_once(jobs: list[Callable[[], Any]], *, workers: int | None = None) -> list[Any]:
    """Run the jobs on ``workers`` threads (one each by default), released together.

    Returns the results in the jobs' order; an exception in any job is raised here.
    """
    workers = workers or len(jobs)
    start_together = threading.Barrier(workers)
    started = threading.local()

    def run(job: Callable[[], Any]) -> Any:
        if not getattr(started, "done", False):
            # The timeout turns a thread that died before the barrier into an error, not a hang.
            start_together.wait(timeout=30)
            started.done = True
        return job()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return [future.result(timeout=300) for future in futures]


def http(
    method: str, path: str, *, app=api, headers: dict[str, str] | None = None, cookies: str = ""
) -> httpx.Response:
    """One request to an ASGI app (by default the API routes), as a browser at 127.0.0.1 sends it.

    ``cookies`` is the Cookie header; redirects are returned, not followed.
    """

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
        async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
            request_headers = (headers or {}) | ({"cookie": cookies} if cookies else {})
            return await client.request(method, path, headers=request_headers)

    return asyncio.run(send())


def call_as_reflex_does(state, handler, **payload) -> list:
    """Run an event's handler as Reflex's event processor does: ``fn(state, **payload)``.

    Returns the updates it sent to the browser; what it raises is raised here.
    """
    answers: list = []

    async def collect(update, **_):
        answers.append(update)

    original = base_state_processor.chain_updates
    base_state_processor.chain_updates = collect
    try:
        asyncio.run(process_event(handler=handler, payload=payload, state=state, root_state=None))
    finally:
        base_state_processor.chain_updates = original
    return [answer for answer in answers if answer is not None]


def script_of(event) -> str:
    """The JavaScript a returned ``rx.call_script`` event runs in the browser."""
    args = {name._js_expr: value for name, value in event.args}
    return args["javascript_code"]._var_value

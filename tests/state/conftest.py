"""Drive State handlers directly, as a browser's event would, without a browser."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import reflex as rx
import sqlalchemy as sa
from reflex.istate.data import RouterData
from sqlmodel import Session

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.seed import seed_demo_practice
from portal_app.services import auth
from tests.databases import in_memory_engine


@pytest.fixture(scope="session")
def demo_database() -> Iterator[sa.Engine]:
    """The demo practice, seeded once per run; tests get copies of it, never this one."""
    engine = in_memory_engine()
    with Session(engine) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    yield engine
    engine.dispose()


@pytest.fixture
def app_db(demo_database) -> Iterator[sa.Engine]:
    """The app's own code (states, API) uses a fresh copy of the seeded demo database."""
    engine = in_memory_engine(with_tables=False)
    # SQLite's online backup copies the seeded pages whole: much cheaper than seeding again.
    with demo_database.raw_connection() as source, engine.raw_connection() as target:
        source.driver_connection.backup(target.driver_connection)
    database.use_engine(engine)
    yield engine
    database.use_engine(None)
    engine.dispose()


@dataclass
class Browser:
    """What one browser tab would hold: its cookie header and the page it is on."""

    cookie: str = ""

    def state(self, state_cls: type[rx.State], path: str = "/", connection: str = "connection-1"):
        """A fresh instance of ``state_cls`` as the server would build it for this tab's event."""
        root = rx.State(_reflex_internal_init=True)
        state = root.get_substate(state_cls.get_full_name().split(".")[1:])
        self.connect(state, path, connection)
        return state

    def connect(self, state, path: str = "/", connection: str = "connection-2") -> None:
        """Events from now on come over ``connection`` (a reload, or a connection coming back)."""
        state.router = RouterData.from_router_data(
            {
                "headers": {"cookie": self.cookie, "origin": "http://localhost:3000"},
                "pathname": path,
                "asPath": path,
                "sid": connection,
            }
        )


def signed_in_token(email: str, *, now: datetime | None = None) -> str:
    """Sign a demo user in through the real services; returns their session token."""
    now = now or datetime.now(UTC)
    with database.open_session(for_writing=True) as session:
        code = auth.sign_in(
            session=session,
            email=email,
            password=DEMO_PASSWORD,
            client_ip="127.0.0.1",
            browser_nonce="test browser",
            now=now,
        )
        return auth.redeem_grant(
            session=session,
            code=code.grant_code,
            browser_nonce="test browser",
            client_ip="127.0.0.1",
            now=now,
        )


def browser_for(email: str) -> Browser:
    """A tab signed in as ``email``."""
    return Browser(cookie=f"{routes.SESSION_COOKIE}={signed_in_token(email)}")


def sent(state, handler_name: str, *args, **kwargs) -> list:
    """Call a handler the way an event does; returns everything it asked the browser to do."""
    handler = getattr(type(state), handler_name).fn

    async def drive() -> list:
        return [update async for update in handler(state, *args, **kwargs) if update is not None]

    return asyncio.run(drive())


def run(state, handler_name: str, *args, **kwargs):
    """Call a handler the way an event does; returns the last thing it asked the browser to do."""
    answers = sent(state, handler_name, *args, **kwargs)
    return answers[-1] if answers else None


def redirect_target(event) -> str | None:
    """Where a returned redirect event sends the browser, or None if it is not a redirect."""
    if event is None or "_redirect" not in getattr(event.handler.fn, "__qualname__", ""):
        return None
    args = {name._js_expr: value for name, value in event.args}
    return args["path"]._var_value


def refused_as_bad_input(event) -> bool:
    """Whether a handler answered with the "that did not look right" message (and changed nothing)."""
    return event is not None and any("bad-input" in str(value) for _, value in event.args)

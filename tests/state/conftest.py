"""Drive State handlers directly, as a browser's event would, without a browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from portal_app import database, routes
from portal_app.seed import DEMO_PASSWORD, seed_demo_practice
from portal_app.services import auth


@pytest.fixture
def app_db(engine):
    """The app's own code (states, API) uses the test database; seeded with the demo practice."""
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    yield engine
    database.use_engine(None)


@dataclass
class Browser:
    """What one browser tab would hold: its cookie header and the page it is on."""

    cookie: str = ""

    def state(self, state_cls: type[rx.State], path: str = "/"):
        """A fresh instance of ``state_cls`` as the server would build it for this tab's event."""
        root = rx.State(_reflex_internal_init=True)
        state = root.get_substate(state_cls.get_full_name().split(".")[1:])
        state.router = RouterData.from_router_data(
            {
                "headers": {"cookie": self.cookie, "origin": "http://localhost:3000"},
                "pathname": path,
                "asPath": path,
            }
        )
        return state


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


def run(state, handler_name: str, *args):
    """Call a handler the way an event does, and return what it asks the browser to do."""
    return getattr(type(state), handler_name).fn(state, *args)


def redirect_target(event) -> str | None:
    """Where a returned redirect event sends the browser, or None if it is not a redirect."""
    if event is None or "_redirect" not in getattr(event.handler.fn, "__qualname__", ""):
        return None
    args = {name._js_expr: value for name, value in event.args}
    return args["path"]._var_value

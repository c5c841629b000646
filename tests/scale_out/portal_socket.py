"""A tab of the portal without a browser: the real socket.io websocket, events as the page sends them.

Used by the scale-out tests and ``bench/load.py``. A tab connects as the browser's page does
(``/_event``, websocket transport, its own client token, the session cookie in the handshake,
the hydrate-and-load event in the CONNECT packet), keeps every delta it receives merged by state
and var name, answers the page's request for the browser's zone, and sends handler events with
their arguments. Sign-in goes through the real services (``sign_in``, then ``redeem_grant``)
on the app's database.
"""

from __future__ import annotations

import asyncio
import contextlib
import pickle
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import reflex as rx
import socketio

from portal_app import database, routes
from portal_app import models as m
from portal_app.domain.vocabulary import Role
from portal_app.services import auth
from portal_app.services.passwords import hash_password
from portal_app.state.booking import BookingWizardState
from portal_app.state.session import SessionState

NAMESPACE = "/_event"
BROWSER_ZONE = "America/Chicago"
_VAR_SUFFIX = "_rx_state_"


def add_clients(count: int, *, prefix: str, password: str) -> list[str]:
    """Add ``count`` client accounts to the (one) practice; returns their emails."""
    from sqlmodel import select

    password_hash = hash_password(password)  # once: hashing is slow
    emails = [f"{prefix}{number}@clients.example" for number in range(count)]
    with database.open_session(for_writing=True) as session:
        practice_id = session.exec(select(m.Practice.id)).one()
        for email in emails:
            user = m.User(
                email=email,
                role=Role.CLIENT,
                password_hash=password_hash,
                display_name=email,
                practice_id=practice_id,
            )
            session.add(user)
            session.flush()
            session.add(
                m.Client(practice_id=practice_id, user_id=user.id, full_name=email.split("@")[0], email=email)
            )
        session.commit()
    return emails


def session_cookie(email: str, password: str) -> str:
    """Sign ``email`` in through the services; the ``Cookie`` header a signed-in browser sends."""
    now = datetime.now(UTC)
    nonce = uuid.uuid4().hex
    with database.open_session(for_writing=True) as session:
        grant = auth.sign_in(
            session=session,
            email=email,
            password=password,
            client_ip="127.0.0.1",
            browser_nonce=nonce,
            now=now,
        )
        assert grant.grant_code, f"{email} could not sign in: {grant.error}"
        token = auth.redeem_grant(
            session=session, code=grant.grant_code, browser_nonce=nonce, client_ip="127.0.0.1", now=now
        )
    return f"{routes.SESSION_COOKIE}={token}; {routes.BROWSER_COOKIE}={nonce}"


class PortalTab:
    """One open page of one person, over its own websocket.

    ``vars(StateClass)`` is what the page shows from that state; ``send`` sends one handler
    event and waits for the update it causes.
    """

    def __init__(self, base_url: str, *, cookie: str = "", path: str = "/appointments", token: str = ""):
        self.base_url = base_url
        self.cookie = cookie
        self.path = path
        # A page keeps its token across reconnects (the browser's session storage).
        self.token = token or str(uuid.uuid4())
        self.updates = 0
        # Per update: the states its delta changed (a handler's answer changes its own state).
        self._touched: list[set[str]] = []
        self._zone_asked = False
        self._state: dict[str, dict[str, Any]] = {}
        self._changed = asyncio.Event()
        self._client = socketio.AsyncClient(reconnection=False)
        self._client.on("event", self._on_update, namespace=NAMESPACE)
        self._client.on("new_token", self._on_new_token, namespace=NAMESPACE)
        self._on_delta: list[Callable[[dict], None]] = []

    # -- connecting -----------------------------------------------------------------------------

    async def open(self, *, timeout: float = 60) -> PortalTab:
        """Connect, hydrate and run the page's on-load handlers; returns once the page is loaded."""
        root = rx.State.get_full_name()
        boot = {"name": f"{root}.hydrate_and_load", "payload": {}, "router_data": self._router_data()}
        headers = {"Cookie": self.cookie} if self.cookie else {}
        await self._client.connect(
            f"{self.base_url}?token={self.token}",
            socketio_path=NAMESPACE,
            transports=["websocket"],
            namespaces=[NAMESPACE],
            headers=headers,
            auth={"event": boot},
            wait_timeout=timeout,
        )
        session = SessionState.get_full_name()

        def loaded() -> bool:
            zone_told = (
                not self._zone_asked or self._state.get(session, {}).get("browser_zone") == BROWSER_ZONE
            )
            return self._state.get(root, {}).get("is_hydrated") is True and zone_told

        await self.wait_until(loaded, timeout=timeout)
        return self

    async def close(self) -> None:
        await self._client.disconnect()

    @property
    def connected(self) -> bool:
        return self._client.connected

    @property
    def local_port(self) -> int:
        """This end's TCP port of the websocket: the server's worker sees it as the peer's port."""
        return self._client.eio.ws.get_extra_info("sockname")[1]

    def _router_data(self) -> dict[str, Any]:
        return {"pathname": self.path, "asPath": self.path}

    # -- what the page holds --------------------------------------------------------------------

    def vars(self, state: type[rx.State]) -> dict[str, Any]:
        """The values of ``state``'s vars this page has received."""
        return self._state.get(state.get_full_name(), {})

    def on_delta(self, listener: Callable[[dict], None]) -> None:
        """Call ``listener(delta)`` for every delta received (with its raw state and var names)."""
        self._on_delta.append(listener)

    async def _on_update(self, update: dict) -> None:
        self.updates += 1
        delta = update.get("delta") or {}
        self._touched.append(set(delta))
        for state_name, values in delta.items():
            merged = self._state.setdefault(state_name, {})
            for name, value in values.items():
                merged[name.removesuffix(_VAR_SUFFIX)] = value
        for listener in self._on_delta:
            listener(delta)
        for event in update.get("events") or []:
            await self._answer(event)
        self._changed.set()
        self._changed = asyncio.Event()

    async def _on_new_token(self, token: str) -> None:
        # The server found the token in use (a duplicated tab, or a worker that died holding
        # it) and gave this page a fresh one, with a fresh state, as the browser is told.
        self.token = token

    async def _answer(self, event: dict) -> None:
        # The page's scripts: only the browser-zone question is answered, as Chromium would.
        callback = str((event.get("payload") or {}).get("callback") or "")
        if event.get("name") == "_call_script" and ".set_browser_zone" in callback:
            handler = callback.split('ReflexEvent("', 1)[1].split('"', 1)[0]
            self._zone_asked = True
            await self._emit(handler, {"zone": BROWSER_ZONE})

    # -- sending --------------------------------------------------------------------------------

    async def _emit(self, name: str, payload: dict[str, Any]) -> None:
        event = {"name": name, "payload": payload, "router_data": self._router_data()}
        await self._client.emit("event", event, namespace=NAMESPACE)

    async def send(
        self,
        state: type[rx.State] | str,
        handler: str,
        *,
        until: Callable[[PortalTab], bool] | None = None,
        timeout: float = 60,
        **arguments: Any,
    ) -> float:
        """Send ``state.handler(**arguments)``; wait for an update of ``state`` (and ``until``).

        ``state`` is a state class, or the full name of another app's state.

        Returns:
            Seconds from sending to the update that satisfied the wait.
        """
        seen, name = self.updates, state if isinstance(state, str) else state.get_full_name()
        started = time.perf_counter()
        await self._emit(f"{name}.{handler}", arguments)

        def answered() -> bool:
            return any(name in touched for touched in self._touched[seen:]) and (until is None or until(self))

        await self.wait_until(answered, timeout=timeout)
        return time.perf_counter() - started

    async def wait_until(self, condition: Callable[[], bool], *, timeout: float = 60) -> None:
        """Wait until ``condition()`` holds after some update (or now); TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while not condition():
            if not self._client.connected:
                raise ConnectionError("the websocket closed")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no such update within {timeout} s")
            try:
                await asyncio.wait_for(self._changed.wait(), timeout=min(remaining, 1))
            except TimeoutError:
                continue


REDIS_SERVER = "redis://127.0.0.1:6379"


@contextlib.contextmanager
def own_redis_database() -> Iterator[str]:
    """The URL of a Redis database number nobody else uses now, emptied again afterwards.

    Raises:
        redis.ConnectionError: Redis is not running at 127.0.0.1:6379.
        LookupError: Every database number is in use.
    """
    import redis

    for number in range(15, 0, -1):
        connection = redis.Redis.from_url(f"{REDIS_SERVER}/{number}")
        try:
            if connection.dbsize() == 0 and connection.set("portal-tests:claimed", "1", nx=True):
                try:
                    yield f"{REDIS_SERVER}/{number}"
                finally:
                    connection.flushdb()
                return
        finally:
            connection.close()
    raise LookupError("no free Redis database number")


async def worker_of(redis_url: str, client_token: str) -> str | None:
    """Which backend worker holds the tab's websocket: Reflex's own record in Redis.

    With Redis, Reflex records each connected tab's socket as ``instance_id`` (one random id per
    worker process) and socket id; another worker reaches the tab through that record.
    """
    import redis.asyncio

    connection = redis.asyncio.from_url(redis_url)
    try:
        stored = await connection.get(f"token_manager_socket_record_{client_token}")
    finally:
        await connection.aclose()
    # Reflex pickles its own record; the test reads what the server wrote.
    return pickle.loads(stored).instance_id if stored else None


# -- the booking wizard, as the page drives it ---------------------------------------------------

Wizard = BookingWizardState


async def open_week(tab: PortalTab, *, provider: str = "Robin Park", weeks_ahead: int = 1) -> float:
    """New Appointment → the provider → its first service → ``weeks_ahead`` weeks on; the seconds taken."""
    took = await tab.send(Wizard, "open_new", until=lambda t: bool(t.vars(Wizard).get("providers")))
    chosen = next(o["value"] for o in tab.vars(Wizard)["providers"] if o["label"].startswith(provider))
    took += await tab.send(
        Wizard, "choose_provider", value=chosen, until=lambda t: bool(t.vars(Wizard)["services"])
    )
    service = tab.vars(Wizard)["services"][0]["value"]
    took += await tab.send(
        Wizard, "choose_service", value=service, until=lambda t: bool(t.vars(Wizard)["week_start"])
    )
    for _ in range(weeks_ahead):
        took += await tab.send(Wizard, "change_week", step=1)
    return took


def free_times(tab: PortalTab) -> list[tuple[int, int]]:
    """The week's free cells as (start in epoch seconds, the first length offered there)."""
    calendar = tab.vars(Wizard)["calendar"]
    return [
        (calendar["starts"][day][row], calendar["lengths"][day][row][0])
        for day, states in enumerate(calendar["states"])
        for row, state in enumerate(states)
        if state == "free"
    ]


def _answered(step: str) -> Callable[[PortalTab], bool]:
    return lambda tab: tab.vars(Wizard).get("step") == step or bool(tab.vars(Wizard).get("error"))


async def review_time(tab: PortalTab, start: int, minutes: int) -> str:
    """Choose the time and Save: "review", or the error the wizard shows."""
    await tab.send(Wizard, "select_time", start=start, minutes=minutes)
    await tab.send(Wizard, "save", until=_answered("review"))
    return tab.vars(Wizard)["error"] or tab.vars(Wizard)["step"]


async def submit(tab: PortalTab) -> str:
    """Submit New Appointment: "done" once the request is stored, or the error the wizard shows."""
    await tab.send(Wizard, "submit", until=_answered("done"))
    return tab.vars(Wizard)["error"] or tab.vars(Wizard)["step"]


async def request_time(tab: PortalTab, start: int, minutes: int) -> str:
    """Choose the time, Save, Submit New Appointment: "done", or the error the wizard shows."""
    reviewed = await review_time(tab, start, minutes)
    return await submit(tab) if reviewed == "review" else reviewed

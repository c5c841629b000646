"""A production backend killed (``kill -9``) while clients submit requests and a therapist accepts
them, then started again: every request a client was told was submitted is there, every request
the therapist was told was accepted is confirmed, none twice, none half-written.

The backend is ``reflex run --env prod --backend-only`` (the same event handling as the one-port
server, without building the pages) on a migrated SQLite file with the demo practice. Clients and
the therapist are websocket connections that send the events the pages send, through Reflex's own
protocol, and read what the server answers; "told" means the answer the page would have shown.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import socketio
import sqlalchemy as sa
from sqlmodel import select

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.domain.week_grid import CellState
from portal_app.migrations import upgrade_to_head
from portal_app.models import Appointment, AuditEvent, Clinician, EmailOutbox
from portal_app.seed import seed_demo_practice
from portal_app.services import auth
from portal_app.services.outcome import Outcome
from portal_app.state import wording
from portal_app.state.booking import BookingWizardState
from portal_app.state.dashboard import DashboardState
from tests.security.conftest import FIGURES
from tests.security.test_in_the_browser import _free_port, _wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ("alex.rivera@example.com", "sam.taylor@example.com")
THERAPIST = "robin.park@example.org"
ACCEPTED_TEXT = wording.OUTCOMES[Outcome.ACCEPTED]
WIZARD = BookingWizardState.get_full_name()
DASHBOARD = DashboardState.get_full_name()


class Gone(Exception):
    """The server stopped answering (it was killed): the person was told nothing."""


@dataclass
class Tab:
    """One browser tab's websocket: sends events as the page does, keeps the vars it is sent.

    Reflex answers an event with deltas (the changed vars of each state), with no end marker:
    ``send`` waits for the delta that carries the var the handler always sets last.
    """

    url: str
    cookie: str
    page: str
    vars: dict[str, dict] = field(default_factory=dict)

    def __post_init__(self):
        self._arrived = threading.Condition()
        self._deltas: list[dict] = []
        self._client = socketio.Client(reconnection=False)
        self._client.on("event", self._received, namespace="/_event")
        self._client.on("disconnect", self._lost, namespace="/_event")
        self._client.connect(
            f"{self.url}?token={uuid.uuid4()}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=["/_event"],
            headers={"Cookie": self.cookie},
            wait_timeout=30,
        )

    def _received(self, update) -> None:
        with self._arrived:
            delta = {
                state: {name.removesuffix("_rx_state_"): value for name, value in changes.items()}
                for state, changes in update.get("delta", {}).items()
            }
            for state, changes in delta.items():
                self.vars.setdefault(state, {}).update(changes)
            self._deltas.append(delta)
            self._arrived.notify_all()

    def _lost(self, *_reason) -> None:
        with self._arrived:
            self._arrived.notify_all()

    def send(self, state: str, handler: str, *, answered_by: str, settled=None, **payload) -> dict:
        """Send one event; wait for a delta of ``state`` with ``answered_by`` in it (and, with
        ``settled``, that value); returns the state's vars as the page now has them."""
        if not self._client.connected:
            raise Gone
        with self._arrived:
            self._deltas.clear()
        router_data = {"pathname": self.page, "query": {}, "asPath": self.page}
        event = {"name": f"{state}.{handler}", "payload": payload, "router_data": router_data}
        try:
            self._client.emit("event", event, namespace="/_event")
        except socketio.exceptions.SocketIOError:
            raise Gone from None

        def answered() -> bool:
            changes = [delta.get(state, {}) for delta in self._deltas]
            return (
                any(
                    answered_by in change and (settled is None or change[answered_by] == settled)
                    for change in changes
                )
                or not self._client.connected
            )

        with self._arrived:
            if not self._arrived.wait_for(answered, timeout=60) or not self._client.connected:
                raise Gone
            return dict(self.vars.get(state, {}))

    def close(self) -> None:
        self._client.disconnect()


def _session_cookie(email: str) -> str:
    now = datetime.now(UTC)
    with database.open_session(for_writing=True) as session:
        code = auth.sign_in(
            session=session, email=email, password=DEMO_PASSWORD, client_ip="", browser_nonce="tab", now=now
        ).grant_code
        token = auth.redeem_grant(session=session, code=code, browser_nonce="tab", client_ip="", now=now)
    return f"{routes.SESSION_COOKIE}={token}; {routes.BROWSER_COOKIE}=tab"


class Backend:
    """``reflex run --env prod --backend-only`` on the given database, in its own process group."""

    def __init__(self, folder: Path, database_url: str):
        self.folder, self.database_url = folder, database_url
        self.port = _free_port()
        self.url = f"http://localhost:{self.port}"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        environment = os.environ | {
            "REFLEX_DB_URL": self.database_url,
            "PORTAL_PORT": str(self.port),
            "PORTAL_ORIGIN": self.url,
            "REFLEX_TELEMETRY_ENABLED": "false",
            # Its own build folder: the browser tests may be building the pages in the project's.
            "REFLEX_WEB_WORKDIR": str(self.folder / ".web"),
        }
        log = self.folder / f"server-{self.starts}.log"
        command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--backend-only"]
        with log.open("w") as output:
            self.process = subprocess.Popen(
                [*command, "--backend-port", str(self.port)],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        _wait_until_up(self.url, self.process, log)

    def kill(self) -> None:
        """SIGKILL to every process of the server: no shutdown, no flushing, no goodbye."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def logs(self) -> str:
        return "".join(path.read_text(errors="replace") for path in sorted(self.folder.glob("server-*.log")))


@pytest.fixture
def backend(tmp_path) -> Iterator[Backend]:
    url = f"sqlite:///{tmp_path / 'portal.db'}"
    engine = sa.create_engine(url)
    upgrade_to_head(engine)
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    server = Backend(tmp_path, url)
    server.start()
    yield server
    server.kill()
    database.use_engine(None)
    engine.dispose()


@dataclass
class Told:
    """What the people were told succeeded (and how often something was tried)."""

    submitted: list[int] = field(default_factory=list)
    accepted: list[int] = field(default_factory=list)
    tries: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _free_cells(calendar: dict) -> list[tuple[int, int]]:
    return [
        (start, lengths[0])
        for day_states, day_starts, day_lengths in zip(
            calendar["states"], calendar["starts"], calendar["lengths"], strict=True
        )
        for state, start, lengths in zip(day_states, day_starts, day_lengths, strict=True)
        if state == CellState.FREE and start and lengths
    ]


def _request_once(tab: Tab, told: Told, rng: random.Random) -> None:
    """Open the wizard with the provider, choose the service and a free time, Save, Submit."""
    wizard = tab.send(WIZARD, "open_for_provider", answered_by="is_open", slug="robin-park")
    service = wizard["services"][0]["value"]
    wizard = tab.send(WIZARD, "choose_service", answered_by="calendar", value=service)
    week = 0
    while not _free_cells(wizard["calendar"]) and week < 8:
        wizard, week = tab.send(WIZARD, "change_week", answered_by="calendar", step=1), week + 1
    start, minutes = rng.choice(_free_cells(wizard["calendar"]))
    tab.send(WIZARD, "select_time", answered_by="error", start=start, minutes=minutes)
    if tab.send(WIZARD, "save", answered_by="error")["step"] != "review":
        return  # taken meanwhile: the page says so, nothing was submitted
    with told.lock:
        told.tries["submits sent"] += 1
    wizard = tab.send(WIZARD, "submit", answered_by="submitting", settled=False)
    if wizard["step"] == "done":
        submitted = int(wizard["calendar_url"].rsplit("/", 1)[1].removesuffix(".ics"))
        with told.lock:
            told.submitted.append(submitted)


def _keep_requesting(tab: Tab, told: Told, stop: threading.Event, rng: random.Random) -> None:
    try:
        while not stop.is_set():
            _request_once(tab, told, rng)
    except Gone:
        return
    except Exception as error:  # noqa: BLE001 - the test reports it
        told.errors.append(repr(error))


def _requested_of_therapist() -> list[int]:
    with database.open_session() as session:
        robin = session.exec(select(Clinician.id).where(Clinician.slug == "robin-park")).one()
        return list(
            session.exec(
                select(Appointment.id).where(
                    Appointment.clinician_id == robin, Appointment.status == AppointmentStatus.REQUESTED
                )
            ).all()
        )


def _keep_accepting(tab: Tab, told: Told, stop: threading.Event) -> None:
    try:
        while not stop.is_set():
            for appointment_id in _requested_of_therapist():
                with told.lock:
                    told.tries["accepts sent"] += 1
                dashboard = tab.send(
                    DASHBOARD, "accept", answered_by="flash_error", appointment_id=appointment_id
                )
                if dashboard.get("flash") == ACCEPTED_TEXT and not dashboard.get("flash_error"):
                    with told.lock:
                        told.accepted.append(appointment_id)
            time.sleep(0.05)
    except Gone:
        return
    except Exception as error:  # noqa: BLE001 - the test reports it
        told.errors.append(repr(error))


def _run_and_kill(backend: Backend, seconds: float, seed: int) -> Told:
    """Two clients with two tabs each keep requesting, the therapist keeps accepting; after
    ``seconds`` the server is killed mid-flight. Returns what they were told."""
    told, stop = Told(), threading.Event()
    tabs = [
        Tab(backend.url, _session_cookie(email), routes.APPOINTMENTS) for email in CLIENTS for _ in range(2)
    ]
    therapist = Tab(backend.url, _session_cookie(THERAPIST), routes.DASHBOARD)
    workers = [
        threading.Thread(target=_keep_requesting, args=(tab, told, stop, random.Random(seed + index)))
        for index, tab in enumerate(tabs)
    ]
    workers.append(threading.Thread(target=_keep_accepting, args=(therapist, told, stop)))
    for worker in workers:
        worker.start()
    deadline = time.monotonic() + 120
    # Kill once something was told and more is on its way (at least a few of each).
    while time.monotonic() < deadline and (len(told.submitted) < 4 or len(told.accepted) < 2):
        assert not told.errors, told.errors
        time.sleep(0.05)
    time.sleep(seconds)
    backend.kill()
    stop.set()
    for worker in workers:
        worker.join(timeout=90)
    for tab in [*tabs, therapist]:
        tab.close()
    return told


def _check_nothing_lost_doubled_or_half_written(told: Told) -> Counter[str]:
    with database.open_session() as session:
        appointments = {row.id: row for row in session.exec(select(Appointment)).all()}
        moves = Counter(
            (event.appointment_id, event.from_status, event.to_status)
            for event in session.exec(select(AuditEvent)).all()
        )
        emails = Counter((row.appointment_id, row.kind) for row in session.exec(select(EmailOutbox)).all())
        robin = session.exec(select(Clinician.id).where(Clinician.slug == "robin-park")).one()
    found = Counter()
    for appointment_id in told.submitted:
        appointment = appointments.get(appointment_id)
        assert appointment is not None, f"request {appointment_id} was submitted, then lost"
        assert appointment.status in (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
        found["submitted and there"] += 1
    for appointment_id in told.accepted:
        assert appointments[appointment_id].status == AppointmentStatus.CONFIRMED
        found["accepted and confirmed"] += 1
    # Whole, whatever the server was told before it died: each request with its history and
    # emails, each acceptance once, with its email once.
    robins = [row for row in appointments.values() if row.clinician_id == robin]
    for row in robins:
        assert moves[(row.id, None, AppointmentStatus.REQUESTED.value)] == 1, row.id
        assert emails[(row.id, "request_received")] == emails[(row.id, "new_request")] == 1, row.id
        if row.status == AppointmentStatus.CONFIRMED:
            assert moves[(row.id, "requested", "confirmed")] == 1, row.id
            assert emails[(row.id, "accepted")] == 1, row.id
    held = sorted(
        (row.starts_at, row.ends_at)
        for row in robins
        if row.status in (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
    )
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(held)), "double booked"
    assert len({row.request_key for row in robins if row.request_key}) == len(
        [r for r in robins if r.request_key]
    )
    found["requests of the provider"] = len(robins)
    return found


def test_a_backend_killed_mid_flight_loses_nothing_it_confirmed_and_writes_nothing_twice(backend):
    figures = FIGURES.setdefault("kill -9", Counter())
    for round_number, seconds in enumerate((0.0, 0.7)):
        told = _run_and_kill(backend, seconds, seed=round_number * 100)
        backend.start()
        assert not told.errors, told.errors
        found = _check_nothing_lost_doubled_or_half_written(told)
        figures["kills"] += 1
        figures.update(told.tries)
        figures["told submitted"] += len(told.submitted)
        figures["told accepted"] += len(told.accepted)
        figures.update(found)
    # The restarted server works: another request goes through.
    tab = Tab(backend.url, _session_cookie(CLIENTS[0]), routes.APPOINTMENTS)
    told = Told()
    _request_once(tab, told, random.Random(7))
    tab.close()
    assert len(told.submitted) == 1
    assert "Traceback" not in backend.logs()

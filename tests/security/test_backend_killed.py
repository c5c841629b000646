"""A production backend killed (``kill -9``) while clients submit requests and a therapist accepts
them, then started again: every request a client was told was submitted is there, every request
the therapist was told was accepted is confirmed, none twice, none half-written.

The backend is ``reflex run --env prod --backend-only`` (the same event handling as the one-port
server, without building the pages) on a migrated SQLite file with the demo practice. Clients and
the therapist are pages without a browser (``tests.scale_out.portal_socket.PortalTab``: the real
websocket, the events the pages send); "told" means the answer the page would have shown.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import signal
import subprocess
import sys
import time
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
from portal_app.migrations import upgrade_to_head
from portal_app.models import Appointment, AuditEvent, Clinician, EmailOutbox
from portal_app.seed import seed_demo_practice
from portal_app.services.outcome import Outcome
from portal_app.state import wording
from portal_app.state.dashboard import DashboardState
from tests.scale_out.portal_socket import (
    PortalTab,
    Wizard,
    free_times,
    open_week,
    review_time,
    session_cookie,
    submit,
)
from tests.security.conftest import FIGURES
from tests.security.test_in_the_browser import _free_port, _wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ("alex.rivera@example.com", "sam.taylor@example.com")
THERAPIST = "robin.park@example.org"
ACCEPTED_TEXT = wording.OUTCOMES[Outcome.ACCEPTED]
DASHBOARD = DashboardState.get_full_name()


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


# What a page does when the server is gone: its event is never answered.
GONE = (ConnectionError, TimeoutError, socketio.exceptions.SocketIOError)


async def _request_once(tab: PortalTab, told: Told, rng: random.Random) -> None:
    """New Appointment with the provider, a free time of theirs, Save, Submit New Appointment."""
    await open_week(tab, weeks_ahead=0)
    for _ in range(8):
        if free_times(tab):
            break
        await tab.send(Wizard, "change_week", step=1)
    if await review_time(tab, *rng.choice(free_times(tab))) != "review":
        return  # taken meanwhile: the page says so, nothing was submitted
    told.tries["submits sent"] += 1
    if await submit(tab) == "done":
        told.submitted.append(int(tab.vars(Wizard)["calendar_url"].rsplit("/", 1)[1].removesuffix(".ics")))


async def _keep_requesting(tab: PortalTab, told: Told, rng: random.Random) -> None:
    with contextlib.suppress(*GONE):
        while True:
            await _request_once(tab, told, rng)


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


async def _keep_accepting(tab: PortalTab, told: Told) -> None:
    # The answer to an Accept is the delta that sets the dashboard's message (a pushed refresh
    # of the same page does not touch it).
    dashboard = DashboardState.get_full_name()
    answers: list[dict] = []
    tab.on_delta(lambda delta: answers.append(delta.get(dashboard, {})))
    with contextlib.suppress(*GONE):
        while True:
            for appointment_id in _requested_of_therapist():
                told.tries["accepts sent"] += 1
                sent = len(answers)

                def answer(sent: int = sent) -> dict | None:
                    return next((a for a in answers[sent:] if "flash_error_rx_state_" in a), None)

                await tab.send(
                    DashboardState, "accept", appointment_id=appointment_id, until=lambda _: answer()
                )
                if answer()["flash_rx_state_"] == ACCEPTED_TEXT:
                    told.accepted.append(appointment_id)
            await asyncio.sleep(0.05)


def _run_and_kill(backend: Backend, seconds: float, seed: int) -> Told:
    """Two clients with two tabs each keep requesting, the therapist keeps accepting; once some
    of each was told done, ``seconds`` later, the server is killed mid-flight."""
    told = Told()

    async def work_then_kill() -> None:
        cookies = [session_cookie(email, DEMO_PASSWORD) for email in CLIENTS for _ in range(2)]
        tabs = [await PortalTab(backend.url, cookie=cookie).open() for cookie in cookies]
        therapist = PortalTab(
            backend.url, cookie=session_cookie(THERAPIST, DEMO_PASSWORD), path=routes.DASHBOARD
        )
        await therapist.open()
        work = [
            asyncio.create_task(_keep_requesting(tab, told, random.Random(seed + index)))
            for index, tab in enumerate(tabs)
        ]
        work.append(asyncio.create_task(_keep_accepting(therapist, told)))
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (len(told.submitted) < 4 or len(told.accepted) < 2):
            await asyncio.sleep(0.05)
        await asyncio.sleep(seconds)
        backend.kill()
        await asyncio.wait_for(asyncio.gather(*work), timeout=120)
        for tab in [*tabs, therapist]:
            if tab.connected:
                await tab.close()

    asyncio.run(work_then_kill())
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
        found = _check_nothing_lost_doubled_or_half_written(told)
        figures["kills"] += 1
        figures.update(told.tries)
        figures["told submitted"] += len(told.submitted)
        figures["told accepted"] += len(told.accepted)
        figures.update(found)
    # The restarted server works: another request goes through.
    told = Told()

    async def one_more_request() -> None:
        tab = await PortalTab(backend.url, cookie=session_cookie(CLIENTS[0], DEMO_PASSWORD)).open()
        await _request_once(tab, told, random.Random(7))
        await tab.close()

    asyncio.run(one_more_request())
    assert len(told.submitted) == 1
    assert "Traceback" not in backend.logs()

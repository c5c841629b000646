"""The scale-out mode for real: ``reflex run --env prod`` with three workers on PostgreSQL + Redis.

One deployment for the whole module (a production build, then the server), on a throwaway
PostgreSQL database and a Redis database number of its own, with a real SMTP server (aiosmtpd)
counting what arrives. The browser and the websocket clients land on different workers; Reflex's
own record in Redis says which worker holds each tab. The last test kills a worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import psutil
import pytest
import redis
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import func, select

from portal_app import database
from portal_app import models as m
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.migrations import upgrade_to_head
from portal_app.seed import seed_demo_practice
from portal_app.state.appointments import ClientAppointmentsState
from tests.databases import postgres_database
from tests.e2e.conftest import BROWSER_ZONE, CHROMIUM, CHROMIUM_ARGS, fill_sign_in_form, warm_up
from tests.scale_out.portal_socket import (
    REDIS_SERVER,
    PortalTab,
    add_clients,
    free_times,
    open_week,
    own_redis_database,
    request_time,
    review_time,
    session_cookie,
    submit,
    worker_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 3
ALEX = "alex.rivera@example.com"
ROBIN = "robin.park@example.org"
CLIENT_PASSWORD = "a long enough password"
# What connections shared across a fork look like in the log (and any other failure).
BROKEN_CONNECTION = re.compile(
    r"INTRANS|server closed the connection|EMPTY_QUERY|Exception during reset|Traceback", re.IGNORECASE
)
# Well inside the one-minute safety-net poll: only a pushed update arrives in time.
PUSHED_MS = 10_000


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.message_ids.append(str(message["Message-ID"]))
        return "250 Message accepted"


@dataclass
class Deployment:
    url: str
    redis_url: str
    log: Path
    process: subprocess.Popen
    inbox: Inbox

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def worker_pids(self) -> list[int]:
        return [child.pid for child in psutil.Process(self.process.pid).children()]


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _redis_database() -> contextlib.AbstractContextManager[str]:
    try:
        redis.Redis.from_url(REDIS_SERVER).ping()
    except redis.ConnectionError:
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    return own_redis_database()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    """``reflex run --env prod`` with three workers, as ``scripts/scale-out`` starts it."""
    folder = tmp_path_factory.mktemp("scale-out")
    with postgres_database("portal_scale_out") as db_url:
        engine = sa.create_engine(db_url, pool_size=5, max_overflow=60)
        upgrade_to_head(engine)
        database.use_engine(engine)
        with database.open_session(for_writing=True) as session:
            seed_demo_practice(session=session, now=datetime.now(UTC))
        inbox, smtp_port = Inbox(), _free_port()
        smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
        smtp.start()
        with _redis_database() as redis_url:
            port = _free_port()
            url = f"http://localhost:{port}"
            environment = os.environ | {
                "REFLEX_DB_URL": db_url,
                "REFLEX_REDIS_URL": redis_url,
                "GRANIAN_WORKERS": str(WORKERS),
                "PORTAL_PORT": str(port),
                "PORTAL_ORIGIN": url,
                "PORTAL_SMTP_HOST": "127.0.0.1",
                "PORTAL_SMTP_PORT": str(smtp_port),
                "PORTAL_SMTP_SECURITY": "none",
                "PORTAL_SMTP_FROM": "office@oak-street.example",
                "REFLEX_TELEMETRY_ENABLED": "false",
            }
            command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
            command += ["--frontend-port", str(port), "--backend-port", str(port)]
            log = folder / "server.log"
            with log.open("w") as output:
                process = subprocess.Popen(
                    command,
                    cwd=ROOT,
                    env=environment,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: it and its workers stop together
                )
            served = Deployment(url=url, redis_url=redis_url, log=log, process=process, inbox=inbox)
            try:
                _wait_until_up(served)
                _warm_every_worker(served)
                yield served
            finally:
                _stop(process)
                smtp.stop()
                database.use_engine(None)
                engine.dispose()


def _wait_until_up(served: Deployment) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"the server stopped:\n{served.log_text()[-3000:]}")
        try:
            if (
                httpx.get(f"{served.url}/ping", timeout=2).status_code == 200
                and len(served.worker_pids()) == WORKERS
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"the server did not start in 5 minutes:\n{served.log_text()[-3000:]}")


def _warm_every_worker(served: Deployment) -> None:
    """Have every worker answer a page's first events before a test times one.

    A worker's first events (its states built, its connections opened) took longer than a page's
    15-second wait on this machine while the rest of the suite ran beside it.
    """

    async def warm() -> None:
        tabs: list[PortalTab] = []
        try:
            for _ in range(40):
                tabs.append(await PortalTab(served.url, cookie=session_cookie(ALEX, DEMO_PASSWORD)).open())
                if set(_worker_pids_of(served, tabs)) == set(served.worker_pids()):
                    return
            pytest.fail("40 tabs did not reach every worker")
        finally:
            for tab in tabs:
                await tab.close()

    _run(warm())


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _no_broken_connections(served: Deployment) -> None:
    found = [line for line in served.log_text().splitlines() if BROKEN_CONNECTION.search(line)]
    assert found == [], "\n".join(found[:20])


def _run(coroutine):
    """Run the websocket clients' coroutine to its end, in a thread of its own.

    Playwright's sync API keeps an event loop running in the test's thread.
    """
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def chromium(deployment) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm_up(browser, deployment.url)
        yield browser
        browser.close()


def _signed_in_page(chromium: Browser, served: Deployment, email: str, home: str) -> Page:
    context = chromium.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 860})
    page = fill_sign_in_form(context.new_page(), served.url, email, DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(rf"{home}/?$"))
    return page


def _page_worker(page: Page, served: Deployment) -> str:
    """The worker holding the page's websocket (Reflex's record in Redis of the tab's token).

    Read until two readings agree: right after a reload the page may still be changing token.
    """
    readings: list[str | None] = []
    deadline = time.monotonic() + 30
    while len(readings) < 2 or readings[-1] != readings[-2] or readings[-1] is None:
        assert time.monotonic() < deadline, f"the page's websocket is not recorded in Redis: {readings}"
        token = page.evaluate("window.sessionStorage.getItem('token')")
        readings.append(_run(worker_of(served.redis_url, token)))
        time.sleep(0.2)
    return str(readings[-1])


def test_a_decision_reaches_the_clients_page_held_by_another_worker(deployment, chromium):
    # A request of Alex's with Robin Park, made over the real websocket.
    async def request() -> str:
        tab = await PortalTab(deployment.url, cookie=session_cookie(ALEX, DEMO_PASSWORD)).open()
        await open_week(tab, weeks_ahead=2)
        start, minutes = free_times(tab)[0]
        outcome = await request_time(tab, start, minutes)
        await tab.close()
        return outcome

    assert _run(request()) == "done"
    client = _signed_in_page(chromium, deployment, ALEX, "/appointments")
    requested = client.get_by_role("button", name=re.compile(r"Robin Park, .*Unconfirmed"))
    expect(requested).to_have_count(1)
    client.evaluate("window.__not_reloaded = true")
    client_worker = _page_worker(client, deployment)

    therapist = _signed_in_page(chromium, deployment, ROBIN, "/dashboard")
    # Another tab opens a websocket of its own, with a token of its own, which the kernel may hand
    # to any worker. (A reload keeps the tab's token, which the first worker may still hold: the
    # page then waits to be told it is a duplicate before it draws.)
    for _attempt in range(30):
        if _page_worker(therapist, deployment) != client_worker:
            break
        another = therapist.context.new_page()
        another.goto(deployment.url + "/dashboard")
        therapist.close()
        therapist = another
        expect(therapist.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    assert _page_worker(therapist, deployment) != client_worker, "both pages stayed on one worker"

    card = therapist.get_by_role("group", name=re.compile(r"Request from Alex Rivera"))
    card.get_by_role("button", name="Accept").click()
    expect(therapist.get_by_role("status").filter(has_text="Accepted")).to_be_visible()

    confirmed = client.get_by_role("button", name=re.compile(r"Robin Park, .*(?<!Un)Confirmed"))
    expect(confirmed).to_have_count(1, timeout=PUSHED_MS)
    expect(requested).to_have_count(0)
    assert client.evaluate("window.__not_reloaded") is True
    _no_broken_connections(deployment)


def test_fifty_clients_on_three_workers_race_for_one_time_and_one_wins(deployment):
    emails = add_clients(50, prefix="racer", password=CLIENT_PASSWORD)

    async def race() -> tuple[list[str], set[str]]:
        tabs = [PortalTab(deployment.url, cookie=session_cookie(email, CLIENT_PASSWORD)) for email in emails]
        await asyncio.gather(*(tab.open() for tab in tabs))
        await asyncio.gather(*(open_week(tab, weeks_ahead=3) for tab in tabs))
        start, minutes = free_times(tabs[0])[-1]
        reviewed = await asyncio.gather(*(review_time(tab, start, minutes) for tab in tabs))
        assert set(reviewed) == {"review"}
        outcomes = await asyncio.gather(*(submit(tab) for tab in tabs))
        workers = set(_worker_pids_of(deployment, tabs))
        await asyncio.gather(*(tab.close() for tab in tabs))
        return list(outcomes), workers

    outcomes, workers = _run(race())

    assert workers == set(deployment.worker_pids()), "the 50 tabs were not spread over every worker"
    assert outcomes.count("done") == 1
    assert all("just taken" in outcome for outcome in outcomes if outcome != "done")
    _no_broken_connections(deployment)


def test_the_outbox_is_delivered_exactly_once_by_three_workers(deployment):
    # The requests and decisions above wrote emails; the workers' senders share one lease.
    with database.open_session() as session:
        written = session.exec(select(func.count()).select_from(m.EmailOutbox)).one()
    assert written >= 2

    deadline = time.monotonic() + 150  # a sender round every 30 s, a lease for 90 s
    while time.monotonic() < deadline:
        with database.open_session() as session:
            waiting = session.exec(
                select(func.count()).select_from(m.EmailOutbox).where(m.EmailOutbox.sent_at.is_(None))
            ).one()
        if waiting == 0:
            break
        time.sleep(2)

    with database.open_session() as session:
        rows = session.exec(select(m.EmailOutbox)).all()
    assert [row for row in rows if row.sent_at is None] == []
    received = Counter(deployment.inbox.message_ids)
    assert len(received) == len(rows)
    assert set(received.values()) == {1}, [mid for mid, times in received.items() if times > 1]
    _no_broken_connections(deployment)


def test_killing_a_worker_mid_submit_loses_no_request(deployment):
    emails = add_clients(30, prefix="submitter", password=CLIENT_PASSWORD)
    cookies = [session_cookie(email, CLIENT_PASSWORD) for email in emails]

    async def submit_while_a_worker_dies() -> tuple[dict[int, str], dict[int, str], int]:
        tabs = [PortalTab(deployment.url, cookie=cookie) for cookie in cookies]
        await asyncio.gather(*(tab.open() for tab in tabs))
        await asyncio.gather(*(open_week(tab, weeks_ahead=5) for tab in tabs))
        times = free_times(tabs[0])[::8]  # two hours apart: no two overlap
        reviewed = await asyncio.gather(*(review_time(tab, *times[i]) for i, tab in enumerate(tabs)))
        assert set(reviewed) == {"review"}
        holders = _worker_pids_of(deployment, tabs)
        victim, on_the_victim = Counter(holders).most_common(1)[0]

        async def submit_one(index: int) -> tuple[int, str]:
            try:
                return index, await submit(tabs[index])
            except (ConnectionError, TimeoutError):
                return index, "no answer"

        submits = [asyncio.create_task(submit_one(index)) for index in range(len(tabs))]
        await asyncio.sleep(0.02)  # the submits are on their way, some already in a transaction
        os.kill(victim, signal.SIGKILL)
        answers = dict(await asyncio.gather(*submits))
        await asyncio.gather(*(tab.close() for tab in tabs if tab.connected))

        # As a browser does, each page whose connection dropped reconnects with its token, and
        # shows the client's requests. (Reflex still holds the dead worker's record of the token
        # in Redis, takes the page for a duplicated tab and gives it a fresh token and state:
        # the wizard is closed, the Appointments page loads anew.)
        async def come_back(index: int) -> tuple[int, int]:
            tab = await PortalTab(deployment.url, cookie=cookies[index], token=tabs[index].token).open()
            shown = len(tab.vars(ClientAppointmentsState)["requested"])
            await tab.close()
            return index, shown

        await _until_serving(deployment)
        unanswered = [index for index, answer in answers.items() if answer == "no answer"]
        shown = dict(await asyncio.gather(*(come_back(index) for index in unanswered)))
        return answers, shown, on_the_victim

    answers, shown, on_the_victim = _run(submit_while_a_worker_dies())

    assert len(shown) == on_the_victim > 0
    assert set(answers.values()) == {"done", "no answer"}
    with database.open_session() as session:
        stored = dict(
            session.exec(
                select(m.User.email, func.count())
                .join(m.Client, m.Client.user_id == m.User.id)
                .join(m.Appointment, m.Appointment.client_id == m.Client.id)
                .where(m.User.email.startswith("submitter"))
                .group_by(m.User.email)
            ).all()
        )
    acknowledged = [emails[index] for index, answer in answers.items() if answer == "done"]
    # Every acknowledged request is stored once; an unanswered one at most once, and its client
    # sees on the page exactly what was stored.
    assert {email: stored.get(email) for email in acknowledged} == dict.fromkeys(acknowledged, 1)
    assert set(stored.values()) == {1}
    assert shown == {index: stored.get(emails[index], 0) for index in shown}
    _no_broken_connections(deployment)


async def _until_serving(served: Deployment) -> None:
    """The supervisor replaced the dead worker: the full number of workers again, answering."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            pytest.fail(f"the server stopped when one worker died:\n{served.log_text()[-2000:]}")
        if len(served.worker_pids()) == WORKERS:
            return
        await asyncio.sleep(0.5)
    pytest.fail("the dead worker was not replaced within a minute")


def _worker_pids_of(served: Deployment, tabs: list[PortalTab]) -> list[int]:
    """For each tab, the worker process holding its websocket: the one whose peer port it uses."""
    holder_of_port = {
        connection.raddr.port: worker
        for worker in served.worker_pids()
        for connection in psutil.Process(worker).net_connections(kind="tcp")
        if connection.status == psutil.CONN_ESTABLISHED and connection.raddr
    }
    return [holder_of_port[tab.local_port] for tab in tabs]

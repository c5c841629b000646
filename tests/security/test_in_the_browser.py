"""The portal as production serves it (``reflex run --env prod``: one port, granian), in Chromium:
the pages work under the Content-Security-Policy, the cookies carry their flags, another site
cannot sign anyone out, and forged websocket events leave no secret in the server's log.

Slow (a production build, then a real server): one server for the whole module.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import socketio
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from portal_app import database, routes
from portal_app.demo_logins import DEMO_PASSWORD
from portal_app.migrations import upgrade_to_head
from portal_app.seed import seed_demo_practice
from portal_app.services import auth
from portal_app.state.session import SessionState
from tests.e2e.booking_fixtures import PROVIDER, BookableProvider, open_wizard_at_next_week
from tests.e2e.conftest import BROWSER_ZONE, CHROMIUM, CHROMIUM_ARGS, warm_up

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ALEX = "alex.rivera@example.com"
MAYA = "maya.chen@example.org"
# Records every CSP violation the page sees, before any of its own scripts run.
WATCH_CSP = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    provider: BookableProvider

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the production server stopped:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    pytest.fail(f"the production server did not start in 5 minutes:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    """``reflex run --env prod`` on a free port, on a migrated and seeded database of its own."""
    folder = tmp_path_factory.mktemp("production")
    engine = sa.create_engine(f"sqlite:///{folder / 'portal.db'}")
    upgrade_to_head(engine)
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    provider = PROVIDER
    port = _free_port()
    url = f"http://localhost:{port}"
    environment = os.environ | {
        "REFLEX_DB_URL": f"sqlite:///{folder / 'portal.db'}",
        "PORTAL_PORT": str(port),
        "PORTAL_ORIGIN": url,
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    # As scripts/demo runs it: one port for both, so the server hands out the pages too.
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
    command.extend(["--frontend-port", str(port), "--backend-port", str(port)])
    log = folder / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it and its workers stop together
        )
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, log=log, provider=provider)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        database.use_engine(None)
        engine.dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def warmed(chromium, server) -> None:
    """The production server's first page, waited for once (see ``tests.e2e.conftest.warm_up``)."""
    warm_up(chromium, server.url)


@pytest.fixture
def context(chromium, warmed) -> Iterator[BrowserContext]:
    context = chromium.new_context(timezone_id=BROWSER_ZONE, viewport={"width": 1280, "height": 860})
    context.add_init_script(WATCH_CSP)
    yield context
    context.close()


class Watched:
    """A page with everything the console and the CSP report collected."""

    def __init__(self, context: BrowserContext, base_url: str):
        self.page: Page = context.new_page()
        self.base_url = base_url
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on(
            "console",
            lambda message: (
                self.problems.append(f"console: {message.text}")
                if message.type == "error" or "Content Security Policy" in message.text
                else None
            ),
        )

    def csp_violations(self) -> list[str]:
        return self.page.evaluate("window.__csp")

    def sign_in(self, email: str) -> Page:
        self.page.goto(f"{self.base_url}{routes.LOGIN}")
        self.page.get_by_label("Email").fill(email)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        return self.page


def test_sign_in_booking_and_dashboard_work_with_no_policy_violation(server, context, chromium):
    client = Watched(context, server.url)
    page = client.sign_in(ALEX)
    expect(page).to_have_url(re.compile(r"/appointments/?$"))
    expect(page.get_by_role("heading", name="Upcoming")).to_be_visible()
    open_wizard_at_next_week(page, server.provider)  # the week grid: our own JS component
    expect(page.get_by_role("dialog", name="New Appointment").get_by_role("grid")).to_be_visible()
    assert client.csp_violations() == []

    staff_context = chromium.new_context(timezone_id=BROWSER_ZONE)
    staff_context.add_init_script(WATCH_CSP)
    therapist = Watched(staff_context, server.url)
    dashboard = therapist.sign_in(MAYA)
    expect(dashboard).to_have_url(re.compile(r"/dashboard/?$"))
    expect(dashboard.get_by_role("heading", name="Requests waiting for you")).to_be_visible()
    assert therapist.csp_violations() == []
    staff_context.close()

    assert client.problems == []
    assert therapist.problems == []
    # And the policy is really enforced: a script slipped into the page does not run.
    with contextlib.suppress(PlaywrightError):
        page.add_script_tag(content="window.__slipped_in = true")
    assert page.evaluate("window.__slipped_in") is None
    assert any(violation.startswith("script-src") for violation in client.csp_violations())


@pytest.mark.parametrize("path", [f"{routes.LOGIN}/", "/appointments/", "/", routes.API_HEALTH, "/ping"])
def test_every_page_and_route_is_served_with_the_security_headers(server, path):
    response = httpx.get(f"{server.url}{path}")

    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    if response.headers["content-type"].startswith("text/html"):
        assert re.search(r"script-src 'self' 'unsafe-eval'( 'sha256-[\w+/=]+')+;", policy)
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_the_cookies_are_http_only_and_same_site(server, context):
    page = Watched(context, server.url).sign_in(ALEX)
    expect(page).to_have_url(re.compile(r"/appointments/?$"))

    cookies = {cookie["name"]: cookie for cookie in context.cookies()}

    assert cookies[routes.SESSION_COOKIE]["httpOnly"] is True
    assert cookies[routes.SESSION_COOKIE]["sameSite"] == "Lax"
    assert cookies[routes.BROWSER_COOKIE]["httpOnly"] is True
    assert cookies[routes.BROWSER_COOKIE]["sameSite"] == "Strict"


def test_another_site_cannot_sign_you_out(server, context):
    page = Watched(context, server.url).sign_in(ALEX)
    expect(page).to_have_url(re.compile(r"/appointments/?$"))
    session = next(c["value"] for c in context.cookies() if c["name"] == routes.SESSION_COOKIE)
    sign_out = f"{server.url}{routes.API_SIGN_OUT}"
    attack = (
        f'<img src="{sign_out}"><iframe name="sink"></iframe>'
        f'<form id="f" method="post" action="{sign_out}" target="sink"></form>'
        "<script>fetch(" + repr(sign_out) + ", {method: 'POST', mode: 'no-cors', credentials: 'include'});"
        "document.getElementById('f').submit()</script>"
    )
    context.route(
        "http://elsewhere.test/", lambda route: route.fulfill(content_type="text/html", body=attack)
    )

    page.goto("http://elsewhere.test/")
    page.wait_for_load_state("networkidle")

    page.goto(f"{server.url}/appointments")
    expect(page.get_by_role("heading", name="Upcoming")).to_be_visible()
    assert session in [c["value"] for c in context.cookies() if c["name"] == routes.SESSION_COOKIE]


def test_forged_events_leave_no_cookie_or_traceback_in_the_server_log(server):
    now = datetime.now(UTC)
    with database.open_session(for_writing=True) as session:
        code = auth.sign_in(
            session=session, email=ALEX, password=DEMO_PASSWORD, client_ip="", browser_nonce="b", now=now
        ).grant_code
        token = auth.redeem_grant(session=session, code=code, browser_nonce="b", client_ip="", now=now)
    client = socketio.Client()
    client.connect(
        f"{server.url}?token={uuid.uuid4()}",
        socketio_path="/_event",
        transports=["websocket"],
        namespaces=["/_event"],
        headers={"Cookie": f"{routes.SESSION_COOKIE}={token}; {routes.BROWSER_COOKIE}=the-browser-secret"},
    )
    router_data = {"pathname": "/appointments", "query": {}, "asPath": "/appointments"}
    handlers = SessionState.get_full_name()
    forged = [
        {"name": f"{handlers}.no_such_handler", "payload": {}},
        {"name": f"{handlers}.set_browser_zone", "payload": {"zone": "UTC", "extra": "argument"}},
    ]
    try:
        for event in forged:
            client.emit("event", event | {"router_data": router_data}, namespace="/_event")
        deadline = time.monotonic() + 30
        while "arguments its handler does not take" not in server.log_text() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        client.disconnect()

    log = server.log_text()
    assert "Refused an event for an unknown handler" in log
    assert "Refused an event with arguments its handler does not take" in log
    assert token not in log
    assert "the-browser-secret" not in log
    assert "Traceback" not in log

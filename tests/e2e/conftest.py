"""The portal in Debian's Chromium: served here from a fresh demo database, or any URL given.

Without ``PORTAL_URL`` the real app is built and served as in production (``AppHarnessProd``)
on a migrated SQLite database seeded with the demo practice. With ``PORTAL_URL`` the same flows
run against that deployment, which should hold the demo practice as
``python -m portal_app.seed --reset-demo`` leaves it; logins come from ``tests/e2e/logins.py``.

Each role signs in through the form once per run; its cookies (Playwright storage state) then
open any number of tabs already signed in. Tests about signing in use the form themselves.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from reflex.testing import AppHarnessProd

from portal_app import database
from portal_app.migrations import upgrade_to_head
from portal_app.seed import DEMO_PASSWORD, seed_demo_practice
from tests.e2e.booking_fixtures import PROVIDER, BookableProvider
from tests.e2e.logins import Login
from tests.smtp_server import SmtpServer

ROOT = Path(__file__).resolve().parents[2]
PORTAL_URL = os.environ.get("PORTAL_URL", "").strip().rstrip("/")
ARTIFACTS = Path(os.environ.get("PORTAL_TEST_ARTIFACTS", ROOT / "test-artifacts"))
# Traces are recorded for every tab and kept only when its test fails. "snapshots" (the DOM at
# each action) costs about a tenth more CPU than none; "full" adds a filmstrip, a quarter more.
TRACE = os.environ.get("PORTAL_TRACE", "snapshots")
if TRACE not in ("snapshots", "full", "off"):
    raise pytest.UsageError(f"PORTAL_TRACE must be snapshots, full or off, not {TRACE!r}")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_ZONE = "America/Chicago"
# Reduced motion: Radix skips its open and close animations, which Playwright would wait out.
CONTEXT_OPTIONS = {
    "timezone_id": BROWSER_ZONE,
    "viewport": {"width": 1280, "height": 860},
    "reduced_motion": "reduce",
}

pytestmark = pytest.mark.e2e
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the test, so its tabs know at teardown whether it failed."""
    report = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    return report


def _failed(item: pytest.Item) -> bool:
    return any(report.failed for report in item.stash.get(_REPORTS, {}).values())


def _migrated_database(path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    upgrade_to_head(engine)
    return engine


# The portal started here sends its mail to a real SMTP server of the test's, a round a second.
MAIL_ENVIRONMENT = {"PORTAL_SMTP_SECURITY": "none", "PORTAL_MAIL_ROUND_SECONDS": "1"}


@pytest.fixture(scope="package")
def mail_server() -> Iterator[SmtpServer | None]:
    """What the portal started here emails (None against a deployment: read its Email outbox)."""
    if PORTAL_URL:
        yield None
        return
    server = SmtpServer()
    server.start()
    settings = MAIL_ENVIRONMENT | {
        "PORTAL_SMTP_HOST": server.settings.host,
        "PORTAL_SMTP_PORT": str(server.port),
        "PORTAL_SMTP_FROM": server.settings.from_address,
    }
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield server
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    server.stop()


@pytest.fixture(scope="package")
def portal_url(tmp_path_factory, mail_server) -> Iterator[str]:
    """Where the portal under test is served: ``PORTAL_URL``, or here on a fresh demo database."""
    if PORTAL_URL:
        yield PORTAL_URL
        return
    # The harness builds the app itself; an App already built in this process (a test module
    # importing portal_app.portal_app) leaves the served pages without a working websocket.
    assert "portal_app.portal_app" not in sys.modules, "a test imported portal_app.portal_app"
    engine = _migrated_database(tmp_path_factory.mktemp("e2e") / "portal.db")
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    with AppHarnessProd.create(root=ROOT, app_name="portal_app") as harness:
        yield harness.frontend_url.rstrip("/")
    database.use_engine(None)
    engine.dispose()


@pytest.fixture
def provider() -> BookableProvider:
    """The demo clinician open every day, whom the booking and review flows book with."""
    return PROVIDER


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _ErrorRecords(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_logged_errors() -> Iterator[None]:
    """Any ERROR logged by the app during a test fails it (when the app runs in this process)."""
    handler = _ErrorRecords()
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    assert not [record.getMessage() for record in handler.records]


# A freshly built portal's first page costs Chromium its whole first parse of the bundles; on
# a busy 2-core machine that alone can pass a test's own timeouts, so it is waited for once.
COLD_START_MS = 120_000


def warm_up(browser: Browser, base_url: str) -> None:
    """Open the sign-in page once and wait, generously, until it can be used."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    try:
        page = context.new_page()
        page.goto(base_url + "/login", timeout=COLD_START_MS)
        expect(page.get_by_role("button", name="Sign in")).to_be_enabled(timeout=COLD_START_MS)
    finally:
        context.close()


def fill_sign_in_form(page: Page, base_url: str, email: str, password: str) -> Page:
    """Open the sign-in page and sign in as a person would."""
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    return page


@pytest.fixture(scope="package")
def signed_in_state(browser, portal_url) -> Callable[[Login], dict]:
    """A login's cookies after signing in through the form, once per run and login."""
    states: dict[Login, dict] = {}
    warm_up(browser, portal_url)

    def state_for(login: Login) -> dict:
        if login not in states:
            context = browser.new_context(**CONTEXT_OPTIONS)
            try:
                page = fill_sign_in_form(context.new_page(), portal_url, login.email, login.password)
                expect(
                    page,
                    f"{login.email} could not sign in at {portal_url}: does it hold the demo practice "
                    f"(python -m portal_app.seed --reset-demo), and are PORTAL_{login.role.upper()}_EMAIL "
                    "and _PASSWORD right?",
                ).to_have_url(re.compile(rf"{re.escape(login.home)}/?$"))
                states[login] = context.storage_state()
            finally:
                context.close()
        return states[login]

    return state_for


class Tab:
    """One browser context with one page, collecting page errors and sent websocket frames.

    The context opens on first use: already signed in (``open_as``) or signed out.
    """

    def __init__(self, browser: Browser, base_url: str, options: dict, signed_in_state):
        self.base_url = base_url
        self.errors: list[str] = []
        self.sent_frames: list[str] = []
        self._browser = browser
        self._options = options
        self._signed_in_state = signed_in_state
        self._context: BrowserContext | None = None
        self._page: Page | None = None

    def _start(self, **extra_options) -> None:
        assert self._context is None, "this tab is already open; use new_tab() for another person"
        self._context = self._browser.new_context(**self._options, **extra_options)
        if TRACE != "off":
            self._context.tracing.start(snapshots=True, screenshots=TRACE == "full")
        page = self._context.new_page()
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("websocket", lambda ws: ws.on("framesent", lambda frame: self.sent_frames.append(frame)))
        self._page = page

    @property
    def context(self) -> BrowserContext:
        if self._context is None:
            self._start()
        return self._context

    @property
    def page(self) -> Page:
        if self._page is None:
            self._start()
        return self._page

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, who: Login | str, password: str | None = None) -> Page:
        """Sign in through the form (``who``: a login, or an email with the demo password)."""
        email = who.email if isinstance(who, Login) else who
        password = password or (who.password if isinstance(who, Login) else DEMO_PASSWORD)
        return fill_sign_in_form(self.page, self.base_url, email, password)

    def open_as(self, login: Login, path: str | None = None) -> Page:
        """Open ``path`` (the login's home page by default) already signed in as ``login``."""
        self._start(storage_state=self._signed_in_state(login))
        return self.open(path or login.home)

    def session_cookie(self) -> str | None:
        return next((c["value"] for c in self.context.cookies() if c["name"] == "portal_session"), None)

    def keep_evidence(self, folder: Path, name: str) -> None:
        """Save a screenshot and the Playwright trace (open with ``playwright show-trace``)."""
        if self._page is not None and not self._page.is_closed():
            self._page.screenshot(path=folder / f"{name}.png", full_page=True)
        if self._context is not None and TRACE != "off":
            self._context.tracing.stop(path=folder / f"{name}-trace.zip")

    def close(self) -> None:
        if self._context is not None:
            self._context.close()


def _artifact_folder(item: pytest.Item) -> Path:
    return ARTIFACTS / re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_")


@pytest.fixture
def new_tab(request, portal_url, browser, signed_in_state) -> Iterator[Callable[..., Tab]]:
    """Opens independent browser tabs (separate cookies), in the browser zone America/Chicago.

    When the test fails, or a page raised an error, each tab's screenshot and trace are kept
    under ``test-artifacts/<test id>/``.
    """
    tabs: list[Tab] = []

    def open_tab(**context_options) -> Tab:
        tab = Tab(browser, portal_url, CONTEXT_OPTIONS | context_options, signed_in_state)
        tabs.append(tab)
        return tab

    yield open_tab
    # The folder holds this test's latest run only: a pass removes an earlier failure's evidence.
    folder = _artifact_folder(request.node)
    shutil.rmtree(folder, ignore_errors=True)
    if _failed(request.node) or any(tab.errors for tab in tabs):
        folder.mkdir(parents=True, exist_ok=True)
        for number, tab in enumerate(tabs, start=1):
            tab.keep_evidence(folder, f"tab-{number}")
    for tab in tabs:
        tab.close()
    for tab in tabs:
        assert not tab.errors, tab.errors


@pytest.fixture
def tab(new_tab) -> Tab:
    return new_tab()


expect.set_options(timeout=15_000)

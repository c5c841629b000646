"""The real app (production build) on a temporary database, driven by Debian's Chromium."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from reflex.testing import AppHarnessProd

from portal_app import database
from portal_app.migrations import upgrade_to_head
from portal_app.seed import DEMO_PASSWORD, seed_demo_practice
from tests.e2e.booking_fixtures import BookableProvider, create_test_provider

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_ZONE = "America/Chicago"

pytestmark = pytest.mark.e2e


def _migrated_database(path: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    upgrade_to_head(engine)
    return engine


@pytest.fixture(scope="package")
def portal(tmp_path_factory) -> Iterator[AppHarnessProd]:
    """The portal served as in production, on a migrated and seeded database of its own."""
    engine = _migrated_database(tmp_path_factory.mktemp("e2e") / "portal.db")
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    with AppHarnessProd.create(root=ROOT, app_name="portal_app") as harness:
        yield harness
    database.use_engine(None)
    engine.dispose()


@pytest.fixture(scope="package")
def provider(portal) -> BookableProvider:
    """A clinician with every day open, created once for the booking and review tests."""
    return create_test_provider()


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
    """Any ERROR logged by the app during a test fails it."""
    handler = _ErrorRecords()
    logging.getLogger().addHandler(handler)
    yield
    logging.getLogger().removeHandler(handler)
    assert not [record.getMessage() for record in handler.records]


class Tab:
    """A browser context with one page, collecting page errors."""

    def __init__(self, context: BrowserContext, base_url: str):
        self.context = context
        self.base_url = base_url.rstrip("/")
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.sent_frames: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("websocket", lambda ws: ws.on("framesent", lambda frame: self.sent_frames.append(frame)))

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        return self.page

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> Page:
        page = self.open("/login")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        return page

    def session_cookie(self) -> str | None:
        return next((c["value"] for c in self.context.cookies() if c["name"] == "portal_session"), None)


@pytest.fixture
def new_tab(portal, browser) -> Iterator:
    """Opens independent browser tabs (separate cookies), in the browser zone America/Chicago."""
    tabs: list[Tab] = []

    def open_tab(**context_options) -> Tab:
        options = {"timezone_id": BROWSER_ZONE, "viewport": {"width": 1280, "height": 860}} | context_options
        tab = Tab(browser.new_context(**options), portal.frontend_url)
        tabs.append(tab)
        return tab

    yield open_tab
    for tab in tabs:
        assert not tab.errors, tab.errors
        tab.context.close()


@pytest.fixture
def tab(new_tab) -> Tab:
    return new_tab()


expect.set_options(timeout=15_000)

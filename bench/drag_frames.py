"""Benchmark: websocket frames per drag and time from mouse-up to the selection shown.

Compares the booking wizard's week picker (the selection is drawn in the browser, one event on
release) with a naive grid of Reflex ``on_mouse_enter`` cells, and measures a bare Reflex
counter's round trip in the same run as the yardstick for latency.

    .venv/bin/python bench/drag_frames.py

Needs bun on PATH with REFLEX_USE_SYSTEM_BUN=1 (scripts/lib/setup.sh sets both) and Chromium.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ORIGIN", "*")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

import sqlalchemy as sa  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from reflex.testing import AppHarnessProd  # noqa: E402

from portal_app import database  # noqa: E402
from portal_app.migrations import upgrade_to_head  # noqa: E402
from portal_app.seed import seed_demo_practice  # noqa: E402
from tests.e2e.booking_fixtures import create_test_provider, open_wizard_at_next_week  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, Tab  # noqa: E402

WARM_UP, ROUNDS = 5, 30


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, round(0.95 * len(ordered)) - 1)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_naive_app(folder: Path) -> tuple[subprocess.Popen, str]:
    """The comparison app as its own Reflex project, served in production mode."""
    (folder / "naive").mkdir(parents=True)
    (folder / "naive" / "__init__.py").write_text("")
    shutil.copy(ROOT / "bench" / "naive_grid_app.py", folder / "naive" / "naive.py")
    (folder / "rxconfig.py").write_text(
        "import reflex as rx\n"
        "config = rx.Config(app_name='naive', telemetry_enabled=False, show_built_with_reflex=False,\n"
        "                   disable_plugins=[rx.plugins.SitemapPlugin])\n"
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "reflex",
            "run",
            "--env",
            "prod",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/ping", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("the comparison app did not start")


def measure_week_picker(browser, base_url: str) -> tuple[list[int], list[float]]:
    tab = Tab(
        browser.new_context(timezone_id="America/Chicago", viewport={"width": 1280, "height": 900}), base_url
    )
    page = tab.sign_in("alex.rivera@example.com")
    open_wizard_at_next_week(page, PROVIDER)
    status = page.get_by_role("status").filter(has_text="Selected:")
    free = page.locator('[role="gridcell"][data-state="free"]')
    frames, latencies = [], []
    for round_number in range(WARM_UP + ROUNDS):
        cell = free.nth(round_number * 7 % free.count())
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        before_text = status.inner_text() if status.count() else ""
        sent_before = len(tab.sent_frames)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 4 + 3 * box["height"], steps=12)
        started = time.perf_counter()
        page.mouse.up()
        page.wait_for_function(
            "previous => { const s = [...document.querySelectorAll('[role=status]')]"
            ".find(e => e.textContent.includes('Selected:')); return s && s.textContent !== previous; }",
            arg=before_text,
        )
        elapsed = (time.perf_counter() - started) * 1000
        if round_number >= WARM_UP:
            latencies.append(elapsed)
            frames.append(len(tab.sent_frames) - sent_before)
    tab.context.close()
    return frames, latencies


def measure_naive_grid(browser, url: str) -> tuple[list[int], list[float]]:
    tab = Tab(browser.new_context(viewport={"width": 1280, "height": 900}), url)
    page = tab.open("/")
    page.get_by_role("button", name="Add one").wait_for()
    frames, round_trips = [], []
    for round_number in range(WARM_UP + ROUNDS):
        first = page.locator(f"#cell-{(round_number % 7) + 7}").bounding_box()
        last = page.locator(f"#cell-{(round_number % 7) + 7 * 6}").bounding_box()
        sent_before = len(tab.sent_frames)
        page.mouse.move(first["x"] + 5, first["y"] + 5)
        page.mouse.down()
        page.mouse.move(last["x"] + 5, last["y"] + 5, steps=12)
        page.mouse.up()
        page.wait_for_function("document.querySelector('#selected-count').textContent === '6'")
        if round_number >= WARM_UP:
            frames.append(len(tab.sent_frames) - sent_before)
        count_before = int(page.locator("#count").inner_text())
        # Timed like the drag: from the releasing mouse event, not Playwright's click checks.
        button = page.get_by_role("button", name="Add one").bounding_box()
        page.mouse.move(button["x"] + button["width"] / 2, button["y"] + button["height"] / 2)
        page.mouse.down()
        started = time.perf_counter()
        page.mouse.up()
        page.wait_for_function(f"document.querySelector('#count').textContent === '{count_before + 1}'")
        if round_number >= WARM_UP:
            round_trips.append((time.perf_counter() - started) * 1000)
        page.evaluate("window.scrollTo(0, 0)")
    tab.context.close()
    return frames, round_trips


def main() -> None:
    global PROVIDER
    workdir = Path(tempfile.mkdtemp(prefix="drag-bench-"))
    engine = sa.create_engine(f"sqlite:///{workdir / 'portal.db'}", connect_args={"check_same_thread": False})
    upgrade_to_head(engine)
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    PROVIDER = create_test_provider()
    naive_server, naive_url = _start_naive_app(workdir / "naive-app")
    try:
        with (
            AppHarnessProd.create(root=ROOT, app_name="portal_app") as portal,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            picker_frames, picker_latency = measure_week_picker(browser, portal.frontend_url)
            naive_frames, counter_latency = measure_naive_grid(browser, naive_url)
            browser.close()
    finally:
        os.killpg(naive_server.pid, 15)
        naive_server.wait(timeout=30)
        database.use_engine(None)
        shutil.rmtree(workdir, ignore_errors=True)

    picker_p50, picker_p95 = _percentiles(picker_latency)
    counter_p50, counter_p95 = _percentiles(counter_latency)
    print(f"\n{ROUNDS} drags each after {WARM_UP} warm-up rounds, one Chromium, this machine:\n")
    print("| measure | week picker | naive Reflex grid / bare counter |")
    print("| --- | --- | --- |")
    picker = f"{statistics.median(picker_frames):.0f}, {max(picker_frames)}"
    naive = f"{statistics.median(naive_frames):.0f}, {max(naive_frames)}"
    print(f"| websocket frames sent per drag (median, max) | {picker} | {naive} |")
    print(
        f"| mouse-up → selection shown, p50 / p95 | {picker_p50:.0f} / {picker_p95:.0f} ms"
        f" | counter click → number shown: {counter_p50:.0f} / {counter_p95:.0f} ms |"
    )


if __name__ == "__main__":
    main()

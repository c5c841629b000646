"""Benchmark: the booking handlers and the therapist's Accept under N concurrent websocket clients.

Each client is a signed-in tab over the real socket.io websocket (``tests/scale_out/
portal_socket.py``) in a closed loop: New Appointment → Provider → Service → next week(s) →
a free time → Save → Submit New Appointment, again and again. One therapist tab (Robin Park,
whom they all book) accepts the oldest request as fast as it can; the time until the client's open
page receives the confirmation is the push latency. The yardstick is a bare Reflex counter app
(``bench/naive_grid_app.py``) started in the same run, driven by as many clients pressing its
button. Both run as production serves them (``reflex run --env prod``), on 1 worker with in-process
state and on 2 workers sharing state through Redis, on a throwaway PostgreSQL database.

    .venv/bin/python bench/load.py                    # 1, 20 and 200 clients; 1 and 2 workers
    .venv/bin/python bench/load.py --clients 20 --workers 1 --seconds 10

Prints p50/p95 per handler, the ratio of our p95 to the bare counter's, events/s, server CPU per
event, and server memory per connected client. Needs PostgreSQL and Redis on 127.0.0.1, and bun on
PATH with REFLEX_USE_SYSTEM_BUN=1 (scripts/lib/setup.sh sets both).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ORIGIN", "*")
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

import psutil  # noqa: E402
import sqlalchemy as sa  # noqa: E402

from portal_app import database  # noqa: E402
from portal_app.demo_logins import DEMO_PASSWORD  # noqa: E402
from portal_app.migrations import upgrade_to_head  # noqa: E402
from portal_app.seed import reset_demo_practice  # noqa: E402
from portal_app.services import passwords  # noqa: E402
from portal_app.state.appointments import ClientAppointmentsState  # noqa: E402
from portal_app.state.dashboard import DashboardState  # noqa: E402
from tests.databases import postgres_database  # noqa: E402
from tests.scale_out.portal_socket import (  # noqa: E402
    PortalTab,
    Wizard,
    add_clients,
    free_times,
    open_week,
    own_redis_database,
    request_time,
)

PASSWORD = "a long enough password"
CHEAP = passwords.Argon2Cost(rounds=1, memory_cost=8, parallelism=1)
# The counter's state in the bare app (module naive.naive), named as Reflex names it.
BARE_STATE = "reflex___state____state.naive___naive____grid_state"
WIZARD_STEPS = (
    "open_new",
    "choose_provider",
    "choose_service",
    "change_week",
    "select_time",
    "save",
    "submit",
)


# -- servers --------------------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def processes(self) -> list[psutil.Process]:
        supervisor = psutil.Process(self.process.pid)
        return [supervisor, *supervisor.children(recursive=True)]

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                continue
        return total

    def worker_rss(self) -> int:
        """Resident memory of the workers (the supervisor when it serves alone)."""
        processes = self.processes()
        workers = processes[1:] or processes
        return sum(process.memory_info().rss for process in workers)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(folder: Path, environment: dict[str, str], log: Path) -> Server:
    port = _free_port()
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod"]
    command += ["--frontend-port", str(port), "--backend-port", str(port)]
    environment = os.environ | environment | {"PORTAL_PORT": str(port), "PORTAL_ORIGIN": "*"}
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    workers = int(environment.get("GRANIAN_WORKERS", "1"))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{url}/ping", timeout=2)
            server = Server(process=process, url=url, log=log)
            if workers == 1 or len(server.processes()) > workers:
                time.sleep(2)  # let the workers finish starting (lifespan tasks, first queries)
                return server
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    raise RuntimeError("the server did not start")


def stop_server(server: Server) -> None:
    os.killpg(server.process.pid, signal.SIGTERM)
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait()


def bare_app_folder(parent: Path) -> Path:
    """The counter app as its own Reflex project (state in Redis when REFLEX_REDIS_URL is set)."""
    folder = parent / "bare"
    (folder / "naive").mkdir(parents=True)
    (folder / "naive" / "__init__.py").write_text("")
    shutil.copy(ROOT / "bench" / "naive_grid_app.py", folder / "naive" / "naive.py")
    (folder / "rxconfig.py").write_text(
        "import os\n"
        "import reflex as rx\n"
        "redis_url = os.environ.get('REFLEX_REDIS_URL') or None\n"
        "config = rx.Config(app_name='naive', telemetry_enabled=False, show_built_with_reflex=False,\n"
        "                   redis_url=redis_url, state_manager_mode='redis' if redis_url else 'memory',\n"
        "                   disable_plugins=[rx.plugins.SitemapPlugin])\n"
    )
    return folder


# -- measuring ------------------------------------------------------------------------------------


@dataclass
class Run:
    """What one load level measured."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    events: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    loader_cpu: float = 0.0
    rss_idle: int = 0
    rss_loaded: int = 0
    clients: int = 0

    def record(self, name: str, seconds: float, measuring: bool) -> None:
        if measuring:
            self.latencies[name].append(seconds)
            self.events += 1


class Window:
    """The measuring window: after a warm-up, for a fixed time; CPU read at both ends."""

    def __init__(self, server: Server, warm_up: float, seconds: float):
        self.server, self.warm_up, self.seconds = server, warm_up, seconds
        self.measuring = False
        self.over = False

    async def run(self, result: Run) -> None:
        await asyncio.sleep(self.warm_up)
        me = psutil.Process()
        server_before, loader_before = self.server.cpu_seconds(), sum(me.cpu_times()[:2])
        self.measuring, started = True, time.perf_counter()
        await asyncio.sleep(self.seconds)
        self.measuring = False
        result.seconds = time.perf_counter() - started
        result.server_cpu = self.server.cpu_seconds() - server_before
        result.loader_cpu = sum(me.cpu_times()[:2]) - loader_before
        result.rss_loaded = self.server.worker_rss()
        self.over = True


async def _open_all(tabs: list[PortalTab]) -> None:
    # In batches: a browser crowd does not connect in the same millisecond either.
    for first in range(0, len(tabs), 25):
        await asyncio.gather(*(tab.open(timeout=300) for tab in tabs[first : first + 25]))


async def book_in_a_loop(tab: PortalTab, number: int, window: Window, result: Run) -> None:
    rng = random.Random(number)
    round_number = 0
    while not window.over:
        round_number += 1

        async def step(name: str, until=None, **arguments) -> None:
            took = await tab.send(Wizard, name, until=until, timeout=120, **arguments)
            result.record(name, took, window.measuring)

        await step("open_new", until=lambda t: t.vars(Wizard).get("step") == "choose")
        robin = next(o["value"] for o in tab.vars(Wizard)["providers"] if o["label"].startswith("Robin"))
        await step("choose_provider", value=robin)
        await step("choose_service", value=tab.vars(Wizard)["services"][0]["value"])
        for _ in range(1 + (number + round_number) % 8):
            await step("change_week", step=1)
        times = free_times(tab)
        if not times:
            continue
        start, minutes = rng.choice(times)
        await step("select_time", start=start, minutes=minutes)
        await step(
            "save", until=lambda t: t.vars(Wizard)["step"] == "review" or bool(t.vars(Wizard)["error"])
        )
        if tab.vars(Wizard)["step"] == "review":
            await step(
                "submit", until=lambda t: t.vars(Wizard)["step"] == "done" or bool(t.vars(Wizard)["error"])
            )


async def accept_in_a_loop(
    therapist: PortalTab, by_name: dict[str, PortalTab], window: Window, result: Run, pushes: list[float]
) -> None:
    """Accept the oldest request, again and again; time the Accept and the push to its client."""
    accepted: set[int] = set()
    waiting_push: dict[int, float] = {}

    def listener_for(tab: PortalTab):
        def on_delta(delta: dict) -> None:
            changed = delta.get(ClientAppointmentsState.get_full_name(), {})
            for row in changed.get("upcoming_rx_state_", []):
                sent = waiting_push.pop(row["id"], None)
                if sent is not None and row["status"] == "confirmed" and window.measuring:
                    pushes.append(time.perf_counter() - sent)

        return on_delta

    for tab in by_name.values():
        tab.on_delta(listener_for(tab))
    while not window.over:
        pending = [
            row["appointment"]
            for row in therapist.vars(DashboardState).get("pending", [])
            if row["appointment"]["id"] not in accepted and row["appointment"]["client"] in by_name
        ]
        if not pending:
            await asyncio.sleep(0.05)
            continue
        request = pending[0]
        accepted.add(request["id"])
        waiting_push[request["id"]] = time.perf_counter()
        took = await therapist.send(DashboardState, "accept", appointment_id=request["id"], timeout=120)
        result.record("accept", took, window.measuring)


async def measure_ours(server: Server, cookies: list[tuple[str, str]], therapist_cookie: str, args) -> Run:
    result = Run(clients=len(cookies), rss_idle=server.worker_rss())
    tabs = [PortalTab(server.url, cookie=cookie) for _, cookie in cookies]
    therapist = PortalTab(server.url, cookie=therapist_cookie, path="/dashboard")
    await _open_all([therapist, *tabs])
    window = Window(server, args.warm_up, args.seconds)
    pushes: list[float] = []
    by_name = {name: tab for (name, _), tab in zip(cookies, tabs, strict=True)}
    loops = [book_in_a_loop(tab, number, window, result) for number, tab in enumerate(tabs)]
    await asyncio.gather(
        window.run(result), accept_in_a_loop(therapist, by_name, window, result, pushes), *loops
    )
    result.latencies["push (Accept → client's page)"] = pushes
    await asyncio.gather(*(tab.close() for tab in [therapist, *tabs]))
    return result


async def measure_push(server: Server, cookie: str, therapist_cookie: str, rounds: int) -> list[float]:
    """Accept → the client's open page has it, with nothing else running: the push path alone.

    The client requests a time over its wizard; once the therapist's Dashboard shows it (pushed
    there too), the therapist accepts, and the time until the client's page receives the
    confirmation is measured.
    """
    client = await PortalTab(server.url, cookie=cookie).open()
    therapist = await PortalTab(server.url, cookie=therapist_cookie, path="/dashboard").open()
    confirmed_at: dict[int, float] = {}

    def on_delta(delta: dict) -> None:
        for row in delta.get(ClientAppointmentsState.get_full_name(), {}).get("upcoming_rx_state_", []):
            if row["status"] == "confirmed":
                confirmed_at.setdefault(row["id"], time.perf_counter())

    client.on_delta(on_delta)
    latencies = []
    for round_number in range(rounds):
        await open_week(client, weeks_ahead=1 + round_number % 8)
        times = free_times(client)
        if not times or await request_time(client, *times[len(times) // 2]) != "done":
            continue
        submitted = int(client.vars(Wizard)["calendar_url"].rstrip("/").rsplit("/", 1)[-1].split(".")[0])

        def waiting(tab: PortalTab, wanted: int = submitted) -> bool:
            return any(r["appointment"]["id"] == wanted for r in tab.vars(DashboardState).get("pending", []))

        await therapist.wait_until(lambda: waiting(therapist), timeout=30)
        sent = time.perf_counter()
        await therapist.send(DashboardState, "accept", appointment_id=submitted)
        await client.wait_until(lambda wanted=submitted: wanted in confirmed_at, timeout=30)
        latencies.append(confirmed_at[submitted] - sent)
    await client.close()
    await therapist.close()
    return latencies


async def measure_bare(server: Server, clients: int, args) -> Run:
    result = Run(clients=clients, rss_idle=server.worker_rss())
    tabs = [PortalTab(server.url, path="/") for _ in range(clients)]
    await _open_all(tabs)
    window = Window(server, args.warm_up, args.seconds)

    async def press_in_a_loop(tab: PortalTab) -> None:
        while not window.over:
            took = await tab.send(BARE_STATE, "increment", timeout=120)
            result.record("increment", took, window.measuring)

    await asyncio.gather(window.run(result), *(press_in_a_loop(tab) for tab in tabs))
    await asyncio.gather(*(tab.close() for tab in tabs))
    return result


# -- reporting ------------------------------------------------------------------------------------


def _p(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] * 1000


def report(mode: str, ours: Run, bare: Run) -> None:
    bare_p95 = _p(bare.latencies["increment"], 0.95)
    print(f"\n### {mode}, {ours.clients} clients")
    print("| handler | n | p50 ms | p95 ms | p95 ours / bare |")
    print("|---|---|---|---|---|")
    for name in (*WIZARD_STEPS, "accept", "push (Accept → client's page)"):
        samples = ours.latencies.get(name, [])
        if samples:
            ratio = f"{_p(samples, 0.95) / bare_p95:.1f}×" if not name.startswith("push") else ""
            print(f"| {name} | {len(samples)} | {_p(samples, 0.5):.1f} | {_p(samples, 0.95):.1f} | {ratio} |")
    samples = bare.latencies["increment"]
    print(f"| bare counter: increment | {len(samples)} | {_p(samples, 0.5):.1f} | {bare_p95:.1f} | 1.0× |")
    print()
    for label, run in (("ours", ours), ("bare", bare)):
        rate = run.events / run.seconds if run.seconds else 0
        per_event = run.server_cpu / run.events * 1000 if run.events else float("nan")
        loader = run.loader_cpu / run.events * 1000 if run.events else float("nan")
        per_client = (run.rss_loaded - run.rss_idle) / max(1, run.clients) / 1024
        print(
            f"- {label}: {rate:.0f} events/s; server CPU {per_event:.2f} ms/event (load generator "
            f"{loader:.2f}); workers idle {run.rss_idle / 2**20:.0f} MB, "
            f"+{per_client:.0f} kB per connected client"
        )
    sys.stdout.flush()


# -- the run --------------------------------------------------------------------------------------


def use_database(url: str) -> None:
    """Point this process at the benchmark's database, with every migration applied."""
    engine = sa.create_engine(url)
    upgrade_to_head(engine)
    database.use_engine(engine)
    passwords.use_cost(CHEAP)


def fresh_practice(clients: int) -> tuple[list[tuple[str, str]], str]:
    """The demo practice as seeded, plus ``clients`` signed-in clients; every level starts from it.

    Without it, the bookings of one level would fill the weeks the next level books in, and the
    therapist's queue (re-read on every push) would grow from level to level.
    """
    from tests.scale_out.portal_socket import session_cookie

    with database.open_session(for_writing=True) as session:
        reset_demo_practice(session=session, now=datetime.now(UTC), force=True)
        session.commit()
    emails = add_clients(clients, prefix="loaded", password=PASSWORD)
    cookies = [(email.split("@")[0], session_cookie(email, PASSWORD)) for email in emails]
    return cookies, session_cookie("robin.park@example.org", DEMO_PASSWORD)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="1,20,200", help="comma-separated client counts")
    parser.add_argument("--workers", default="1,2", help="1 (in-process state) and/or 2 (Redis)")
    parser.add_argument("--seconds", type=float, default=15, help="measuring window per level")
    parser.add_argument("--warm-up", type=float, default=3, help="seconds before the window opens")
    parser.add_argument("--push-rounds", type=int, default=20, help="accepts timed with nothing else running")
    args = parser.parse_args()
    levels = [int(n) for n in args.clients.split(",")]
    modes = [int(n) for n in args.workers.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    bare_folder = bare_app_folder(folder)
    with postgres_database("portal_load") as db_url, own_redis_database() as redis_url:
        use_database(db_url)
        for workers in modes:
            scaled = {"REFLEX_REDIS_URL": redis_url, "GRANIAN_WORKERS": str(workers)} if workers > 1 else {}
            mode = f"{workers} worker{'s' if workers > 1 else ''}" + (" + Redis" if workers > 1 else "")
            ours_server = start_server(
                ROOT, {"REFLEX_DB_URL": db_url, **scaled}, folder / f"ours-{workers}.log"
            )
            try:
                cookies, therapist_cookie = fresh_practice(1)
                pushes = asyncio.run(
                    measure_push(ours_server, cookies[0][1], therapist_cookie, args.push_rounds)
                )
                ours = {}
                for n in levels:
                    cookies, therapist_cookie = fresh_practice(n)
                    ours[n] = asyncio.run(measure_ours(ours_server, cookies, therapist_cookie, args))
            finally:
                stop_server(ours_server)
            bare_server = start_server(bare_folder, scaled, folder / f"bare-{workers}.log")
            try:
                bare = {n: asyncio.run(measure_bare(bare_server, n, args)) for n in levels}
            finally:
                stop_server(bare_server)
            print(
                f"\n### {mode}: push alone (Accept → the client's open page), {len(pushes)} accepts: "
                f"p50 {_p(pushes, 0.5):.0f} ms, p95 {_p(pushes, 0.95):.0f} ms"
            )
            for n in levels:
                report(mode, ours[n], bare[n])
        database.use_engine(None)
    print(f"\nServer logs: {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

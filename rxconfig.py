"""Reflex configuration, read from the environment with safe defaults.

Any field can be overridden as ``REFLEX_<FIELD>`` (``REFLEX_DB_URL``, ``REFLEX_REDIS_URL``).
"""

import os

import reflex as rx

from portal_app.worker_respawn import respawn_failed_workers

_redis_url = os.environ.get("REFLEX_REDIS_URL") or None
_db_url = os.environ.get("REFLEX_DB_URL", "sqlite:///portal.db")
if _redis_url and _db_url.startswith("sqlite"):
    # Redis means several worker processes; one SQLite file cannot serve them safely.
    raise SystemExit(
        "REFLEX_REDIS_URL is set (several workers) but REFLEX_DB_URL is SQLite. "
        "Use PostgreSQL with Redis, e.g. REFLEX_DB_URL=postgresql+psycopg://postgres@127.0.0.1/portal, "
        "or unset REFLEX_REDIS_URL to run one process on SQLite."
    )
# One worker dying (a crash, the memory killer) must not stop the others.
respawn_failed_workers()
_port = int(os.environ.get("PORTAL_PORT", "3000"))
_STATE_MINUTES = 20
# Browsers may only open the websocket from the portal's own pages.
_own_origins = os.environ.get("PORTAL_ORIGIN", f"http://localhost:{_port},http://127.0.0.1:{_port}")

config = rx.Config(
    app_name="portal_app",
    db_url=_db_url,
    redis_url=_redis_url,
    # One process keeps state in memory; several workers share it through Redis.
    state_manager_mode="redis" if _redis_url else "memory",
    # How long a tab's state outlives its last event (Reflex's default: an hour). An open page
    # refreshes at least once a minute, so only closed or asleep tabs expire; a worker held
    # every state of the last hour's sign-ins, and its latency grew with them.
    redis_token_expiration=_STATE_MINUTES * 60,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=_own_origins.split(","),
    plugins=[
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", gray_color="slate", radius="large"))
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)

"""A hidden ticker that re-reads a page now and then: a safety net behind pushed updates."""

from __future__ import annotations

import reflex as rx

# Changes are pushed the moment they commit (state/live_updates.py); this only catches a push
# lost to a restart or a dropped connection.
REFRESH_INTERVAL_MS = 60_000


def poller(*on_tick, interval_ms: int = REFRESH_INTERVAL_MS) -> rx.Component:
    """Calls the ``on_tick`` events every ``interval_ms`` (the page updates only what changed)."""
    return rx.moment(
        interval=interval_ms, on_change=lambda _now: list(on_tick), display="none", aria_hidden="true"
    )

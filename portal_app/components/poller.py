"""A hidden ticker that asks the server for fresh data every few seconds while a page is open."""

from __future__ import annotations

import reflex as rx

REFRESH_INTERVAL_MS = 3000


def poller(*on_tick, interval_ms: int = REFRESH_INTERVAL_MS) -> rx.Component:
    """Calls the ``on_tick`` events every ``interval_ms`` (the page updates only what changed)."""
    return rx.moment(
        interval=interval_ms, on_change=lambda _now: list(on_tick), display="none", aria_hidden="true"
    )

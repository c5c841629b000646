"""A backend worker that dies is replaced, instead of taking every other worker down with it.

Reflex 0.10.1 starts its production server (granian) without ``respawn_failed_workers``, and
granian's supervisor then answers the unexpected exit of one worker (killed for memory, a crash
in a native library) by stopping the whole server: every open page of every worker loses its
connection and the portal is down until someone restarts it. Reflex offers no setting for it,
so the configuration (``rxconfig.py``, read by the supervisor before it builds the server)
turns granian's own option on by default. Granian still gives up on a worker that keeps dying
within seconds of each start (a crash loop), so a broken deployment does not spin.
"""

from __future__ import annotations

import functools


def respawn_failed_workers() -> None:
    """Make granian's server respawn a worker that exits unexpectedly (idempotent)."""
    try:
        from granian.server import Server
    except ImportError:  # another server (uvicorn) runs the backend
        return
    original = Server.__init__
    if getattr(original, "respawns_failed_workers", False):
        return

    @functools.wraps(original)
    def with_respawn(self, *args, **kwargs):
        kwargs.setdefault("respawn_failed_workers", True)
        original(self, *args, **kwargs)

    with_respawn.respawns_failed_workers = True  # type: ignore[attr-defined]
    Server.__init__ = with_respawn  # type: ignore[method-assign]

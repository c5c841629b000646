"""Changes reach the open pages of the people they concern at once, by push rather than polling.

A page that shows appointments *follows* its viewer when it loads: user id → (this tab's client
token, the page's state). After a service commits a change, the handler that called it pushes to
the pages of the users the service named (``AppointmentResult.concerns``): each page runs its own
``refresh`` handler inside ``app.modify_state``, so it re-reads exactly as if the browser had
asked, with the same access check, and the new rows go out as a delta. With Redis, the followers
live in Redis and ``modify_state`` reaches a tab connected to another worker. The pages still
poll, slowly, as a safety net.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import sys
import time
from collections.abc import Iterable
from typing import Any

import reflex as rx
from reflex.istate.manager.token import BaseStateToken

logger = logging.getLogger(__name__)

FOLLOW_SECONDS = 12 * 60 * 60
"""How long a page stays followed after it loaded (a session lasts 12 hours)."""
MAX_PAGES_PER_USER = 20
"""Open pages followed per person; the oldest is dropped past it."""
_REDIS_KEY = "portal:followers:{user_id}"


class _Followers:
    """Followed pages in this process's memory (one worker)."""

    def __init__(self) -> None:
        self._pages: dict[int, dict[tuple[str, str], float]] = {}

    async def join(self, user_id: int, page: tuple[str, str]) -> None:
        pages = self._pages.setdefault(user_id, {})
        pages[page] = time.time() + FOLLOW_SECONDS
        while len(pages) > MAX_PAGES_PER_USER:
            del pages[min(pages, key=pages.__getitem__)]

    async def pages_of(self, user_ids: Iterable[int]) -> set[tuple[str, str]]:
        now = time.time()
        return {page for user in user_ids for page, until in self._pages.get(user, {}).items() if until > now}

    async def leave(self, page: tuple[str, str]) -> None:
        for pages in self._pages.values():
            pages.pop(page, None)


class _RedisFollowers:
    """Followed pages in Redis, shared by every worker: a hash per user, page → expiry."""

    def __init__(self, url: str) -> None:
        import redis.asyncio

        self._redis = redis.asyncio.from_url(url)

    async def join(self, user_id: int, page: tuple[str, str]) -> None:
        key = _REDIS_KEY.format(user_id=user_id)
        await self._redis.hset(key, "|".join(page), time.time() + FOLLOW_SECONDS)
        await self._redis.expire(key, FOLLOW_SECONDS)

    async def pages_of(self, user_ids: Iterable[int]) -> set[tuple[str, str]]:
        now, found = time.time(), set()
        for user in user_ids:
            entries = await self._redis.hgetall(_REDIS_KEY.format(user_id=user))
            for field, until in entries.items():
                if float(until) > now:
                    token, state_name = field.decode().split("|", 1)
                    found.add((token, state_name))
        return found

    async def leave(self, page: tuple[str, str]) -> None:
        # Only called for a page that stopped answering; its user's hash expires on its own.
        return None


@functools.cache
def _followers() -> _Followers | _RedisFollowers:
    redis_url = rx.config.get_config().redis_url
    return _RedisFollowers(redis_url) if redis_url else _Followers()


async def follow(page: rx.State, user_id: int) -> None:
    """Remember that this tab shows ``page`` to ``user_id``, so changes are pushed to it."""
    await _followers().join(user_id, (page.router.session.client_token, page.get_full_name()))


_pushes: set[asyncio.Task] = set()


def push(user_ids: Iterable[int], *, origin: rx.State) -> None:
    """Refresh the followed pages of ``user_ids``, except ``origin``, which re-reads itself.

    Runs as a task after the calling handler returns: the origin holds its tab's state lock (the
    tab's other pages, such as the Dashboard's calendar, are refreshed once it is released), and
    nobody's click waits for other people's pages.
    """
    users = tuple(user_ids)
    if not users:
        return
    done = (origin.router.session.client_token, origin.get_full_name())
    task = asyncio.get_running_loop().create_task(_push(users, done))
    _pushes.add(task)
    task.add_done_callback(_pushes.discard)


async def _push(user_ids: tuple[int, ...], done: tuple[str, str]) -> None:
    app = _running_app()
    if app is None:
        return
    pages = await _followers().pages_of(user_ids) - {done}
    await asyncio.gather(*(_refresh_once_more(app, page) for page in pages))


# Pages being refreshed by this process → whether another change came in meanwhile.
_refreshing: dict[tuple[str, str], bool] = {}


async def _refresh_once_more(app: Any, page: tuple[str, str]) -> None:
    """Refresh the page, folding changes that arrive during a refresh into one more.

    A busy clinician's Dashboard is pushed by every request made to them; each refresh re-reads
    the whole queue and waits for the tab's state lock. Without folding, twenty requests in a
    second queue twenty full re-reads of one page; with it, at most one runs and one waits, and
    the waiting one starts after the latest change committed, so it reads every change.
    """
    if page in _refreshing:
        _refreshing[page] = True
        return
    _refreshing[page] = False
    try:
        while True:
            try:
                answered = await _refresh(app, *page)
            except Exception:
                # One tab that cannot be reached must not keep the others from their update.
                logger.exception("could not push to a followed page")
                return
            if not answered:
                await _followers().leave(page)
                return
            if not _refreshing[page]:
                return
            _refreshing[page] = False
    finally:
        del _refreshing[page]


async def _refresh(app: Any, token: str, state_name: str) -> bool:
    """Run the page's ``refresh`` for the tab; False when it refused (the session ended)."""
    from portal_app.state.session import SessionState

    state_cls = next(cls for cls in SessionState.get_substates() if cls.get_full_name() == state_name)
    async with app.modify_state(BaseStateToken(ident=token, cls=state_cls)) as root:
        page = await root.get_state(state_cls)
        refusals = [update async for update in state_cls.event_handlers["refresh"].fn(page) if update]
    return not refusals


def _running_app() -> Any:
    """The app served by this process, or None outside a running server (state tests)."""
    # Looked up, never imported: importing the app module builds an App, which only a server does.
    app_module = sys.modules.get("portal_app.portal_app")
    if app_module is None:
        return None
    app = app_module.app
    # The event processor is set up by the server's lifespan: absent, nobody is connected.
    return app if app.event_namespace is not None and app._event_processor is not None else None

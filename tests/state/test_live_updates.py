"""Who is followed for pushed updates: the in-process registry (Redis mode has its own test)."""

from __future__ import annotations

import asyncio

from portal_app.state import live_updates


def test_followed_pages_are_found_by_their_user_and_capped_per_person(monkeypatch):
    followers = live_updates._Followers()

    async def scenario():
        await followers.join(1, ("tab-a", "appointments"))
        await followers.join(2, ("tab-b", "dashboard"))
        for index in range(live_updates.MAX_PAGES_PER_USER + 5):
            await followers.join(3, (f"tab-{index}", "dashboard"))
        return await followers.pages_of([1]), await followers.pages_of([1, 2]), await followers.pages_of([3])

    only_one, both, many = asyncio.run(scenario())

    assert only_one == {("tab-a", "appointments")}
    assert both == {("tab-a", "appointments"), ("tab-b", "dashboard")}
    assert len(many) == live_updates.MAX_PAGES_PER_USER
    assert ("tab-0", "dashboard") not in many  # the oldest went first


def test_a_page_stops_being_followed_when_it_leaves_or_expires(monkeypatch):
    followers = live_updates._Followers()
    clock = [1_000.0]
    monkeypatch.setattr(live_updates.time, "time", lambda: clock[0])

    async def scenario():
        await followers.join(1, ("tab-a", "appointments"))
        await followers.join(1, ("tab-b", "appointments"))
        await followers.leave(("tab-a", "appointments"))
        left = await followers.pages_of([1])
        clock[0] += live_updates.FOLLOW_SECONDS + 1
        return left, await followers.pages_of([1])

    left, expired = asyncio.run(scenario())

    assert left == {("tab-b", "appointments")}
    assert expired == set()


def test_changes_arriving_during_a_refresh_fold_into_one_more(monkeypatch):
    refreshes: list[str] = []
    release = asyncio.Event()

    async def slow_refresh(app, token, state_name):
        refreshes.append(token)
        if len(refreshes) == 1:
            await release.wait()  # the first refresh is still reading when more changes come
        return True

    monkeypatch.setattr(live_updates, "_refresh", slow_refresh)
    page = ("tab-a", "dashboard")

    async def scenario():
        first = asyncio.create_task(live_updates._refresh_once_more(object(), page))
        await asyncio.sleep(0)
        for _change in range(20):
            await live_updates._refresh_once_more(object(), page)
        release.set()
        await first
        # Once idle, the next change refreshes at once again.
        await live_updates._refresh_once_more(object(), page)

    asyncio.run(scenario())

    # The first refresh, one more for the twenty changes made during it, one for the last.
    assert refreshes == ["tab-a"] * 3
    assert live_updates._refreshing == {}

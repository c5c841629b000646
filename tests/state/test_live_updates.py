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

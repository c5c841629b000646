"""The access decorator itself: what Reflex sees, what it refuses to declare, where work runs."""

from __future__ import annotations

import asyncio
import threading

import pytest

from portal_app.state.access import RecordId, in_worker, open_to_all
from portal_app.state.dashboard import DashboardState


def test_the_browser_sees_the_arguments_but_never_the_viewer():
    handler = DashboardState.event_handlers["accept"]

    assert list(handler._parameters) == ["self", "appointment_id"]
    # No annotations reach Reflex, so it never coerces "12" into 12 behind the validation.
    assert handler._get_type_hints() == {}


def test_a_handler_argument_without_a_type_cannot_be_declared():
    with pytest.raises(TypeError, match="needs a type"):

        @open_to_all
        async def untyped(self, value):  # pragma: no cover - never called
            return None


def test_declared_types_are_checked_strictly():
    @open_to_all
    async def echo(self, appointment_id: RecordId):
        return appointment_id

    class Page:
        def _bad_input(self):
            return "bad input"

    async def call(*args, **kwargs):
        return [update async for update in echo(Page(), *args, **kwargs)]

    assert asyncio.run(call(12)) == [12]
    assert asyncio.run(call(appointment_id=12)) == [12]
    for junk in ("12", 12.0, True, None, 0, 2**60, [12]):
        assert asyncio.run(call(junk)) == ["bad input"], junk
    assert asyncio.run(call(12, 13)) == ["bad input"]
    assert asyncio.run(call(12, extra=1)) == ["bad input"]


def test_service_calls_run_in_a_worker_thread_with_their_own_session(app_db):
    seen = {}

    def service(*, session, answer):
        seen["thread"] = threading.get_ident()
        seen["session"] = session
        return answer

    async def handler():
        seen["loop_thread"] = threading.get_ident()
        return await in_worker(service, answer=42)

    assert asyncio.run(handler()) == 42
    assert seen["thread"] != seen["loop_thread"]
    assert seen["session"] is not None


def test_reads_never_queue_behind_writes_waiting_for_a_lock(app_db):
    lock_held = threading.Event()

    def waiting_write(*, session):
        lock_held.wait(timeout=30)  # as a Submit waits for the clinician's lock
        return "written"

    def read(*, session):
        return "read"

    async def burst():
        writes = [asyncio.create_task(in_worker(waiting_write, writing=True)) for _ in range(20)]
        await asyncio.sleep(0.1)  # every write thread is now waiting
        answered = await asyncio.wait_for(in_worker(read), timeout=5)
        lock_held.set()
        return answered, await asyncio.gather(*writes)

    answered, written = asyncio.run(burst())

    assert answered == "read"
    assert written == ["written"] * 20

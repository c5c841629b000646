"""One process at a time holds a lease: the email sender runs once per deployment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from portal_app.models import WorkerLease
from portal_app.services.leases import hold_lease

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
LASTS = timedelta(seconds=90)


def _hold(session, holder: str, now: datetime = NOW) -> bool:
    return hold_lease(session=session, name="email-sender", holder=holder, now=now, lasts=LASTS)


def test_the_first_asker_holds_it_renews_it_and_others_wait_until_it_lapses(db_session):
    assert _hold(db_session, "worker-a")
    assert not _hold(db_session, "worker-b", NOW + timedelta(seconds=30))
    assert _hold(db_session, "worker-a", NOW + timedelta(seconds=60))  # renewed to 60 + 90 s
    assert not _hold(db_session, "worker-b", NOW + timedelta(seconds=149))
    assert _hold(db_session, "worker-b", NOW + timedelta(seconds=150))  # worker-a went quiet
    assert not _hold(db_session, "worker-a", NOW + timedelta(seconds=151))
    assert db_session.get(WorkerLease, "email-sender").holder == "worker-b"


def _race(engine, all_at_once) -> list[bool]:
    return all_at_once(engine, [partial(_hold, holder=f"worker-{index}") for index in range(20)])


def test_twenty_workers_asking_at_once_on_sqlite_give_one_holder(sqlite_file_engine, all_at_once):
    assert sum(_race(sqlite_file_engine, all_at_once)) == 1


@pytest.mark.postgres
def test_twenty_workers_asking_at_once_on_postgresql_give_one_holder(postgres_engine, all_at_once):
    assert sum(_race(postgres_engine, all_at_once)) == 1

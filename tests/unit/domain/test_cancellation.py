"""The cancellation window and the Join Video window, edges included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_app.domain.cancellation import can_cancel_online, video_join_open

NEW_YORK = ZoneInfo("America/New_York")
STARTS = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
ENDS = STARTS + timedelta(minutes=50)


@pytest.mark.parametrize(
    ("before_start", "allowed"),
    [
        (timedelta(hours=48), True),
        (timedelta(hours=24), True),  # exactly at the window: still outside it
        (timedelta(hours=24) - timedelta(microseconds=1), False),
        (timedelta(hours=1), False),
        (timedelta(0), False),
        (-timedelta(hours=1), False),
    ],
)
def test_cancelling_online_is_allowed_only_outside_the_window(before_start, allowed):
    assert (
        can_cancel_online(
            online_cancellation=True, window_hours=24, starts_at=STARTS, now=STARTS - before_start
        )
        is allowed
    )


def test_with_online_cancellation_off_nothing_can_be_cancelled_online():
    assert not can_cancel_online(
        online_cancellation=False, window_hours=0, starts_at=STARTS, now=STARTS - timedelta(days=30)
    )


def test_a_zero_hour_window_allows_cancelling_up_to_the_start():
    assert can_cancel_online(online_cancellation=True, window_hours=0, starts_at=STARTS, now=STARTS)
    assert not can_cancel_online(
        online_cancellation=True, window_hours=0, starts_at=STARTS, now=STARTS + timedelta(seconds=1)
    )


def test_the_window_counts_real_hours_across_a_dst_change():
    # New York springs forward on Sunday 8 March 2026: from Saturday 10:00 EST to Sunday
    # 10:00 EDT is 24 hours on the clock but only 23 real hours.
    sunday_ten = datetime(2026, 3, 8, 10, 0, tzinfo=NEW_YORK)
    saturday_ten = datetime(2026, 3, 7, 10, 0, tzinfo=NEW_YORK)

    assert not can_cancel_online(
        online_cancellation=True, window_hours=24, starts_at=sunday_ten, now=saturday_ten
    )
    assert can_cancel_online(
        online_cancellation=True,
        window_hours=24,
        starts_at=sunday_ten,
        now=saturday_ten - timedelta(hours=1),
    )


def test_join_video_counts_real_minutes_in_the_repeated_hour():
    # New York falls back on 1 November 2026: 01:00-02:00 happens twice. A session at the second
    # 01:30 (EST) is not open for joining during the first 01:25 (EDT), an hour earlier.
    second_one_thirty = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=1)
    first_one_twenty_five = datetime(2026, 11, 1, 1, 25, tzinfo=NEW_YORK, fold=0)

    assert not video_join_open(
        starts_at=second_one_thirty,
        ends_at=second_one_thirty + timedelta(minutes=50),
        now=first_one_twenty_five,
    )


@pytest.mark.parametrize(
    ("now", "open_"),
    [
        (STARTS - timedelta(minutes=10, microseconds=1), False),
        (STARTS - timedelta(minutes=10), True),  # exactly 10 minutes before
        (STARTS, True),
        (ENDS - timedelta(microseconds=1), True),
        (ENDS, False),  # the session is over
        (ENDS + timedelta(hours=1), False),
        (STARTS - timedelta(days=1), False),
    ],
)
def test_join_video_opens_ten_minutes_before_the_start_and_closes_at_the_end(now, open_):
    assert video_join_open(starts_at=STARTS, ends_at=ENDS, now=now) is open_

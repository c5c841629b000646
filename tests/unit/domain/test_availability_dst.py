"""Slots around every daylight-saving change of 2025–2030 in zones chosen for their oddities.

The changes are found here by walking each zone's UTC offset day by day (independently of the
engine's own search), then every one of them gets the same checks on the day it happens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import pytest

from portal_app.domain.availability import bookable_starts, build_schedule
from portal_app.domain.bookability import BookingProblem, check_interval
from tests.factories import booking_choice, booking_policy, service_rule, weekly_block

ZONES_WITH_CHANGES = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",  # moves by 30 minutes
    "Pacific/Chatham",  # +12:45 / +13:45
]
ZONES_WITHOUT_CHANGES = [
    "Asia/Kolkata",  # +05:30 all year
    "America/Sao_Paulo",  # abolished daylight saving in 2019
]
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class Change:
    zone: str
    instant: datetime  # first instant with the new offset
    old_offset: timedelta
    new_offset: timedelta

    @property
    def local_date(self) -> date:
        return (self.instant - MINUTE).astimezone(ZoneInfo(self.zone)).date()

    @property
    def shift_minutes(self) -> int:
        """Positive when clocks spring forward."""
        return int((self.new_offset - self.old_offset) / MINUTE)

    def __str__(self) -> str:
        direction = "forward" if self.shift_minutes > 0 else "back"
        return f"{self.zone}-{self.local_date}-{direction}"


@cache
def offset_changes(zone_name: str, first_year: int = 2025, last_year: int = 2030) -> list[Change]:
    zone = ZoneInfo(zone_name)
    changes = []
    day = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    previous = day.astimezone(zone).utcoffset()
    while day < end:
        following = day + timedelta(days=1)
        offset = following.astimezone(zone).utcoffset()
        if offset != previous:
            instant = day
            while instant.astimezone(zone).utcoffset() == previous:
                instant += MINUTE
            changes.append(Change(zone_name, instant, previous, offset))
            previous = offset
        day = following
    return changes


ALL_CHANGES = [change for zone in ZONES_WITH_CHANGES for change in offset_changes(zone)]


def early_morning_starts(zone: str, day: date, *, minutes: int) -> list[datetime]:
    """Bookable starts on ``day`` for a block open 00:00–06:00 local every day."""
    tz = ZoneInfo(zone)
    window_start = datetime.combine(day, time(0), tz)
    schedule = build_schedule(
        blocks=[weekly_block(weekdays=EVERY_DAY, start=time(0), end=time(6))],
        extra_hours=[],
        time_off=[],
        busy=[],
        policy=booking_policy(time_zone=zone, slot_increment_minutes=15),
        window_start=window_start,
        window_end=datetime.combine(day + timedelta(days=1), time(0), tz),
        now=window_start - timedelta(days=1),
    )
    return schedule, bookable_starts(schedule, booking_choice(service_rule(durations=(minutes,))))


def block_minutes(zone: str, day: date) -> list[datetime]:
    """Every real minute whose wall clock reads between 00:00 and 06:00 on ``day`` (oracle)."""
    tz = ZoneInfo(zone)
    instant = datetime.combine(day, time(0), tz).astimezone(UTC) - timedelta(hours=3)
    minutes = []
    for _ in range(12 * 60):
        wall = instant.astimezone(tz)
        if wall.date() == day and wall.time() < time(6):
            minutes.append(instant)
        instant += MINUTE
    return minutes


def test_every_zone_listed_changes_twice_a_year_and_the_others_never():
    for zone in ZONES_WITH_CHANGES:
        assert len(offset_changes(zone)) == 12, zone
    for zone in ZONES_WITHOUT_CHANGES:
        assert offset_changes(zone) == [], zone


@pytest.mark.parametrize("change", ALL_CHANGES, ids=str)
def test_a_change_day_offers_each_real_instant_once(change: Change):
    zone = ZoneInfo(change.zone)
    _, starts = early_morning_starts(change.zone, change.local_date, minutes=15)
    real_minutes = 6 * 60 - change.shift_minutes

    assert len(starts) == real_minutes // 15
    assert starts == sorted(set(starts))  # no instant twice
    for start in starts:
        wall = start.astimezone(zone)
        assert wall.date() == change.local_date
        assert wall.time() < time(6)
        assert wall.minute % 15 == 0
        assert wall.second == 0
    expected = [minute for minute in block_minutes(change.zone, change.local_date) if minute.minute % 15 == 0]
    assert starts == expected


@pytest.mark.parametrize("change", ALL_CHANGES, ids=str)
def test_a_fifty_minute_session_is_fifty_real_minutes_on_a_change_day(change: Change):
    zone = ZoneInfo(change.zone)
    schedule, starts = early_morning_starts(change.zone, change.local_date, minutes=50)
    inside = set(block_minutes(change.zone, change.local_date))
    fitting = [
        minute
        for minute in sorted(inside)
        if minute.minute % 15 == 0 and all(minute + n * MINUTE in inside for n in range(50))
    ]
    assert starts == fitting

    choice = booking_choice(service_rule(durations=(50,)))
    straddling = [start for start in starts if start < change.instant < start + 50 * MINUTE]
    assert straddling, "the block covers the change, so some session spans it"
    for start in starts:
        assert check_interval(schedule, choice, start, start + 50 * MINUTE).ok
    for start in straddling:
        wall_end = (start.astimezone(zone).replace(tzinfo=None) + 50 * MINUTE).replace(tzinfo=zone)
        if wall_end.astimezone(UTC) != start + 50 * MINUTE:
            result = check_interval(schedule, choice, start, wall_end)
            assert result.problem is BookingProblem.WRONG_LENGTH


def clock(starts: list[datetime], zone: str) -> list[str]:
    return [start.astimezone(ZoneInfo(zone)).strftime("%H:%M") for start in starts]


def starts_for_block(zone: str, day: date, start: time, end: time, *, increment: int = 15, minutes: int = 15):
    tz = ZoneInfo(zone)
    window_start = datetime.combine(day, time(0), tz)
    schedule = build_schedule(
        blocks=[weekly_block(weekdays=EVERY_DAY, start=start, end=end)],
        extra_hours=[],
        time_off=[],
        busy=[],
        policy=booking_policy(time_zone=zone, slot_increment_minutes=increment),
        window_start=window_start,
        window_end=datetime.combine(day + timedelta(days=1), time(0), tz),
        now=window_start - timedelta(days=1),
    )
    return bookable_starts(schedule, booking_choice(service_rule(durations=(minutes,))))


def test_a_block_across_the_skipped_hour_yields_only_times_that_exist():
    starts = starts_for_block("America/New_York", date(2026, 3, 8), time(1, 30), time(3, 30))
    assert clock(starts, "America/New_York") == ["01:30", "01:45", "03:00", "03:15"]  # one real hour


def test_a_block_starting_inside_the_skipped_hour_starts_when_the_clocks_jump():
    starts = starts_for_block("America/New_York", date(2026, 3, 8), time(2, 30), time(4))
    assert clock(starts, "America/New_York") == ["03:00", "03:15", "03:30", "03:45"]


def test_the_repeated_hour_is_offered_once_per_real_instant():
    starts = starts_for_block(
        "America/New_York", date(2026, 11, 1), time(0), time(3), increment=60, minutes=60
    )
    assert clock(starts, "America/New_York") == ["00:00", "01:00", "01:00", "02:00"]
    assert [start.hour for start in starts] == [4, 5, 6, 7]  # UTC: four distinct hours


def test_lord_howe_moves_by_half_an_hour_and_hourly_starts_stay_on_the_hour():
    starts = starts_for_block(
        "Australia/Lord_Howe", date(2026, 10, 4), time(0), time(6), increment=60, minutes=60
    )
    # At 02:00 the clocks jump to 02:30: there is no 02:00, and the session starting at 01:00
    # ends at 02:30 on the wall clock after 60 real minutes.
    assert clock(starts, "Australia/Lord_Howe") == ["00:00", "01:00", "03:00", "04:00", "05:00"]
    assert starts[2] - starts[1] == timedelta(minutes=90)


@pytest.mark.parametrize("year", range(2025, 2031))
def test_kolkata_and_sao_paulo_have_ordinary_days_where_others_change(year):
    first_sunday_of_november = next(
        date(year, 11, day) for day in range(1, 8) if date(year, 11, day).weekday() == 6
    )
    sao_paulo = starts_for_block("America/Sao_Paulo", first_sunday_of_november, time(0), time(6))
    assert len(sao_paulo) == 24
    kolkata = starts_for_block("Asia/Kolkata", date(year, 3, 30), time(9), time(12))
    assert len(kolkata) == 12
    assert clock(kolkata, "Asia/Kolkata")[0] == "09:00"
    assert {start.minute for start in kolkata} == {30, 45, 0, 15}
    assert kolkata[0].hour == 3
    assert kolkata[0].minute == 30

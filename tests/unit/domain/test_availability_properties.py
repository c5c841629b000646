"""Properties of the availability engine over random blocks, exceptions, bookings and policies.

The oracle here is deliberately naive and shares no code with the engine: it marks every real
minute around the window as allowed or blocked, converting block times with zoneinfo one
occurrence at a time, and tests each candidate start minute by minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from portal_app.domain.availability import bookable_starts, build_schedule
from portal_app.domain.availability_inputs import (
    BookingChoice,
    BookingPolicy,
    BusyTime,
    ExtraHours,
    Offer,
    ServiceRule,
    TimeOff,
    WeeklyBlock,
)
from portal_app.domain.bookability import BookingProblem, check_interval
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.domain.week_grid import CellState, build_week_grid, week_window

# Zones with 1-hour, 30-minute and no changes, and :30/:45 offsets; the dates cover the March and
# April changes of the northern and southern hemispheres.
ZONES = [
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "UTC",
]
FIRST_WINDOW_START = datetime(2026, 3, 1, tzinfo=UTC)
FIVE_MINUTES = timedelta(minutes=5)
MINUTE = timedelta(minutes=1)
DAY_IN_FIVES = 24 * 12

PROPERTY_SETTINGS = settings(max_examples=80, deadline=None)
# Random flags make almost every scenario unbookable; lean towards "allowed" so that most examples
# have slots to check, while still trying every refusal.
mostly_true = st.sampled_from([True, True, True, False])


@dataclass(frozen=True)
class Scenario:
    blocks: list[WeeklyBlock]
    extra_hours: list[ExtraHours]
    time_off: list[TimeOff]
    busy: list[BusyTime]
    policy: BookingPolicy
    choice: BookingChoice
    window_start: datetime
    window_end: datetime
    now: datetime
    display_zone: str

    def schedule(self):
        return build_schedule(
            blocks=self.blocks,
            extra_hours=self.extra_hours,
            time_off=self.time_off,
            busy=self.busy,
            policy=self.policy,
            window_start=self.window_start,
            window_end=self.window_end,
            now=self.now,
        )


offers = st.builds(
    Offer,
    location_id=st.sampled_from([1, 1, 1, 2]),
    in_person=mostly_true,
    telehealth=mostly_true,
    service_ids=st.sampled_from([frozenset({1}), frozenset({1, 2}), frozenset({1, 2}), frozenset({2})]),
)


def offers_for(choice: BookingChoice):
    """Random offers, half of them allowing ``choice``."""
    allowing = Offer(choice.location_id, in_person=True, telehealth=True, service_ids=frozenset({1, 2}))
    return st.one_of(st.just(allowing), offers)


@st.composite
def weekly_blocks(draw, offer_strategy) -> WeeklyBlock:
    start_minute = 5 * draw(st.integers(0, DAY_IN_FIVES - 1))
    length = draw(st.sampled_from([60, 180, 480]) | st.integers(3, 144).map(lambda fives: 5 * fives))
    valid_from = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 90)))
    valid_days = draw(st.sampled_from([None, None, None, 60]) | st.integers(0, 90))
    end_minute = (start_minute + length) % (24 * 60)
    return WeeklyBlock(
        weekdays=frozenset(draw(st.just(range(7)) | st.sets(st.integers(0, 6), max_size=7))),
        start_local=time(start_minute // 60, start_minute % 60),
        end_local=time(end_minute // 60, end_minute % 60),
        every_n_weeks=draw(st.integers(1, 3)),
        valid_from=valid_from,
        valid_until=None if valid_days is None else valid_from + timedelta(days=valid_days),
        offer=draw(offer_strategy),
    )


def spans_near(window_start: datetime, *, max_length_fives: int):
    """(start, end) pairs on the five-minute grid from a day before the window to a week after."""
    return st.tuples(st.integers(-DAY_IN_FIVES, 7 * DAY_IN_FIVES), st.integers(1, max_length_fives)).map(
        lambda pair: (
            window_start + pair[0] * FIVE_MINUTES,
            window_start + (pair[0] + pair[1]) * FIVE_MINUTES,
        )
    )


@st.composite
def scenarios(draw, *, week_of_display_zone: bool = False) -> Scenario:
    zone = draw(st.sampled_from(ZONES))
    display_zone = draw(st.sampled_from(ZONES))
    if week_of_display_zone:
        first_day = date(2026, 3, 1) + timedelta(days=draw(st.integers(0, 45)))
        window_start, window_end = week_window(first_day=first_day, display_zone=display_zone)
    else:
        window_start = (
            FIRST_WINDOW_START
            + timedelta(days=draw(st.integers(0, 45)))
            + draw(st.integers(0, DAY_IN_FIVES - 1)) * FIVE_MINUTES
        )
        length_in_fives = st.sampled_from([2 * DAY_IN_FIVES, 4 * DAY_IN_FIVES, 7 * DAY_IN_FIVES])
        window_end = window_start + draw(length_in_fives | st.integers(1, 4 * DAY_IN_FIVES)) * FIVE_MINUTES
    policy = BookingPolicy(
        time_zone=zone,
        minimum_notice_hours=draw(st.sampled_from([0, 0, 2, 24]) | st.integers(0, 48)),
        booking_horizon_days=draw(st.integers(1, 40)),
        slot_increment_minutes=draw(st.sampled_from([5, 10, 15, 20, 25, 30, 45, 60])),
        buffer_minutes=draw(st.sampled_from([0, 5, 10, 15, 30])),
        telehealth_enabled=draw(mostly_true),
    )
    service = ServiceRule(
        service_id=1,
        durations_minutes=tuple(
            draw(st.lists(st.sampled_from([15, 30, 45, 50, 60, 80, 90]), min_size=1, max_size=2, unique=True))
        ),
        new_clients_allowed=draw(mostly_true),
        existing_clients_allowed=draw(mostly_true),
        telehealth_allowed=draw(mostly_true),
    )
    choice = BookingChoice(
        service=service,
        location_id=draw(st.sampled_from([1, 1, 2])),
        forum=draw(st.sampled_from([Forum.IN_PERSON, Forum.IN_PERSON, Forum.TELEHEALTH])),
        is_new_client=draw(st.booleans()),
    )
    busy = [
        BusyTime.between(
            start,
            end,
            status=draw(st.sampled_from([AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED])),
            appointment_id=index,
            is_viewers=draw(st.booleans()),
        )
        for index, (start, end) in enumerate(
            draw(st.lists(spans_near(window_start, max_length_fives=36), max_size=10))
        )
    ]
    return Scenario(
        blocks=draw(st.lists(weekly_blocks(offers_for(choice)), min_size=1, max_size=4)),
        extra_hours=[
            ExtraHours(start, end, draw(offers_for(choice)))
            for start, end in draw(st.lists(spans_near(window_start, max_length_fives=96), max_size=2))
        ],
        time_off=[
            TimeOff(start, end)
            for start, end in draw(st.lists(spans_near(window_start, max_length_fives=96), max_size=2))
        ],
        busy=busy,
        policy=policy,
        choice=choice,
        window_start=window_start,
        window_end=window_end,
        now=window_start
        + draw(st.sampled_from([-DAY_IN_FIVES, 0]) | st.integers(-3 * DAY_IN_FIVES, DAY_IN_FIVES))
        * FIVE_MINUTES,
        display_zone=display_zone,
    )


# --- the oracle --------------------------------------------------------------------------------


def first_instant_showing(zone: ZoneInfo, day: date, wall: time) -> datetime:
    """The first instant whose wall clock reads ``wall`` on ``day``; for a skipped time, the jump."""
    naive = datetime.combine(day, wall)
    candidate = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the first occurrence
    if candidate.astimezone(zone).replace(tzinfo=None) == naive:
        return candidate
    probe = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)  # before the jump
    while probe.astimezone(zone).replace(tzinfo=None) < naive:
        probe += MINUTE
    return probe


def block_occurs(block: WeeklyBlock, day: date) -> bool:
    if day.weekday() not in block.weekdays or day < block.valid_from:
        return False
    if block.valid_until is not None and day > block.valid_until:
        return False
    first_monday = block.valid_from - timedelta(days=block.valid_from.weekday())
    monday = day - timedelta(days=day.weekday())
    return (monday - first_monday).days // 7 % block.every_n_weeks == 0


class Oracle:
    """Every minute from two days before the window to two days after, marked one by one."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.zone = ZoneInfo(scenario.policy.time_zone)
        self.origin = scenario.window_start - timedelta(days=2)
        self.size = int((scenario.window_end + timedelta(days=2) - self.origin) / MINUTE)
        allowed = bytearray(self.size)
        choice = scenario.choice
        if choice.permitted_by(scenario.policy):
            for start, end, offer in self._offered():
                if offer.allows(location_id=choice.location_id, forum=choice.forum, service_id=1):
                    self._mark(allowed, start, end, 1)
        for off in scenario.time_off:
            self._mark(allowed, off.starts_at, off.ends_at, 0)
        buffer = timedelta(minutes=scenario.policy.buffer_minutes)
        blocked = bytearray(self.size)
        for item in scenario.busy:
            self._mark(blocked, item.starts_at - buffer, item.ends_at + buffer, 1)
        self.allowed_sums = [0, *accumulate(allowed)]
        self.blocked_sums = [0, *accumulate(blocked)]

    def _offered(self):
        scenario = self.scenario
        first = scenario.window_start.astimezone(self.zone).date() - timedelta(days=2)
        last = scenario.window_end.astimezone(self.zone).date() + timedelta(days=2)
        for block in scenario.blocks:
            day = first
            while day <= last:
                if block_occurs(block, day):
                    end_day = day + timedelta(days=1) if block.end_local <= block.start_local else day
                    yield (
                        first_instant_showing(self.zone, day, block.start_local),
                        first_instant_showing(self.zone, end_day, block.end_local),
                        block.offer,
                    )
                day += timedelta(days=1)
        for extra in scenario.extra_hours:
            yield extra.starts_at, extra.ends_at, extra.offer

    def _index(self, instant: datetime) -> int:
        return min(max(int((instant - self.origin) / MINUTE), 0), self.size)

    def _mark(self, minutes: bytearray, start: datetime, end: datetime, value: int) -> None:
        low, high = self._index(start), self._index(end)
        if low < high:
            minutes[low:high] = bytes([value]) * (high - low)

    def fits(self, start: datetime, minutes: int) -> bool:
        """Every minute of the session is allowed and none touches busy time plus buffer."""
        low = self._index(start)
        high = low + minutes
        return (
            self.allowed_sums[high] - self.allowed_sums[low] == minutes
            and self.blocked_sums[high] == self.blocked_sums[low]
        )

    def aligned(self, start: datetime) -> bool:
        wall = start.astimezone(self.zone)
        return (wall.hour * 60 + wall.minute) % self.scenario.policy.slot_increment_minutes == 0

    def within_horizon(self, start: datetime) -> bool:
        today = self.scenario.now.astimezone(self.zone).date()
        return start.astimezone(self.zone).date() <= today + timedelta(
            days=self.scenario.policy.booking_horizon_days
        )

    def notice_ok(self, start: datetime) -> bool:
        return start >= self.scenario.now + timedelta(hours=self.scenario.policy.minimum_notice_hours)

    def bookable(self, start: datetime, minutes: int) -> bool:
        scenario = self.scenario
        return (
            scenario.window_start <= start < scenario.window_end
            and self.fits(start, minutes)
            and self.notice_ok(start)
            and self.within_horizon(start)
            and self.aligned(start)
        )

    def starts(self, minutes: int) -> list[datetime]:
        scenario = self.scenario
        found = []
        start = scenario.window_start
        while start < scenario.window_end:
            # The cheap test first: the zone conversions only for sessions that fit.
            if self.fits(start, minutes) and self.bookable(start, minutes):
                found.append(start)
            start += MINUTE
        return found


# --- properties --------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(scenarios())
def test_every_offered_start_obeys_every_rule(scenario: Scenario):
    oracle = Oracle(scenario)
    schedule = scenario.schedule()
    policy = scenario.policy
    for minutes in scenario.choice.service.durations_minutes:
        starts = bookable_starts(schedule, scenario.choice, duration_minutes=minutes)
        assert starts == sorted(set(starts))
        for start in starts:
            end = start + timedelta(minutes=minutes)
            buffer = timedelta(minutes=policy.buffer_minutes)
            assert not any(
                start < item.ends_at + buffer and end > item.starts_at - buffer for item in scenario.busy
            ), "overlaps a booking or its buffer"
            assert oracle.fits(start, minutes), "not inside availability that allows the service"
            assert oracle.notice_ok(start), "too soon"
            assert oracle.within_horizon(start), "too far ahead"
            assert oracle.aligned(start), "not on the increment"
            assert start.second == 0
            assert scenario.window_start <= start < scenario.window_end


@PROPERTY_SETTINGS
@given(scenarios())
def test_the_offered_starts_are_all_the_bookable_ones(scenario: Scenario):
    oracle = Oracle(scenario)
    schedule = scenario.schedule()
    for minutes in scenario.choice.service.durations_minutes:
        assert bookable_starts(schedule, scenario.choice, duration_minutes=minutes) == oracle.starts(minutes)


@PROPERTY_SETTINGS
@given(scenarios(week_of_display_zone=True))
def test_the_week_grid_agrees_with_the_slot_list(scenario: Scenario):
    schedule = scenario.schedule()
    grid = build_week_grid(schedule, scenario.choice, display_zone=scenario.display_zone)
    display = ZoneInfo(scenario.display_zone)
    durations = scenario.choice.service.durations_minutes
    starts_by_length = {
        minutes: set(bookable_starts(schedule, scenario.choice, duration_minutes=minutes))
        for minutes in durations
    }
    free_cells = {}
    days = []
    for day in grid.days:
        days.append(day.day)
        for cell in day.cells():
            wall = cell.starts_at.astimezone(display)
            assert wall.date() == day.day
            assert cell.local_time == wall.time().replace(second=0)
            assert grid.first_hour <= wall.hour < grid.end_hour
            own = [
                item
                for item in scenario.busy
                if item.is_viewers
                and item.starts_at < cell.starts_at + timedelta(minutes=grid.increment_minutes)
                and item.ends_at > cell.starts_at
            ]
            if cell.state is CellState.FREE:
                free_cells[cell.starts_at] = cell.durations_minutes
            elif own:
                assert cell.state in (CellState.YOUR_REQUEST, CellState.YOUR_APPOINTMENT)
                assert cell.appointment_id in {item.appointment_id for item in own}
            else:
                assert cell.state is CellState.UNAVAILABLE
    assert days == [days[0] + timedelta(days=n) for n in range(7)]
    # Every listed start has its free cell (the trimmed hours never hide one), and back.
    listed = {start for starts in starts_by_length.values() for start in starts}
    assert set(free_cells) == listed
    for start, cell_durations in free_cells.items():
        assert cell_durations == tuple(m for m in durations if start in starts_by_length[m])


@settings(max_examples=50, deadline=None)
@given(scenarios())
def test_the_check_agrees_with_the_slot_list_and_gives_true_reasons(scenario: Scenario):
    oracle = Oracle(scenario)
    schedule = scenario.schedule()
    choice = scenario.choice
    for minutes in choice.service.durations_minutes:
        listed = set(bookable_starts(schedule, choice, duration_minutes=minutes))
        start = scenario.window_start
        while start < scenario.window_end:
            result = check_interval(schedule, choice, start, start + timedelta(minutes=minutes))
            assert result.ok == (start in listed), (start, result)
            if result.problem is BookingProblem.IN_PAST:
                assert start < scenario.now
            elif result.problem is BookingProblem.NOT_ALIGNED:
                assert not oracle.aligned(start)
            elif result.problem is BookingProblem.TOO_SOON:
                assert not oracle.notice_ok(start)
            elif result.problem is BookingProblem.TOO_FAR_AHEAD:
                assert not oracle.within_horizon(start)
            elif result.problem in (
                BookingProblem.OUTSIDE_AVAILABILITY,
                BookingProblem.SERVICE_NOT_OFFERED,
                BookingProblem.OVERLAPS_APPOINTMENT,
            ):
                assert not oracle.fits(start, minutes)
            start += FIVE_MINUTES
        wrong_length = check_interval(schedule, choice, scenario.window_start, scenario.window_start + MINUTE)
        assert not wrong_length.ok

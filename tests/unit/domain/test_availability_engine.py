"""Named cases for the pure availability engine: slots, rules, the week grid, wizard choices."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_app.domain.availability import bookable_starts, build_schedule, occurrence_days
from portal_app.domain.availability_inputs import BusyTime, ExtraHours, TimeOff
from portal_app.domain.bookability import BookingProblem, check_interval
from portal_app.domain.booking_choices import booking_choices
from portal_app.domain.intervals import containing_span, merge, overlaps_any, subtract
from portal_app.domain.vocabulary import AppointmentStatus, Forum
from portal_app.domain.week_grid import CellState, build_week_grid, week_window
from tests.factories import booking_choice, booking_policy, offer, service_rule, weekly_block

NEW_YORK = "America/New_York"
MONDAY = date(2026, 4, 6)  # an ordinary week: no daylight-saving change near it


def local(day: date, hour: int, minute: int = 0, zone: str = NEW_YORK) -> datetime:
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone))


def schedule_for_day(day: date = MONDAY, *, zone: str = NEW_YORK, now: datetime | None = None, **inputs):
    """A schedule over one local day; the clock reads a week earlier unless ``now`` is given."""
    policy = inputs.pop("policy", booking_policy(time_zone=zone))
    start = local(day, 0, zone=zone)
    return build_schedule(
        blocks=inputs.pop("blocks", [weekly_block()]),
        extra_hours=inputs.pop("extra_hours", []),
        time_off=inputs.pop("time_off", []),
        busy=inputs.pop("busy", []),
        policy=policy,
        window_start=start,
        window_end=local(day + timedelta(days=1), 0, zone=zone),
        now=now or start - timedelta(days=7),
    )


def clock(starts: list[datetime], zone: str = NEW_YORK) -> list[str]:
    return [start.astimezone(ZoneInfo(zone)).strftime("%H:%M") for start in starts]


def busy(start: datetime, minutes: int = 50, **overrides) -> BusyTime:
    values = {"status": AppointmentStatus.CONFIRMED, "appointment_id": 7}
    return BusyTime.between(start, start + timedelta(minutes=minutes), **(values | overrides))


# --- span operations ---------------------------------------------------------------------------


def test_merge_joins_touching_and_overlapping_spans_and_drops_empty_ones():
    assert merge([(5, 9), (0, 5), (20, 30), (25, 27), (40, 40)]) == [(0, 9), (20, 30)]


def test_subtract_cuts_holes_and_keeps_the_rest():
    assert subtract([(0, 10), (20, 30)], [(2, 4), (8, 22), (29, 40)]) == [(0, 2), (4, 8), (22, 29)]


def test_containing_span_and_overlaps_any_use_half_open_spans():
    spans = [(0, 10), (20, 30)]
    assert containing_span(spans, 20, 30) == (20, 30)
    assert containing_span(spans, 5, 21) is None
    assert not overlaps_any(spans, 10, 20)
    assert overlaps_any(spans, 9, 11)


# --- slots -------------------------------------------------------------------------------------


def test_a_plain_day_offers_every_aligned_start_whose_session_fits():
    starts = bookable_starts(schedule_for_day(), booking_choice())
    times = clock(starts)
    assert times[0] == "09:00"
    assert times[-1] == "16:00"  # 16:15 + 50 minutes would end after 17:00
    assert len(times) == 29
    assert all(start.tzinfo is UTC for start in starts)


def test_a_longer_allowed_length_is_asked_for_explicitly():
    choice = booking_choice(service_rule(durations=(50, 80)))
    assert clock(bookable_starts(schedule_for_day(), choice, duration_minutes=80))[-1] == "15:30"
    assert bookable_starts(schedule_for_day(), choice, duration_minutes=45) == []


@pytest.mark.parametrize(
    ("zone", "increment", "expected_utc_minutes"),
    [
        ("Asia/Kolkata", 15, {0, 15, 30, 45}),  # +05:30: local :00 is UTC :30
        ("Pacific/Chatham", 60, {15}),  # +12:45 in April: local :00 is UTC :15
        ("Australia/Lord_Howe", 60, {30}),  # +10:30 in winter: local :00 is UTC :30
    ],
)
def test_starts_align_to_the_practice_wall_clock_not_to_utc(zone, increment, expected_utc_minutes):
    day = date(2026, 6, 8)
    policy = booking_policy(time_zone=zone, slot_increment_minutes=increment)
    starts = bookable_starts(schedule_for_day(day, zone=zone, policy=policy), booking_choice())
    assert starts
    assert {start.astimezone(ZoneInfo(zone)).minute % increment for start in starts} == {0}
    assert {start.minute for start in starts} <= expected_utc_minutes


def test_an_increment_that_does_not_divide_a_day_counts_from_local_midnight():
    policy = booking_policy(slot_increment_minutes=25)
    starts = bookable_starts(schedule_for_day(policy=policy), booking_choice(service_rule(durations=(25,))))
    # Multiples of 25 minutes after midnight: 09:10 (550), 09:35, 10:00, ...
    assert clock(starts)[:3] == ["09:10", "09:35", "10:00"]


def test_the_buffer_keeps_sessions_apart_on_both_sides():
    policy = booking_policy(buffer_minutes=10, slot_increment_minutes=5)
    schedule = schedule_for_day(policy=policy, busy=[busy(local(MONDAY, 12))])
    times = clock(bookable_starts(schedule, booking_choice()))
    assert "11:00" in times  # ends 11:50, ten minutes before
    assert "11:05" not in times
    assert "13:00" in times  # starts ten minutes after 12:50
    assert "12:55" not in times


def test_minimum_notice_counts_real_hours_from_now():
    now = local(MONDAY, 8, 7)
    schedule = schedule_for_day(now=now, policy=booking_policy(minimum_notice_hours=3))
    assert clock(bookable_starts(schedule, booking_choice()))[0] == "11:15"


def test_the_horizon_opens_whole_local_days():
    # Late in the evening in New York it is already the next day in UTC; the local date counts.
    now = local(MONDAY, 23, 30)
    policy = booking_policy(booking_horizon_days=2)
    last_day = MONDAY + timedelta(days=2)
    assert bookable_starts(schedule_for_day(last_day, now=now, policy=policy), booking_choice())
    beyond = schedule_for_day(last_day + timedelta(days=1), now=now, policy=policy)
    assert bookable_starts(beyond, booking_choice()) == []


def test_every_two_weeks_keeps_its_phase_from_the_first_valid_week_years_later():
    block = weekly_block(weekdays=(0, 2), every_n_weeks=2, valid_from=date(2026, 1, 7))  # a Wednesday
    assert occurrence_days(block, date(2026, 1, 1), date(2026, 1, 25)) == [
        date(2026, 1, 7),  # not Monday the 5th: before valid_from
        date(2026, 1, 19),
        date(2026, 1, 21),
    ]
    days = occurrence_days(block, date(2029, 6, 1), date(2029, 6, 30))
    anchor = date(2026, 1, 5)
    assert days
    assert all((day - anchor).days // 7 % 2 == 0 and day.weekday() in (0, 2) for day in days)


def test_valid_until_is_the_last_day_of_a_block():
    block = weekly_block(valid_from=date(2026, 4, 1), valid_until=date(2026, 4, 7))
    assert occurrence_days(block, date(2026, 4, 6), date(2026, 4, 10)) == [date(2026, 4, 6), date(2026, 4, 7)]


def test_a_block_ending_at_or_before_its_start_runs_past_midnight():
    block = weekly_block(weekdays=(0,), start=time(22), end=time(1))
    schedule = schedule_for_day(blocks=[block])
    starts = bookable_starts(schedule, booking_choice(service_rule(durations=(60,))))
    # The window holds Monday's starts; the last one runs into Tuesday and ends at 00:45.
    assert clock(starts) == ["22:00", "22:15", "22:30", "22:45", "23:00", "23:15", "23:30", "23:45"]


def test_adjacent_blocks_that_both_allow_a_service_join():
    morning = weekly_block(start=time(9), end=time(12))
    afternoon = weekly_block(start=time(12), end=time(15))
    choice = booking_choice(service_rule(durations=(80,)))
    assert "11:30" in clock(bookable_starts(schedule_for_day(blocks=[morning, afternoon]), choice))
    other_service = weekly_block(start=time(12), end=time(15), service_ids=(2,))
    assert "11:30" not in clock(bookable_starts(schedule_for_day(blocks=[morning, other_service]), choice))


def test_extra_hours_add_what_they_allow_and_time_off_removes_everything():
    saturday = MONDAY + timedelta(days=5)
    extra = ExtraHours(local(saturday, 10), local(saturday, 12), offer(telehealth=True, in_person=False))
    schedule = schedule_for_day(saturday, extra_hours=[extra])
    assert clock(bookable_starts(schedule, booking_choice(forum=Forum.TELEHEALTH)))[0] == "10:00"
    assert bookable_starts(schedule, booking_choice(forum=Forum.IN_PERSON)) == []

    off = TimeOff(local(MONDAY, 9), local(MONDAY, 13))
    assert clock(bookable_starts(schedule_for_day(time_off=[off]), booking_choice()))[0] == "13:00"


@pytest.mark.parametrize(
    ("block_overrides", "policy_overrides", "service_overrides", "choice_overrides"),
    [
        ({"telehealth": False}, {}, {}, {"forum": Forum.TELEHEALTH}),
        ({"telehealth": True}, {"telehealth_enabled": False}, {}, {"forum": Forum.TELEHEALTH}),
        ({"telehealth": True}, {}, {"telehealth_allowed": False}, {"forum": Forum.TELEHEALTH}),
        ({}, {}, {}, {"location_id": 2}),
        ({"service_ids": (2,)}, {}, {}, {}),
        ({}, {}, {"new_clients_allowed": False}, {"is_new_client": True}),
        ({}, {}, {"existing_clients_allowed": False}, {"is_new_client": False}),
    ],
    ids=[
        "block-without-telehealth",
        "practice-telehealth-off",
        "service-not-by-telehealth",
        "other-location",
        "service-not-in-block",
        "not-open-to-new-clients",
        "not-open-to-existing-clients",
    ],
)
def test_nothing_is_offered_that_the_block_service_or_practice_does_not_allow(
    block_overrides, policy_overrides, service_overrides, choice_overrides
):
    schedule = schedule_for_day(
        blocks=[weekly_block(**block_overrides)], policy=booking_policy(**policy_overrides)
    )
    choice = booking_choice(service_rule(**service_overrides), **choice_overrides)
    assert bookable_starts(schedule, choice) == []


# --- the check ---------------------------------------------------------------------------------

# The numbers a message about each problem needs (for the policy and service below); none for the rest.
CHECK_LIMITS = {
    BookingProblem.WRONG_LENGTH: (50,),  # the service's lengths, in minutes
    BookingProblem.NOT_ALIGNED: (15,),  # the increment, in minutes
    BookingProblem.TOO_SOON: (3,),  # the notice, in hours
}


@pytest.mark.parametrize(
    ("start_hour", "start_minute", "minutes", "choice_overrides", "problem"),
    [
        (9, 0, 50, {}, None),
        (9, 0, 50, {"is_new_client": True}, BookingProblem.NOT_OPEN_TO_CLIENT),
        (9, 0, 50, {"forum": Forum.TELEHEALTH}, BookingProblem.SERVICE_NOT_OFFERED),
        (9, 0, 45, {}, BookingProblem.WRONG_LENGTH),
        (5, 0, 50, {}, BookingProblem.IN_PAST),
        (9, 5, 50, {}, BookingProblem.NOT_ALIGNED),
        (8, 0, 50, {}, BookingProblem.TOO_SOON),
        (18, 0, 50, {}, BookingProblem.OUTSIDE_AVAILABILITY),
        (16, 30, 50, {}, BookingProblem.OUTSIDE_AVAILABILITY),  # runs past 17:00
        (10, 0, 50, {"location_id": 2}, BookingProblem.SERVICE_NOT_OFFERED),  # open there from 13:00
        (14, 0, 50, {}, BookingProblem.OVERLAPS_APPOINTMENT),
        (15, 0, 50, {}, BookingProblem.OVERLAPS_APPOINTMENT),  # inside the buffer after 14:00-14:50
    ],
)
def test_the_check_names_the_first_rule_an_interval_breaks(
    start_hour, start_minute, minutes, choice_overrides, problem
):
    policy = booking_policy(minimum_notice_hours=3, buffer_minutes=15)
    other_place = weekly_block(start=time(13), end=time(17), location_id=2)
    schedule = schedule_for_day(
        now=local(MONDAY, 6),
        policy=policy,
        blocks=[weekly_block(start=time(7)), other_place],
        busy=[busy(local(MONDAY, 14))],
    )
    service = service_rule(new_clients_allowed=False, telehealth_allowed=False)
    start = local(MONDAY, start_hour, start_minute)
    result = check_interval(
        schedule, booking_choice(service, **choice_overrides), start, start + timedelta(minutes=minutes)
    )
    assert result.problem == problem
    assert result.ok == (problem is None)
    assert result.limits == CHECK_LIMITS.get(problem, ())


def test_the_check_refuses_starts_beyond_the_horizon():
    schedule = schedule_for_day(MONDAY + timedelta(days=3), policy=booking_policy(booking_horizon_days=2))
    start = local(MONDAY + timedelta(days=3), 9)
    result = check_interval(schedule, booking_choice(), start, start + timedelta(minutes=50))
    assert result.problem is BookingProblem.TOO_FAR_AHEAD
    assert result.limits == (2,)


def test_the_check_measures_length_in_real_time_whatever_zone_the_datetimes_carry():
    start = local(MONDAY, 9)  # tzinfo is New York's zone, not UTC
    assert check_interval(schedule_for_day(), booking_choice(), start, start + timedelta(minutes=50)).ok


# --- the week grid -----------------------------------------------------------------------------


def week_schedule(first_day: date, display_zone: str, **inputs):
    window_start, window_end = week_window(first_day=first_day, display_zone=display_zone)
    policy = inputs.pop("policy", booking_policy())
    return build_schedule(
        blocks=inputs.pop("blocks", [weekly_block()]),
        extra_hours=[],
        time_off=[],
        busy=inputs.pop("busy", []),
        policy=policy,
        window_start=window_start,
        window_end=window_end,
        now=inputs.pop("now", window_start - timedelta(days=1)),
    )


def test_the_grid_has_seven_local_days_trimmed_to_the_working_hours():
    grid = build_week_grid(week_schedule(MONDAY, NEW_YORK), booking_choice(), display_zone=NEW_YORK)
    assert [day.day for day in grid.days] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert (grid.first_hour, grid.end_hour) == (9, 17)
    assert grid.rows[0] == time(9)
    assert grid.rows[-1] == time(16, 45)
    monday = grid.days[0]
    assert len(monday.states) == 32
    assert monday.states[0] is CellState.FREE
    assert monday.durations_minutes[0] == (50,)
    assert monday.states[-1] is CellState.UNAVAILABLE  # 16:45 + 50 minutes ends after 17:00
    assert set(grid.days[5].states) == {CellState.UNAVAILABLE}  # Saturday


def test_the_grid_marks_the_viewers_own_request_and_appointment():
    mine = [
        busy(local(MONDAY, 10), status=AppointmentStatus.REQUESTED, appointment_id=1, is_viewers=True),
        busy(local(MONDAY, 13), status=AppointmentStatus.CONFIRMED, appointment_id=2, is_viewers=True),
        busy(local(MONDAY, 15), appointment_id=3),  # someone else's
    ]
    grid = build_week_grid(
        week_schedule(MONDAY, NEW_YORK, busy=mine), booking_choice(), display_zone=NEW_YORK
    )
    cells = {cell.local_time: cell for cell in grid.days[0].cells()}
    assert cells[time(10)].state is CellState.YOUR_REQUEST
    assert cells[time(10)].appointment_id == 1
    assert cells[time(10, 45)].state is CellState.YOUR_REQUEST  # 10:45-11:00 holds its last minutes
    assert cells[time(11)].state is CellState.FREE
    assert cells[time(13, 30)].state is CellState.YOUR_APPOINTMENT
    assert cells[time(15)].state is CellState.UNAVAILABLE
    assert cells[time(15)].appointment_id is None


def test_the_grid_shows_days_and_hours_of_the_viewers_zone():
    # A client in London looks at a New York clinician: 09:00 in New York is 14:00 in London.
    grid = build_week_grid(
        week_schedule(MONDAY, "Europe/London"), booking_choice(), display_zone="Europe/London"
    )
    assert (grid.first_hour, grid.end_hour) == (14, 22)
    first = next(grid.days[0].cells())
    assert first.local_time == time(14)
    assert first.starts_at == local(MONDAY, 9)


def test_the_grid_labels_cells_off_the_hour_when_zones_differ_by_half_an_hour():
    policy = booking_policy(slot_increment_minutes=60)
    grid = build_week_grid(
        week_schedule(MONDAY, "Asia/Kolkata", policy=policy), booking_choice(), display_zone="Asia/Kolkata"
    )
    assert grid.rows
    assert {row.minute for row in grid.rows} == {30}


def test_a_week_without_availability_has_no_rows():
    grid = build_week_grid(
        week_schedule(MONDAY, NEW_YORK, blocks=[]), booking_choice(), display_zone=NEW_YORK
    )
    assert grid.rows == ()
    assert all(day.states == () for day in grid.days)


# --- wizard choices ----------------------------------------------------------------------------


def test_wizard_offers_only_what_the_blocks_allow_for_this_kind_of_client():
    services = [
        service_rule(service_id=1, new_clients_allowed=True),
        service_rule(service_id=2, new_clients_allowed=False),
        service_rule(service_id=3, telehealth_allowed=False),
    ]
    offers = [
        offer(location_id=10, in_person=True, telehealth=True, service_ids=(1, 2, 3)),
        offer(location_id=20, in_person=False, telehealth=True, service_ids=(3,)),
        offer(location_id=30, service_ids=(99,)),  # a service the practice no longer has
    ]
    existing = booking_choices(offers=offers, services=services, policy=booking_policy(), is_new_client=False)
    assert existing.locations == (10,)  # location 20 only offers service 3, which is not by telehealth
    assert existing.forums(10) == (Forum.IN_PERSON, Forum.TELEHEALTH)
    assert existing.services(10, Forum.IN_PERSON) == (1, 2, 3)
    assert existing.services(10, Forum.TELEHEALTH) == (1, 2)

    new = booking_choices(offers=offers, services=services, policy=booking_policy(), is_new_client=True)
    assert new.services(10, Forum.IN_PERSON) == (1, 3)

    no_telehealth = booking_policy(telehealth_enabled=False)
    choices = booking_choices(offers=offers, services=services, policy=no_telehealth, is_new_client=False)
    assert choices.forums(10) == (Forum.IN_PERSON,)

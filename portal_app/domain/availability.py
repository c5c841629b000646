"""Free time of one clinician: expanding availability and listing bookable start times.

PURE: no database, no Reflex, no clock. ``now`` and the zones are arguments.

Definitions the rest of the portal relies on:

- **Alignment.** A session may start only where the practice zone's wall clock, counted from
  local midnight, is a whole multiple of the slot increment: with 15 minutes, at :00, :15, :30
  and :45 local time, also in zones with :30 or :45 offsets and across daylight-saving changes.
- **Fit.** A session ``[start, start + length)`` must lie inside one contiguous stretch of
  availability whose offers all allow its location, forum and service (adjacent blocks that both
  allow it join), outside time off, and must not touch ``[busy.start - buffer, busy.end +
  buffer)`` of any pending request or confirmed appointment. Lengths are real minutes.
- **Minimum notice.** ``start >= now + minimum_notice_hours``.
- **Horizon.** Counted in local days of the practice: a client may book any start up to the end
  of the local day ``booking_horizon_days`` after today (with 60 days, booking on 1 March opens
  all of 30 April and nothing of 1 May), so a calendar week never shows half a day.
- **Window.** ``window_start <= start < window_end``; the session may end after the window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import MO, WEEKLY, rrule

from portal_app.domain.availability_inputs import (
    BookingChoice,
    BookingPolicy,
    BusyTime,
    ExtraHours,
    Offer,
    TimeOff,
    WeeklyBlock,
)
from portal_app.domain.epoch_seconds import from_epoch_seconds, to_epoch_seconds
from portal_app.domain.intervals import Span, merge, subtract
from portal_app.domain.zone_timeline import SECONDS_PER_DAY, ZoneTimeline, day_number

# Dates around the window whose block occurrences may reach into it: one day before (a block
# running past midnight) and one after (a session starting at the window's end runs on).
_DAYS_AROUND_WINDOW = 1


@dataclass(frozen=True, slots=True)
class ClinicianSchedule:
    """One clinician's availability and busy time over a window, ready for queries.

    Build it with ``build_schedule``; every query on it (slots, grid, check) is then cheap.
    Instants are UTC seconds; span lists are sorted and disjoint.
    """

    policy: BookingPolicy
    timeline: ZoneTimeline
    window: Span
    earliest_start: int  # now + minimum notice
    horizon_end: int  # first instant no longer bookable
    now: int
    offered: list[tuple[int, int, Offer]]  # blocks and extra hours, time off not yet removed
    time_off: list[Span]
    blocked: list[Span]  # busy time widened by the buffer
    viewers_busy: list[BusyTime]

    def available_windows(self) -> list[Span]:
        """Contiguous availability of any kind (any location, forum or service), minus time off."""
        return subtract(merge((start, end) for start, end, _ in self.offered), self.time_off)

    def allowing_windows(self, choice: BookingChoice) -> list[Span]:
        """Contiguous availability that allows ``choice``, minus time off, ignoring busy time."""
        if not choice.permitted_by(self.policy):
            return []
        service_id = choice.service.service_id
        allowing = merge(
            (start, end)
            for start, end, offer in self.offered
            if offer.allows(location_id=choice.location_id, forum=choice.forum, service_id=service_id)
        )
        return subtract(allowing, self.time_off)

    def free_windows(self, choice: BookingChoice) -> list[Span]:
        """Contiguous time where a session for ``choice`` may lie (busy time removed)."""
        return subtract(self.allowing_windows(choice), self.blocked)


def build_schedule(
    *,
    blocks: Iterable[WeeklyBlock],
    extra_hours: Iterable[ExtraHours],
    time_off: Iterable[TimeOff],
    busy: Iterable[BusyTime],
    policy: BookingPolicy,
    window_start: datetime,
    window_end: datetime,
    now: datetime,
) -> ClinicianSchedule:
    """Expand one clinician's availability over a window.

    The exceptions and busy times given must include every one that touches the window
    extended by the longest session and the buffer; others are harmless but cost time.

    Args:
        blocks: The clinician's recurring blocks (any validity; expired ones yield nothing).
        extra_hours: One-off added availability.
        time_off: One-off removed availability.
        busy: Pending requests and confirmed appointments (nothing else holds time).
        policy: The practice's rules; its zone is the blocks' zone.
        window_start: Earliest start of interest.
        window_end: Starts must be before this.
        now: The current instant.

    Returns:
        The schedule, on which slots, grids and checks are computed.
    """
    zone = ZoneInfo(policy.time_zone)
    start, end, now_seconds = (
        to_epoch_seconds(window_start),
        to_epoch_seconds(window_end),
        to_epoch_seconds(now),
    )
    margin = (_DAYS_AROUND_WINDOW + 1) * SECONDS_PER_DAY
    timeline = ZoneTimeline.over(zone, start - margin, end + margin)

    offered = _block_spans(blocks, timeline, start, end)
    offered.extend(
        (to_epoch_seconds(extra.starts_at), to_epoch_seconds(extra.ends_at), extra.offer)
        for extra in extra_hours
    )
    offered.sort(key=lambda span: span[0])
    time_off_spans = merge(
        (to_epoch_seconds(off.starts_at), to_epoch_seconds(off.ends_at)) for off in time_off
    )
    buffer = policy.buffer_minutes * 60
    busy_list = list(busy)
    blocked = merge((item.start_seconds - buffer, item.end_seconds + buffer) for item in busy_list)
    return ClinicianSchedule(
        policy=policy,
        timeline=timeline,
        window=(start, end),
        earliest_start=now_seconds + policy.minimum_notice_hours * 3600,
        horizon_end=horizon_end(zone, now_seconds, policy.booking_horizon_days),
        now=now_seconds,
        offered=offered,
        time_off=time_off_spans,
        blocked=blocked,
        viewers_busy=sorted(
            (item for item in busy_list if item.is_viewers), key=lambda item: item.start_seconds
        ),
    )


def bookable_start_seconds(
    schedule: ClinicianSchedule, choice: BookingChoice, duration_minutes: int
) -> list[int]:
    """Every bookable start (UTC seconds) in the window for a session of ``duration_minutes``.

    The cost is one pass over the free windows; starts come from integer ranges, not a loop.
    """
    if duration_minutes not in choice.service.durations_minutes:
        return []
    return _starts_within(schedule, schedule.free_windows(choice), duration_minutes * 60)


def start_seconds_by_length(schedule: ClinicianSchedule, choice: BookingChoice) -> dict[int, list[int]]:
    """``bookable_start_seconds`` for each length the service allows, finding free time once."""
    free_windows = schedule.free_windows(choice)
    return {
        minutes: _starts_within(schedule, free_windows, minutes * 60)
        for minutes in choice.service.durations_minutes
    }


def _starts_within(schedule: ClinicianSchedule, free_windows: list[Span], length: int) -> list[int]:
    step = schedule.policy.slot_increment_minutes * 60
    window_start, window_end = schedule.window
    lowest = max(window_start, schedule.earliest_start)
    highest = min(window_end, schedule.horizon_end)
    starts: list[int] = []
    for free_start, free_end in free_windows:
        low = max(free_start, lowest)
        high = min(free_end - length + 1, highest)
        if low < high:
            starts.extend(schedule.timeline.aligned_instants(low, high, step))
    return starts


def bookable_starts(
    schedule: ClinicianSchedule, choice: BookingChoice, *, duration_minutes: int | None = None
) -> list[datetime]:
    """Every start time in the window that may be booked for ``choice``.

    Args:
        schedule: The clinician's schedule over the window.
        choice: Service, location, forum and kind of client.
        duration_minutes: The session length; the service's default (first) when omitted.
            A length the service does not allow gives no starts.

    Returns:
        Aware UTC datetimes, in order, each once.
    """
    if duration_minutes is None:
        duration_minutes = choice.service.durations_minutes[0]
    return [from_epoch_seconds(start) for start in bookable_start_seconds(schedule, choice, duration_minutes)]


def horizon_end(zone: ZoneInfo, now: int, horizon_days: int) -> int:
    """The local midnight that closes the last bookable day (see the module docstring)."""
    today_timeline = ZoneTimeline.over(zone, now - SECONDS_PER_DAY, now + SECONDS_PER_DAY)
    closing_day = today_timeline.local_seconds(now) // SECONDS_PER_DAY + horizon_days + 1
    closing_local = closing_day * SECONDS_PER_DAY
    closing_timeline = ZoneTimeline.over(
        zone, closing_local - 2 * SECONDS_PER_DAY, closing_local + SECONDS_PER_DAY
    )
    return closing_timeline.instant(closing_local)


def _block_spans(
    blocks: Iterable[WeeklyBlock], timeline: ZoneTimeline, start: int, end: int
) -> list[tuple[int, int, Offer]]:
    """Each occurrence of each block near the window as a UTC span with the block's offer."""
    first_day = timeline.local_day(start) - timedelta(days=_DAYS_AROUND_WINDOW)
    last_day = timeline.local_day(end) + timedelta(days=_DAYS_AROUND_WINDOW)
    spans: list[tuple[int, int, Offer]] = []
    for block in blocks:
        start_of_day = _seconds_of_day(block.start_local)
        end_of_day = _seconds_of_day(block.end_local)
        if end_of_day <= start_of_day:
            end_of_day += SECONDS_PER_DAY
        for day in occurrence_days(block, first_day, last_day):
            midnight = day_number(day) * SECONDS_PER_DAY
            span_start = timeline.instant(midnight + start_of_day)
            span_end = timeline.instant(midnight + end_of_day)
            # A block lying wholly in the hour skipped by a spring-forward change is empty.
            if span_start < span_end:
                spans.append((span_start, span_end, block.offer))
    return spans


def occurrence_days(block: WeeklyBlock, first_day: date, last_day: date) -> list[date]:
    """The local dates in ``[first_day, last_day]`` on which ``block`` occurs (dateutil rrule).

    Args:
        block: The recurring block.
        first_day: First date of interest.
        last_day: Last date of interest, inclusive.

    Returns:
        The dates, in order.
    """
    first = max(first_day, block.valid_from)
    last = last_day if block.valid_until is None else min(last_day, block.valid_until)
    if first > last or not block.weekdays:
        return []
    # rrule counts "every N weeks" from the week of its dtstart, and walks every occurrence
    # from there. Starting it at ``valid_from`` would make the cost grow with the block's age,
    # so start it on the latest Monday at or before ``first`` that keeps the same phase. The
    # rule yields the Monday of each week the block runs and the weekdays are offsets from it:
    # letting rrule step through the weekdays itself (byweekday) costs more than twice as much.
    anchor_monday = block.valid_from - timedelta(days=block.valid_from.weekday())
    weeks_since_anchor = (first - anchor_monday).days // 7
    phase_monday = anchor_monday + timedelta(
        weeks=weeks_since_anchor - weeks_since_anchor % block.every_n_weeks
    )
    weeks = rrule(
        WEEKLY,
        interval=block.every_n_weeks,
        wkst=MO,
        dtstart=datetime.combine(phase_monday, time()),
        until=datetime.combine(last, time()),
    )
    offsets = [timedelta(days=weekday) for weekday in sorted(block.weekdays)]
    return [day for monday in weeks for offset in offsets if first <= (day := monday.date() + offset) <= last]


def _seconds_of_day(value: time) -> int:
    return value.hour * 3600 + value.minute * 60 + value.second

"""Exact wall-clock arithmetic in one time zone over a bounded stretch of time.

A ``ZoneTimeline`` records where a zone's UTC offset changes between two instants, so that
converting between local wall-clock seconds and UTC seconds, and finding the instants whose local
time is a multiple of the slot increment, are plain integer operations with no per-instant
``tzinfo`` call. The rules it applies on daylight-saving days:

- A local time that does not exist (the hour skipped when clocks spring forward) maps to the
  instant of the change, so a block from 01:30 to 03:30 on that day covers only the real hour
  that does exist.
- A local time that occurs twice (clocks falling back) maps to its first occurrence, as Python's
  ``fold=0`` does; an instant is never produced twice.

Instants are whole seconds since the Unix epoch (UTC); "local seconds" are the same count on the
zone's wall clock, so ``local_seconds // 86400`` is the local day and ``% 86400`` the time of day.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

SECONDS_PER_DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Offsets are sampled once a day; no zone in the tz database changes its offset twice within a
# day, so a change between two samples is always exactly one transition.
_SAMPLE_STEP = SECONDS_PER_DAY
# Changes are found per fixed stretch of 32 days and remembered: the zone rules never change
# while the process runs, and finding them costs more than all the arithmetic that uses them.
_CHUNK = 32 * SECONDS_PER_DAY


def _offset_at(zone: ZoneInfo, instant: int) -> int:
    offset = datetime.fromtimestamp(instant, zone).utcoffset()
    if offset is None:  # never for an aware datetime in a ZoneInfo
        raise ValueError(f"{zone} gives no UTC offset at {instant}")
    return int(offset.total_seconds())


def _first_instant_with_new_offset(zone: ZoneInfo, before: int, after: int, new_offset: int) -> int:
    """Binary search for the transition between ``before`` (old offset) and ``after`` (new)."""
    low, high = before, after
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_at(zone, middle) == new_offset:
            high = middle
        else:
            low = middle
    return high


@lru_cache(maxsize=4096)
def _chunk_changes(zone: ZoneInfo, chunk: int) -> tuple[int, tuple[tuple[int, int], ...]]:
    """The offset at the start of ``chunk`` and each ``(instant, new offset)`` change within it."""
    start = chunk * _CHUNK
    first_offset = previous_offset = _offset_at(zone, start)
    changes: list[tuple[int, int]] = []
    for sample in range(start + _SAMPLE_STEP, start + _CHUNK + 1, _SAMPLE_STEP):
        offset = _offset_at(zone, sample)
        if offset != previous_offset:
            changes.append(
                (_first_instant_with_new_offset(zone, sample - _SAMPLE_STEP, sample, offset), offset)
            )
            previous_offset = offset
    return first_offset, tuple(changes)


def day_number(day: date) -> int:
    """Days from 1970-01-01 to ``day`` (negative before it)."""
    return day.toordinal() - _EPOCH_ORDINAL


def date_from_day_number(number: int) -> date:
    """The date ``number`` days after 1970-01-01."""
    return date.fromordinal(number + _EPOCH_ORDINAL)


class ZoneTimeline:
    """The offsets of one zone between two instants; outside them the nearest offset is assumed.

    Build one with ``ZoneTimeline.over`` for the span a computation needs (plus a margin), then
    convert as often as needed.
    """

    __slots__ = ("_change_instants", "_offsets")

    def __init__(self, change_instants: list[int], offsets: list[int]) -> None:
        # ``offsets[i]`` applies from ``change_instants[i - 1]`` (or forever before, for i = 0)
        # up to ``change_instants[i]``; there is one more offset than change instant.
        self._change_instants = change_instants
        self._offsets = offsets

    @classmethod
    def over(cls, zone: ZoneInfo, start: int, end: int) -> ZoneTimeline:
        """Find every offset change of ``zone`` in ``[start, end]`` (and perhaps a few around).

        Args:
            zone: The time zone.
            start: First instant of interest (UTC seconds).
            end: Last instant of interest (UTC seconds).

        Returns:
            A timeline exact over ``[start, end]``.
        """
        first_chunk, last_chunk = start // _CHUNK, end // _CHUNK
        offsets = [_chunk_changes(zone, first_chunk)[0]]
        change_instants: list[int] = []
        for chunk in range(first_chunk, last_chunk + 1):
            for instant, offset in _chunk_changes(zone, chunk)[1]:
                change_instants.append(instant)
                offsets.append(offset)
        return cls(change_instants, offsets)

    def local_seconds(self, instant: int) -> int:
        """The wall-clock reading at ``instant``, as local seconds."""
        return instant + self._offsets[bisect_right(self._change_instants, instant)]

    def local_day(self, instant: int) -> date:
        """The local date at ``instant``."""
        return date_from_day_number(self.local_seconds(instant) // SECONDS_PER_DAY)

    def instant(self, local: int) -> int:
        """The first instant whose wall clock reads ``local``; for a skipped time, the change.

        Args:
            local: Wall-clock time as local seconds.

        Returns:
            UTC seconds.
        """
        offsets = self._offsets
        for index, change in enumerate(self._change_instants):
            candidate = local - offsets[index]
            if candidate < change:
                return candidate
            # The wall clock jumped forward past ``local`` at this change: it never read it.
            if local - offsets[index + 1] < change:
                return change
        return local - offsets[-1]

    def is_aligned(self, instant: int, step: int) -> bool:
        """Whether the wall-clock time of day at ``instant`` is a whole multiple of ``step``."""
        return self.local_seconds(instant) % SECONDS_PER_DAY % step == 0

    def local_stretches(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """Split ``[start, end)`` where the offset changes.

        Returns:
            ``(local_start, local_end, offset)`` for each piece, in order: within a piece the
            wall clock runs straight from ``local_start`` to ``local_end``.
        """
        changes = self._change_instants
        first_index = bisect_right(changes, start)
        bounds = [start, *(c for c in changes[first_index:] if c < end), end]
        return [
            (low + offset, high + offset, offset)
            for offset, low, high in zip(self._offsets[first_index:], bounds, bounds[1:], strict=False)
            if low < high
        ]

    def aligned_instants(self, start: int, end: int, step: int) -> list[int]:
        """Instants in ``[start, end)`` whose wall-clock time of day is a multiple of ``step``.

        Alignment counts from local midnight, so it restarts each day even when ``step`` does
        not divide a day, and it follows the wall clock across offset changes (after a
        30-minute shift a 60-minute step still lands on the hour).

        Args:
            start: First instant (UTC seconds), inclusive.
            end: Last instant (UTC seconds), exclusive.
            step: The increment in seconds.

        Returns:
            The instants in increasing order, each once.
        """
        if start >= end:
            return []
        changes = self._change_instants
        index = bisect_right(changes, start)
        if index == len(changes) or changes[index] >= end:
            # The common case, one offset over the whole span, without building stretches.
            offset = self._offsets[index]
            return _aligned_local_range(start + offset, end + offset, step, offset)
        instants: list[int] = []
        for local_low, local_high, offset in self.local_stretches(start, end):
            instants.extend(_aligned_local_range(local_low, local_high, step, offset))
        return instants


def _aligned_local_range(local_low: int, local_high: int, step: int, offset: int) -> list[int]:
    """Aligned instants for one stretch with a constant ``offset`` (local bounds, UTC results)."""
    if SECONDS_PER_DAY % step == 0:
        first = -(-local_low // step) * step
        return list(range(first - offset, local_high - offset, step))
    instants: list[int] = []
    day_start = local_low // SECONDS_PER_DAY * SECONDS_PER_DAY
    while day_start < local_high:
        first = day_start + -(-max(local_low - day_start, 0) // step) * step
        last = min(local_high, day_start + SECONDS_PER_DAY)
        instants.extend(range(first - offset, last - offset, step))
        day_start += SECONDS_PER_DAY
    return instants

"""Half-open time spans ``(start, end)`` in whole seconds, and the set operations on them.

The availability engine works in integer UTC seconds rather than datetimes: comparisons and
arithmetic on ints are several times cheaper, and a week's computation does thousands of them.
Every function here takes and returns spans sorted by start, disjoint and non-empty ("normal"
lists), except ``merge``, which makes any collection of spans normal.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime, timedelta

Span = tuple[int, int]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Union of ``spans``: sorted, overlapping or touching spans joined, empty ones dropped.

    Touching spans join because a session may run from the end of one block straight into the
    next when both allow it.
    """
    merged: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """The parts of ``spans`` not covered by ``holes`` (both normal lists).

    One sweep over both lists, so the cost is linear in their lengths.
    """
    if not holes:
        return spans
    result: list[Span] = []
    hole_index = 0
    hole_count = len(holes)
    for start, end in spans:
        # Holes ending before this span cannot touch it or any later span.
        while hole_index < hole_count and holes[hole_index][1] <= start:
            hole_index += 1
        cursor = start
        index = hole_index
        while index < hole_count and holes[index][0] < end:
            hole_start, hole_end = holes[index]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            index += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def containing_span(spans: list[Span], start: int, end: int) -> Span | None:
    """The span of a normal list that contains all of ``[start, end)``, if any."""
    index = bisect_right(spans, (start, float("inf"))) - 1
    if index >= 0 and spans[index][1] >= end:
        return spans[index]
    return None


def overlaps_any(spans: list[Span], start: int, end: int) -> bool:
    """Whether ``[start, end)`` shares any instant with a span of a normal list."""
    index = bisect_right(spans, (end, float("-inf"))) - 1
    # Only the last span starting before ``end`` can reach past ``start``: the list is disjoint.
    return index >= 0 and spans[index][1] > start


def too_close(first: tuple[datetime, datetime], second: tuple[datetime, datetime], buffer: timedelta) -> bool:
    """Whether two sessions overlap or leave less than ``buffer`` between them.

    The one rule behind "this time is taken" outside the engine: the dashboard's conflict and
    overlap warnings and Accept's re-check (in SQL there, with the same comparisons).
    """
    return second[0] < first[1] + buffer and second[1] > first[0] - buffer

"""The bounds of what staff may set, and reading a service's lengths and a phone number."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal_app.domain.cancellation import video_join_open
from portal_app.domain.setting_limits import WholeRange, is_phone_number, service_lengths


@pytest.mark.parametrize(
    ("typed", "lengths"),
    [("50", (50,)), ("50, 80", (50, 80)), ("80,50", (50, 80)), (" 80 50 50 ", (50, 80)), ("5;480", (5, 480))],
)
def test_service_lengths_are_read_shortest_first_each_once(typed, lengths):
    assert service_lengths(typed) == lengths


@pytest.mark.parametrize(
    "typed", ["", " , ", "0", "4", "481", "52", "5.0", "fifty", "-50", "²", "10, 20, 30, 40, 50"]
)
def test_service_lengths_outside_the_rules_are_refused(typed):
    with pytest.raises(ValueError, match="length"):
        service_lengths(typed)


@pytest.mark.parametrize(
    ("typed", "is_phone"),
    [
        ("(617) 555-0148", True),
        ("+44 20 7946 0958", True),
        ("617.555.0148 ext. 12", True),
        ("617-555-0148x3", True),
        ("555", False),
        ("call us", False),
        ("1" * 16, False),
        ("<script>", False),
    ],
)
def test_a_phone_number_has_7_to_15_digits_and_the_usual_punctuation(typed, is_phone):
    assert is_phone_number(typed) is is_phone


def test_a_whole_range_holds_whole_numbers_only():
    hours = WholeRange(0, 24)

    assert [value in hours for value in (0, 24, -1, 25, True, 1.5, "3")] == [
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(("minutes_before", "open_"), [(0, False), (5, True), (10, True), (4, False)])
def test_join_video_opens_as_many_minutes_before_the_start_as_the_practice_says(minutes_before, open_):
    starts_at = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    now = starts_at - timedelta(minutes=5)

    assert (
        video_join_open(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=50),
            now=now,
            opens_minutes_before=minutes_before,
        )
        is open_
    )

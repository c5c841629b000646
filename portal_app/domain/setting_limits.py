"""The bounds of what staff may set: the practice's rules, services, locations, profiles.

One place for every number, read by the pydantic models at the services' edge, by the CHECK
constraints in ``models`` (the migration spells the same numbers out) and by the words a person
reads when a value is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class WholeRange:
    """Whole numbers from ``low`` to ``high``, both included."""

    low: int
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and self.low <= value <= self.high


# The practice's numeric rules (the column names of ``Practice``).
PRACTICE_RANGES: dict[str, WholeRange] = {
    "cancellation_window_hours": WholeRange(0, 336),
    "minimum_notice_hours": WholeRange(0, 720),
    "booking_horizon_days": WholeRange(1, 730),
    "buffer_minutes": WholeRange(0, 120),
    # 0: no reminder email.
    "reminder_hours_before": WholeRange(0, 168),
    "video_join_minutes_before": WholeRange(0, 60),
    # A request (or a proposed time) not answered this long after it was made expires.
    "request_expiry_hours": WholeRange(1, 336),
    # A staff session with no action of its person for this long ends (5 minutes to 12 hours).
    "staff_idle_minutes": WholeRange(5, 720),
}
# Sessions start at multiples of the increment from local midnight, so it divides an hour; zero
# would divide by zero in the engine.
SLOT_INCREMENTS: tuple[int, ...] = (5, 10, 15, 20, 30, 60)

SERVICE_LENGTH = WholeRange(5, 480)
"""One length of a service, in minutes (5 minutes to 8 hours)."""
SERVICE_LENGTH_STEP = 5
"""Lengths are whole multiples of this many minutes."""
MAX_SERVICE_LENGTHS = 4
"""How many lengths one service may offer."""

MAX_NAME = 120
MAX_CREDENTIALS = 60
MAX_ADDRESS = 240
MAX_DESCRIPTION = 1000
MAX_PHONE = 40
MAX_VIDEO_LINK = 500
MAX_ZONE = 64

_PHONE = re.compile(r"^[0-9+()./\- ]+$")
_EXTENSION = re.compile(r"\s*(?:ext\.?|x)\s*[0-9]{1,6}$", re.IGNORECASE)


def is_phone_number(text: str) -> bool:
    """Whether ``text`` reads as a phone number: 7 to 15 digits, the usual punctuation, an extension."""
    main = _EXTENSION.sub("", text)
    digits = sum(character.isdigit() for character in main)
    return bool(_PHONE.match(main)) and 7 <= digits <= 15


def service_lengths(text: str) -> tuple[int, ...]:
    """The lengths typed as ``"50, 80"`` (commas or spaces), shortest first, each once.

    Raises:
        ValueError: Nothing typed, something that is not a whole number, a length outside
            ``SERVICE_LENGTH`` or off the ``SERVICE_LENGTH_STEP``, or too many lengths.
    """
    parts = [part for part in re.split(r"[,;\s]+", text.strip()) if part]
    if not parts or not all(part.isascii() and part.isdigit() for part in parts):
        raise ValueError("lengths are whole numbers of minutes")
    lengths = tuple(sorted({int(part) for part in parts}))
    if len(lengths) > MAX_SERVICE_LENGTHS:
        raise ValueError("too many lengths")
    if not all(length in SERVICE_LENGTH and length % SERVICE_LENGTH_STEP == 0 for length in lengths):
        raise ValueError("a length is out of bounds")
    return lengths

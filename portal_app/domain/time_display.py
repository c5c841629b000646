"""How instants are shown to people: in their zone, with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def valid_zone(name: object) -> str | None:
    """``name`` if it is a known IANA time zone, else None (browser input is not trusted)."""
    if not isinstance(name, str) or not name or len(name) > 64:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def _clock(moment: datetime) -> str:
    return moment.strftime("%I:%M %p").lstrip("0")


def day_label(start: datetime, zone: str) -> str:
    """``Mon, Nov 30, 2026`` for the local day ``start`` falls on."""
    local = start.astimezone(ZoneInfo(zone))
    return f"{local:%a, %b} {local.day}, {local.year}"


def time_range_label(start: datetime, end: datetime, zone: str) -> str:
    """``10:00 AM – 10:50 AM EST``: local clock times with the zone's abbreviation."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{_clock(local_start)} – {_clock(local_end)} {local_end.tzname()}"

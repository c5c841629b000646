"""How instants are shown to people: in their zone, with the zone named."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Files in the system's zone folder that are not zones a place keeps: ``localtime`` is the
# server's own setting, ``posixrules`` a template for POSIX TZ strings, ``Factory`` a placeholder
# whose abbreviation is "-00". ZoneInfo opens them all, so a browser could send any of them.
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def _known_zones() -> frozenset[str]:
    # Reading the zone folders is slow; the installed zone names do not change while we run.
    return frozenset(available_timezones()) - _NOT_PLACES


def zone_choices() -> list[str]:
    """Every zone ``valid_zone`` accepts, sorted: what a person may choose from."""
    return sorted(_known_zones())


def valid_zone(name: object) -> str | None:
    """``name`` if it is a canonical IANA time zone name, else None (browser input is not trusted).

    Only names listed by the IANA database are accepted, exactly as spelled there: no file paths,
    no ``localtime`` (which would be the server's zone), no ``posixrules`` or ``Factory``.
    """
    if not isinstance(name, str) or name not in _known_zones():
        return None
    return name


def clock_label(value: time | datetime) -> str:
    """``9:00 AM``: a wall-clock time as people in the portal read it."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'}"


def week_label(first_day: date) -> str:
    """``Nov 30 – Dec 6, 2026``: the seven days from ``first_day``."""
    last_day = first_day + timedelta(days=6)
    return f"{first_day:%b} {first_day.day} – {last_day:%b} {last_day.day}, {last_day.year}"


def week_containing(day: date, today: date) -> date:
    """The first day of the week shown for ``day``: every week view (the booking calendar, the
    Calendar tab, the therapist's schedule) starts on today's weekday, so the first week shown is
    the coming seven days and later weeks follow it."""
    return today + timedelta(weeks=(day - today).days // 7)


def date_label(day: date) -> str:
    """``Mon, Nov 30, 2026``: a date as every page of the portal writes it."""
    return f"{day:%a, %b} {day.day}, {day.year}"


def day_label(start: datetime, zone: str) -> str:
    """``Mon, Nov 30, 2026`` for the local day ``start`` falls on."""
    return date_label(start.astimezone(ZoneInfo(zone)).date())


def zone_abbreviation(day: date, zone: str) -> str:
    """``CST``: the abbreviation ``zone`` goes by at noon on ``day`` (the hours a calendar shows)."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(zone)).tzname() or ""


def time_range_label(start: datetime, end: datetime, zone: str) -> str:
    """``10:00 AM – 10:50 AM EST``: local clock times with the zone's abbreviation."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    return f"{clock_label(local_start)} – {clock_label(local_end)} {local_end.tzname()}"


def moment_label(instant: datetime, zone: str) -> str:
    """``Mon, Nov 30, 2026, 10:05 AM EST``: one instant, with its day and zone."""
    local = instant.astimezone(ZoneInfo(zone))
    return f"{day_label(instant, zone)}, {clock_label(local)} {local.tzname()}"


def waiting_label(since: datetime, now: datetime) -> str:
    """How long something has waited, in the largest sensible unit: ``5 min``, ``3 h``, ``2 days``."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"


def zone_label(zone: str, at: datetime) -> str:
    """``America/New York (EST)``: a zone's name as people read it, with its abbreviation at ``at``."""
    return f"{zone.replace('_', ' ')} ({at.astimezone(ZoneInfo(zone)):%Z})"

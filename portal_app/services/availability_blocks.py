"""A clinician's availability described in words, for the editor's lists (practice zone)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portal_app.domain.time_display import clock_label, day_label, time_range_label
from portal_app.domain.vocabulary import ExceptionKind
from portal_app.models import AvailabilityBlock, AvailabilityException
from portal_app.services.stored_rows import stored_id

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class BlockSummary:
    """One recurring block as the editor lists it, and its values to prefill the form."""

    id: int
    days: str
    hours: str
    repeats: str
    location: str
    forums: str
    services: str
    valid: str
    draft: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ExceptionSummary:
    """One upcoming exception as the editor lists it."""

    id: int
    kind: str
    title: str
    when: str
    details: str
    note: str


def forums_label(in_person: bool, telehealth: bool) -> str:
    """``In-person · Telehealth``."""
    return " · ".join(name for name, on in (("In-person", in_person), ("Telehealth", telehealth)) if on)


def block_draft(block: AvailabilityBlock) -> dict[str, object]:
    """The block's values as the editor's form holds them."""
    return {
        "weekdays": sorted(block.weekdays),
        "start": block.start_local.strftime("%H:%M"),
        "end": block.end_local.strftime("%H:%M"),
        "every_n_weeks": str(block.every_n_weeks),
        "valid_from": block.valid_from.isoformat(),
        "valid_until": block.valid_until.isoformat() if block.valid_until else "",
        "location_id": str(block.location_id),
        "in_person": block.in_person,
        "telehealth": block.telehealth,
        "service_ids": [str(service_id) for service_id in block.service_ids],
    }


def describe_block(
    block: AvailabilityBlock, *, locations: dict[int, str], services: dict[int, str]
) -> BlockSummary:
    """One block in words."""
    every = block.every_n_weeks
    return BlockSummary(
        id=stored_id(block),
        days=", ".join(DAY_NAMES[day] for day in sorted(block.weekdays)),
        hours=f"{clock_label(block.start_local)} – {clock_label(block.end_local)}",
        repeats="Every week" if every == 1 else f"Every {every} weeks",
        location=locations.get(block.location_id, "Unknown location"),
        forums=forums_label(block.in_person, block.telehealth),
        services=", ".join(services.get(sid, "Unknown service") for sid in block.service_ids),
        valid=f"From {block.valid_from:%b} {block.valid_from.day}, {block.valid_from.year}"
        + (
            f" until {block.valid_until:%b} {block.valid_until.day}, {block.valid_until.year}"
            if block.valid_until
            else ""
        ),
        draft=block_draft(block),
    )


def describe_exception(
    exception: AvailabilityException, *, zone: str, locations: dict[int, str], services: dict[int, str]
) -> ExceptionSummary:
    """One exception in words: a whole-day range reads as days, anything else as times."""
    tz = ZoneInfo(zone)
    start, end = exception.starts_at.astimezone(tz), exception.ends_at.astimezone(tz)
    if _whole_days(start, end):
        last = end - timedelta(days=1)
        if last.date() == start.date():
            when = f"{day_label(start, zone)} (whole day)"
        else:
            when = f"{day_label(start, zone)} – {day_label(last, zone)} (whole days)"
    else:
        when = f"{day_label(start, zone)}, {time_range_label(start, end, zone)}"
    if exception.kind == ExceptionKind.TIME_OFF:
        title, details = "Time off", "No sessions can be booked."
    else:
        title = "Extra hours"
        names = ", ".join(services.get(sid, "Unknown service") for sid in exception.service_ids)
        place = locations.get(exception.location_id or 0, "Unknown location")
        details = f"{place} · {forums_label(exception.in_person, exception.telehealth)} · {names}"
    return ExceptionSummary(
        id=stored_id(exception),
        kind=exception.kind.value,
        title=title,
        when=when,
        details=details,
        note=exception.note,
    )


def _whole_days(start: datetime, end: datetime) -> bool:
    return start.time() == end.time() == datetime.min.time() and end > start

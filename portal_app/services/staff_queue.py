"""What the staff Dashboard lists: the request queue with its warnings, and confirmed sessions ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from sqlmodel import Session

from portal_app.services.appointments import (
    AppointmentView,
    pending_requests,
    sessions_to_record,
    upcoming_confirmed,
)
from portal_app.services.request_decisions import pending_conflicts
from portal_app.services.request_review import overlapping_requests


@dataclass(frozen=True)
class StaffQueue:
    """Pending requests oldest first, why some cannot be accepted, and what is coming up.

    Attributes:
        pending: Requests waiting for a decision, oldest first.
        conflicts: Request id → the time of the confirmed session it overlaps (no Accept).
        overlaps: Request id → the time of another pending request it overlaps (a warning).
        upcoming: Confirmed sessions from now on.
        to_record: Confirmed sessions that have started and wait to be marked attended or no-show.
    """

    pending: list[AppointmentView]
    conflicts: dict[int, str]
    overlaps: dict[int, str]
    upcoming: list[AppointmentView]
    to_record: list[AppointmentView]


class _Scope(TypedDict):
    """The arguments every list of the queue takes."""

    session: Session
    practice_id: int
    clinician_id: int | None
    now: datetime


def staff_queue(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime, zone: str
) -> StaffQueue:
    """One clinician's queue, or the whole practice's (``clinician_id`` None, for admins)."""
    scope: _Scope = {"session": session, "practice_id": practice_id, "clinician_id": clinician_id, "now": now}
    return StaffQueue(
        pending=pending_requests(**scope, zone=zone),
        conflicts=pending_conflicts(**scope),
        overlaps=overlapping_requests(**scope),
        upcoming=upcoming_confirmed(**scope, zone=zone),
        to_record=sessions_to_record(**scope, zone=zone),
    )

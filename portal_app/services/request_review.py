"""What the staff dashboard marks on pending requests besides a clash with a confirmed session.

Accept, Decline and ``pending_conflicts`` (a request over a confirmed appointment, which Accept
refuses) live in ``services.request_decisions``. Two pending requests that overlap each other
are a different case: either one may still be accepted (the other then clashes with it), so the
dashboard warns about them without disabling Accept.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from sqlmodel import Session, col, select

from portal_app.domain.intervals import too_close
from portal_app.domain.time_display import time_range_label
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.models import Appointment, Practice
from portal_app.services.stored_rows import required_row, stored_id


def overlapping_requests(
    *, session: Session, practice_id: int, clinician_id: int | None, now: datetime
) -> dict[int, str]:
    """Future pending requests that overlap another pending request of the same clinician.

    The practice's buffer counts as part of each session, as it does for booking. New requests
    cannot overlap (their time is held), so such pairs come from a buffer made longer after
    they were booked, or from requests written by staff or an import.

    Args:
        session: An open session (read only).
        practice_id: The viewer's practice.
        clinician_id: One clinician's queue, or None for the whole practice.
        now: The current instant; requests that have started are left out.

    Returns:
        Request id → the other request's time in the practice's zone, e.g. ``10:00 AM –
        10:50 AM EST``. Two queries, whatever the number of requests.
    """
    scope = [
        Appointment.practice_id == practice_id,
        Appointment.status == AppointmentStatus.REQUESTED,
        Appointment.starts_at >= now,
    ]
    if clinician_id is not None:
        scope.append(Appointment.clinician_id == clinician_id)
    pending = session.exec(
        select(Appointment).where(*scope).order_by(col(Appointment.clinician_id), col(Appointment.starts_at))
    ).all()
    if len(pending) < 2:
        return {}
    practice = required_row(session, Practice, practice_id)
    buffer = timedelta(minutes=practice.buffer_minutes)
    overlaps: dict[int, str] = {}
    for _, requests in groupby(pending, key=lambda request: request.clinician_id):
        for earlier, later in _overlapping_pairs(list(requests), buffer):
            for marked, other in ((earlier, later), (later, earlier)):
                overlaps.setdefault(
                    stored_id(marked), time_range_label(other.starts_at, other.ends_at, practice.time_zone)
                )
    return overlaps


def _overlapping_pairs(
    by_start: list[Appointment], buffer: timedelta
) -> list[tuple[Appointment, Appointment]]:
    """Pairs closer than ``buffer`` (or overlapping), from one clinician's requests sorted by start."""
    pairs = []
    for index, earlier in enumerate(by_start):
        for later in by_start[index + 1 :]:
            # Sorted by start: once one later request starts clear of this one, all the rest do.
            if not too_close((earlier.starts_at, earlier.ends_at), (later.starts_at, later.ends_at), buffer):
                break
            pairs.append((earlier, later))
    return pairs

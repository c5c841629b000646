"""Availability blocks described in words, for staff."""

from __future__ import annotations

from sqlmodel import Session, col, select

from portal_app.domain.time_display import clock_label
from portal_app.models import AvailabilityBlock, Clinician, Location, Service

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def describe_blocks(*, session: Session, practice_id: int, clinician_id: int | None) -> list[dict[str, str]]:
    """Each recurring block as a row of words; one clinician's, or the whole practice's."""
    query = (
        select(AvailabilityBlock, Clinician, Location)
        .join(Clinician, col(Clinician.id) == AvailabilityBlock.clinician_id)
        .join(Location, col(Location.id) == AvailabilityBlock.location_id)
        .where(Clinician.practice_id == practice_id)
        .order_by(col(Clinician.display_name), col(AvailabilityBlock.id))
    )
    if clinician_id is not None:
        query = query.where(Clinician.id == clinician_id)
    service_names = {
        service.id: service.name
        for service in session.exec(select(Service).where(Service.practice_id == practice_id))
    }
    rows = []
    for block, clinician, location in session.exec(query):
        forums = [
            name
            for name, offered in (("In-person", block.in_person), ("Telehealth", block.telehealth))
            if offered
        ]
        rows.append(
            {
                "clinician": clinician.display_name,
                "days": ", ".join(_DAY_NAMES[day] for day in sorted(block.weekdays)),
                "hours": f"{clock_label(block.start_local)} – {clock_label(block.end_local)}",
                "repeats": "Every week" if block.every_n_weeks == 1 else f"Every {block.every_n_weeks} weeks",
                "location": location.name,
                "forums": " · ".join(forums),
                "services": ", ".join(service_names.get(sid, "Unknown service") for sid in block.service_ids),
                "valid": f"From {block.valid_from:%b %d, %Y}"
                + (f" until {block.valid_until:%b %d, %Y}" if block.valid_until else ""),
            }
        )
    return rows

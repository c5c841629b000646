"""A bookable practice for the request and decision service tests, on any engine."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from portal_app import models as m
from portal_app.services.auth import Viewer
from tests.factories import (
    make_block,
    make_client,
    make_clinician,
    make_location,
    make_practice,
    make_service,
)

ZONE = ZoneInfo("America/New_York")
# A fixed "now": Monday 2 March 2026, 09:00 in New York.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ZONE).astimezone(UTC)


def at(day_offset: int, clock: time) -> datetime:
    """A practice-local wall-clock time ``day_offset`` days after NOW's date, as UTC."""
    return datetime.combine(date(2026, 3, 2) + timedelta(days=day_offset), clock, tzinfo=ZONE).astimezone(UTC)


@dataclass(frozen=True)
class Bookable:
    """Ids only, so the setup outlives the session that made it (threads open their own)."""

    practice_id: int
    clinician_id: int
    clinician_user_id: int
    location_id: int
    service_id: int
    client_ids: list[int]
    client_user_ids: list[int]

    def client_viewer(self, index: int = 0) -> Viewer:
        return Viewer(
            user_id=self.client_user_ids[index],
            role=m.Role.CLIENT,
            display_name=f"Client {index}",
            practice_id=self.practice_id,
            client_id=self.client_ids[index],
        )

    def clinician_viewer(self) -> Viewer:
        return Viewer(
            user_id=self.clinician_user_id,
            role=m.Role.CLINICIAN,
            display_name="Clinician",
            practice_id=self.practice_id,
            clinician_id=self.clinician_id,
        )

    def request_args(self, starts_at: datetime, minutes: int = 50) -> dict:
        return {
            "clinician_id": self.clinician_id,
            "service_id": self.service_id,
            "location_id": self.location_id,
            "forum": m.Forum.IN_PERSON,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes),
        }


def make_bookable(session: Session, *, clients: int = 1, name: str = "a") -> Bookable:
    """Weekdays 9:00–17:00 in-person; 24 h notice, 60-day horizon, 15-minute steps, 10-minute buffer."""
    practice = make_practice(session)
    clinician = make_clinician(session, practice, slug=f"{name}-clinician")
    location = make_location(session, practice)
    service = make_service(session, practice, durations_minutes=[50, 80])
    make_block(session, clinician, location, [service], start_local=time(9), end_local=time(17))
    made = [make_client(session, practice, email=f"{name}-client{i}@example.com") for i in range(clients)]
    return Bookable(
        practice_id=practice.id,
        clinician_id=clinician.id,
        clinician_user_id=clinician.user_id,
        location_id=location.id,
        service_id=service.id,
        client_ids=[client.id for client in made],
        client_user_ids=[client.user_id for client in made],
    )

"""What the booking wizard lists: providers open to self-scheduling, and names for ids."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal_app.models import Clinician, Location, Service, User
from portal_app.services.stored_rows import stored_id


@dataclass(frozen=True)
class Catalog:
    """A practice's providers who accept online requests, and the names of its places and services."""

    providers: dict[int, str]
    provider_slugs: dict[str, int]
    locations: dict[int, str]
    services: dict[int, str]


def booking_catalog(*, session: Session, practice_id: int) -> Catalog:
    """The names the wizard shows, for one practice: active self-scheduling providers, active places
    and services."""
    clinicians = session.exec(
        select(Clinician)
        .join(User, col(User.id) == Clinician.user_id)
        .where(
            Clinician.practice_id == practice_id,
            Clinician.self_scheduling == True,  # noqa: E712
            col(User.is_active),
        )
        .order_by(Clinician.display_name)
    ).all()
    # Retired locations and services are no longer offered (their history keeps their names).
    locations = session.exec(
        select(Location).where(Location.practice_id == practice_id, Location.active == True)  # noqa: E712
    ).all()
    services = session.exec(
        select(Service).where(Service.practice_id == practice_id, Service.active == True)  # noqa: E712
    ).all()
    return Catalog(
        providers={
            stored_id(c): f"{c.display_name}, {c.credentials}" if c.credentials else c.display_name
            for c in clinicians
        },
        provider_slugs={c.slug: stored_id(c) for c in clinicians},
        locations={stored_id(location): location.name for location in locations},
        services={stored_id(service): service.name for service in services},
    )


def practice_clinicians(*, session: Session, practice_id: int) -> dict[int, str]:
    """Every clinician of the practice by id, in name order (for staff views)."""
    clinicians = session.exec(
        select(Clinician).where(Clinician.practice_id == practice_id).order_by(Clinician.display_name)
    ).all()
    return {stored_id(clinician): clinician.display_name for clinician in clinicians}


def takes_online_requests(*, session: Session, clinician: Clinician) -> bool:
    """Whether clients may request time with ``clinician`` now: self-scheduling, and not deactivated."""
    user = session.get(User, clinician.user_id)
    return clinician.self_scheduling and user is not None and user.is_active

"""The question every availability answer starts from: whose time, for what, where, for whom."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.domain.vocabulary import Forum


@dataclass(frozen=True, slots=True, kw_only=True)
class SlotRequest:
    """The booking wizard's answers before the time, as ids.

    Keyword-only: three of the ids are plain integers, and a provider swapped with a location
    would still type-check.

    Attributes:
        clinician_id: The provider.
        service_id: The service (must belong to the clinician's practice).
        location_id: The chosen location.
        forum: In-person or telehealth.
        is_new_client: Whether the client is new to the practice.
        viewer_client_id: The viewing client, if any; only marks their own sessions as theirs.
        ignore_appointment_id: An appointment whose time does not count as taken (the request
            being moved to another time).
    """

    clinician_id: int
    service_id: int
    location_id: int
    forum: Forum
    is_new_client: bool
    viewer_client_id: int | None = None
    ignore_appointment_id: int | None = None

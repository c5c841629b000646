"""What the Availability page lists, as typed rows (no ids of people, only what is drawn)."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.services.availability_editing import AffectedSession


@dataclass(frozen=True)
class BlockRow:
    """A recurring block in the list; ``label`` names it in buttons and dialogs."""

    id: int = 0
    days: str = ""
    hours: str = ""
    repeats: str = ""
    location: str = ""
    forums: str = ""
    services: str = ""
    valid: str = ""
    label: str = ""


@dataclass(frozen=True)
class ExceptionRow:
    """An upcoming time off or extra hours."""

    id: int = 0
    kind: str = ""
    title: str = ""
    when: str = ""
    details: str = ""
    note: str = ""


@dataclass(frozen=True)
class AffectedRow:
    """A session the change would strand, with the words for releasing it."""

    key: str = ""
    client: str = ""
    day: str = ""
    time: str = ""
    service: str = ""
    status: str = ""
    status_label: str = ""
    release_label: str = ""

    @classmethod
    def of(cls, item: AffectedSession) -> AffectedRow:
        pending = item.status == "requested"
        return cls(
            key=str(item.appointment_id),
            client=item.client,
            day=item.day,
            time=item.time,
            service=item.service,
            status=item.status,
            status_label=item.status_label,
            release_label="Decline request" if pending else "Cancel appointment",
        )

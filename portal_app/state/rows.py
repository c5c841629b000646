"""What the pages show, as typed rows: compact, with only what the page draws (no ids of people)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portal_app.domain.vocabulary import Forum
from portal_app.services.appointments import AppointmentView


@dataclass(frozen=True)
class AppointmentRow:
    """One appointment on a card or in a dialog, in the viewer's zone."""

    id: int = 0
    day: str = ""
    time: str = ""
    clinician: str = ""
    client: str = ""
    service: str = ""
    where: str = ""
    telehealth: bool = False
    status: str = ""
    status_label: str = ""
    message: str = ""
    moves: str = ""

    @classmethod
    def of(cls, view: AppointmentView) -> AppointmentRow:
        """The row for one appointment as a service read it."""
        return cls(
            id=view.id,
            day=view.day,
            time=view.time,
            clinician=view.clinician,
            client=view.client,
            service=view.service,
            where=view.where,
            telehealth=view.forum == Forum.TELEHEALTH.value,
            status=view.status,
            status_label=view.status_label,
            message=view.message,
            moves=view.moves,
        )


@dataclass(frozen=True)
class PendingRow:
    """A request in the staff queue: the appointment, how long it has waited, and any warning."""

    appointment: AppointmentRow
    waiting: str = ""
    conflict: str = ""
    warning: str = ""
    # A new client's contact details and the others named on the request ("" for existing clients).
    newcomer: str = ""


@dataclass(frozen=True)
class ClientDetail:
    """The client's details dialog: the appointment and what they may do with it now."""

    appointment: AppointmentRow = AppointmentRow()
    # Empty when there is nothing to put in a calendar (declined, withdrawn, cancelled).
    calendar_url: str = ""
    can_withdraw: bool = False
    can_cancel: bool = False
    can_answer: bool = False
    # Why the client must call to cancel (empty: they need not), and the number as a tel: link.
    cancel_note: str = ""
    phone: str = ""
    phone_href: str = ""
    # Manage Appointment: "change" (pending), "reschedule" (confirmed) or "" (not now).
    manage: str = ""
    # Join Video: the clinician's video room while the session may be joined, else when it opens.
    video_link: str = ""
    video_note: str = ""


@dataclass(frozen=True)
class VideoRow:
    """A telehealth session that may be joined now: who with, and the video room."""

    appointment_id: int = 0
    clinician: str = ""
    link: str = ""


@dataclass(frozen=True)
class StaffDetail:
    """The staff details dialog: the appointment, the client's contact, and what staff may do."""

    appointment: AppointmentRow = AppointmentRow()
    email: str = ""
    phone: str = ""
    phone_href: str = ""
    # Everyone joining besides the client, e.g. "Jamie Rivera (partner), Sam Rivera (child, minor)".
    attendees: str = ""
    can_cancel: bool = False
    can_record: bool = False


@dataclass(frozen=True)
class Option:
    """One entry of a select: the value sent back, and the words shown."""

    value: str
    label: str

    @staticmethod
    def listed(names: dict[int, str], ids: Iterable[int]) -> list[Option]:
        """Options for ``ids`` that have a name, in the order of ``ids``."""
        return [Option(value=str(i), label=names[i]) for i in ids if i in names]

    @staticmethod
    def chosen(value: str, options: list[Option]) -> int | None:
        """``value`` as an id if it is one of the ``options`` offered, else None."""
        return int(value) if value in {option.value for option in options} else None


@dataclass(frozen=True)
class RequestSummary:
    """The request as the booking wizard's review step shows it before Submit."""

    provider: str = ""
    location: str = ""
    forum: str = ""
    service: str = ""
    day: str = ""
    time: str = ""

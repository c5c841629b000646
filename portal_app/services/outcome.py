"""What an appointment service did, as a code; the words a person reads live in ``state.wording``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from portal_app.domain.bookability import BookingCheck
from portal_app.domain.vocabulary import AppointmentStatus


class Outcome(enum.StrEnum):
    """The result of a request, change, withdrawal, cancellation or decision."""

    SENT = "sent"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NEW_TIME_REQUESTED = "new_time_requested"
    PROPOSED = "proposed"
    PROPOSAL_ACCEPTED = "proposal_accepted"
    PROPOSAL_DECLINED = "proposal_declined"
    ATTENDED = "attended"
    NO_SHOW = "no_show"
    # Refusals.
    NOT_FOUND = "not_found"
    BAD_REQUEST = "bad_request"
    CLIENTS_ONLY = "clients_only"
    PROVIDER_CLOSED = "provider_closed"
    TAKEN = "taken"
    NOT_BOOKABLE = "not_bookable"
    ALREADY_ANSWERED = "already_answered"
    OVERLAPS_CONFIRMED = "overlaps_confirmed"
    NOT_UPCOMING = "not_upcoming"
    CALL_TO_CANCEL = "call_to_cancel"
    MESSAGE_TOO_LONG = "message_too_long"
    NOT_STARTED = "not_started"
    NEW_TIME_PENDING = "new_time_pending"


_DONE = frozenset(
    {
        Outcome.SENT,
        Outcome.CHANGED,
        Outcome.UNCHANGED,
        Outcome.WITHDRAWN,
        Outcome.CANCELLED,
        Outcome.ACCEPTED,
        Outcome.DECLINED,
        Outcome.ATTENDED,
        Outcome.NO_SHOW,
        Outcome.NEW_TIME_REQUESTED,
        Outcome.PROPOSED,
        Outcome.PROPOSAL_ACCEPTED,
        Outcome.PROPOSAL_DECLINED,
    }
)


@dataclass(frozen=True)
class AppointmentResult:
    """``outcome`` and what a message about it needs.

    Attributes:
        outcome: What happened.
        appointment_id: The appointment concerned, when there is one.
        check: Why the time cannot be booked (``NOT_BOOKABLE``).
        status: The status found instead of the expected one (``ALREADY_ANSWERED``).
        concerns: The users whose open pages show the appointment, told after a change.
    """

    outcome: Outcome
    appointment_id: int | None = None
    check: BookingCheck | None = None
    status: AppointmentStatus | None = None
    # Who is told is not part of what happened: results compare equal without it.
    concerns: tuple[int, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        """Whether the change was made (or there was nothing to change)."""
        return self.outcome in _DONE


def refused(
    outcome: Outcome,
    *,
    appointment_id: int | None = None,
    check: BookingCheck | None = None,
    status: AppointmentStatus | None = None,
) -> AppointmentResult:
    """A refusal: nothing was changed."""
    return AppointmentResult(outcome, appointment_id=appointment_id, check=check, status=status)

"""The moves an appointment's status may make (DESIGN §4)."""

from __future__ import annotations

from portal_app.domain.vocabulary import AppointmentStatus

_ALLOWED_MOVES: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    # The requester confirms their email (then the therapist sees it), cancels, or lets it lapse.
    AppointmentStatus.UNCONFIRMED: frozenset(
        {AppointmentStatus.REQUESTED, AppointmentStatus.WITHDRAWN, AppointmentStatus.EXPIRED}
    ),
    AppointmentStatus.REQUESTED: frozenset(
        {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.DECLINED,
            AppointmentStatus.WITHDRAWN,
            AppointmentStatus.EXPIRED,
        }
    ),
    # The client accepts or declines the proposal; the therapist may withdraw it.
    AppointmentStatus.PROPOSED: frozenset(
        {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.DECLINED,
            AppointmentStatus.WITHDRAWN,
            AppointmentStatus.EXPIRED,
        }
    ),
    AppointmentStatus.CONFIRMED: frozenset(
        {AppointmentStatus.CANCELLED, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW}
    ),
}

# Statuses whose time is taken: nobody else may be booked over them.
HOLDS_TIME: frozenset[AppointmentStatus] = frozenset(
    {
        AppointmentStatus.UNCONFIRMED,
        AppointmentStatus.REQUESTED,
        AppointmentStatus.PROPOSED,
        AppointmentStatus.CONFIRMED,
    }
)
# Time held that the practice sees: a new client's unconfirmed request is not shown to anyone
# until they confirm their email (it still keeps others off the time meanwhile).
SEEN_HOLDS: frozenset[AppointmentStatus] = HOLDS_TIME - {AppointmentStatus.UNCONFIRMED}
# Statuses still waiting for an answer (the therapist's to a request, the client's to a proposal).
AWAITING_ANSWER: frozenset[AppointmentStatus] = frozenset(
    {AppointmentStatus.REQUESTED, AppointmentStatus.PROPOSED}
)


class StatusMoveRefused(ValueError):
    """A status change that the rules do not allow."""


def can_move(current: AppointmentStatus, target: AppointmentStatus) -> bool:
    """Whether an appointment may go from ``current`` to ``target``."""
    return target in _ALLOWED_MOVES.get(current, frozenset())


def check_move(current: AppointmentStatus, target: AppointmentStatus) -> None:
    """Raise ``StatusMoveRefused`` with a readable reason unless the move is allowed."""
    if not can_move(current, target):
        raise StatusMoveRefused(f"An appointment that is {current.value} cannot become {target.value}.")

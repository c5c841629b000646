"""What the public new-client pages say (the rest of the portal's sentences are in ``wording``)."""

from __future__ import annotations

from portal_app.domain.accounts import InputProblem
from portal_app.domain.payment_cards import CardProblem
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.new_client_requests import HOLD, NewClientOutcome, NewClientResult
from portal_app.services.outcome import Outcome
from portal_app.services.request_links import LinkOutcome
from portal_app.state import wording

HOLD_MINUTES = int(HOLD.total_seconds() // 60)

FOR_CHOICES: list[tuple[str, str, str]] = [
    ("self", "Me", "The appointment is for you."),
    ("child", "My child", "You are the parent or guardian of a child under 18."),
    ("couple", "My partner and me", "A session for the two of you."),
    ("someone_else", "Someone else", "An adult you are arranging this for."),
]

THROTTLED = (
    "We have received several requests from you in the last hour. Please wait a while and try "
    "again, or call the practice."
)

CARD_PROBLEMS: dict[CardProblem, str] = {
    CardProblem.NUMBER: "This card number is not valid. Please check it.",
    CardProblem.EXPIRY: "Please enter the expiry date as MM/YY.",
    CardProblem.EXPIRED: "This card has expired. Please use another.",
    CardProblem.CVC: "Please enter the 3-digit security code (4 digits on American Express).",
    CardProblem.DECLINED: "This card was declined. Please use another card.",
    CardProblem.INSUFFICIENT_FUNDS: "This card was declined. Please use another card.",
    CardProblem.GATEWAY_DOWN: "We could not reach the card processor. Please try again in a minute.",
}

REFUSALS: dict[NewClientOutcome, str] = {
    NewClientOutcome.CLOSED: "This provider is not taking requests from new clients online right now.",
    NewClientOutcome.TAKEN: wording.OUTCOMES[Outcome.TAKEN] + ".",
    NewClientOutcome.DUPLICATE: "This request was already sent. Please check your email.",
    NewClientOutcome.THROTTLED: THROTTLED,
}
# After these the person chooses another time.
BACK_TO_CALENDAR = frozenset({NewClientOutcome.TAKEN, NewClientOutcome.NOT_BOOKABLE})

LINK_TITLES: dict[LinkOutcome, str] = {
    LinkOutcome.CONFIRMED: "Your request was sent",
    LinkOutcome.SHOWN: "Your appointment request",
    LinkOutcome.CANCELLED: "Your request was cancelled",
    LinkOutcome.DEAD: "This link no longer works",
    LinkOutcome.SETTLED: "Your appointment request",
}
DEAD_LINK = (
    "It may have expired or been used already. If you did not confirm your email in time, the time "
    "was released: you are welcome to request again."
)
CANCELLED = "The time is free again. You are welcome to request another time whenever you like."


# Where a request stands, as its link's page says it to someone who has no account yet.
REQUEST_STATUS: dict[AppointmentStatus, str] = {
    AppointmentStatus.UNCONFIRMED: "Waiting for you to confirm your email",
    AppointmentStatus.REQUESTED: "Sent — waiting for the provider's answer",
    AppointmentStatus.PROPOSED: "Another time proposed",
    AppointmentStatus.CONFIRMED: "Accepted",
    AppointmentStatus.DECLINED: "Declined",
    AppointmentStatus.WITHDRAWN: "Cancelled",
    AppointmentStatus.CANCELLED: "Cancelled",
    AppointmentStatus.COMPLETED: "Attended",
    AppointmentStatus.NO_SHOW: "Missed",
    AppointmentStatus.EXPIRED: "Expired",
}


def closed_to_new_clients(phone: str) -> str:
    """Why the public page takes no request, and how to reach the practice instead."""
    call = f" Please call us at {phone}." if phone else " Please contact the practice."
    return f"We are not taking appointment requests from new clients online at the moment.{call}"


def check_email(address: str, held_until: str) -> str:
    """The answer after Request Appointment, the same whether or not the address is known."""
    return (
        f"We sent a link to {address}. Open it to confirm your email address and send your request. "
        f"We are holding this time for you until {held_until} ({HOLD_MINUTES} minutes)."
    )


def field_problem(result: NewClientResult) -> str:
    """The message beside the refused field."""
    if result.field_name == "card":
        return "Please enter a card: this practice asks new clients for one to request an appointment."
    if result.problem is not None:
        return wording.INPUT_PROBLEMS[result.problem]
    return wording.INPUT_PROBLEMS[InputProblem.NAME_EMPTY]


def refusal_text(result: NewClientResult) -> str:
    """Why the request was not made."""
    if result.outcome == NewClientOutcome.NOT_BOOKABLE and result.check is not None:
        return wording.problem_text(result.check)
    return REFUSALS.get(result.outcome, wording.BAD_INPUT)

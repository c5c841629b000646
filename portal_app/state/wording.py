"""What the portal says: the words for every result code, in one place.

Services answer with codes (``Outcome``, ``BookingProblem``); pages show these sentences. A test
checks that every code has words, so a new code cannot reach a person as a bare identifier.
"""

from __future__ import annotations

from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.client_details import MAX_NAME_LENGTH, ClientProblem
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AccountStatus, AppointmentStatus
from portal_app.services.outcome import AppointmentResult, Outcome

BAD_INPUT = "That did not look right, so nothing was changed. Please reload the page and try again."
NOT_FOUND = "That appointment could not be found."
CHOOSE_FIRST = "Choose a time on the calendar first."
NOT_OFFERED_TIME = "That time is not available. Please choose a free (white) time."
NO_PROVIDERS = "Online requests are not available right now. Please call the practice to book."
PROVIDER_GONE = "This provider or service is no longer available online. Please choose again."
NO_FREE_TIME = "No free time for this service in the coming weeks. Please call the practice."
PROVIDER_NOT_LINKED = "That booking link is not open for online requests. Please choose a provider."
PROVIDER_HAS_NO_TIMES = "This provider has no times open for online requests right now."
MESSAGE_RETRY_QUEUED = "The message is queued and will be sent shortly."
MESSAGE_NOT_RETRIED = "That message cannot be retried: it is gone, or already being sent."
MESSAGE_NOT_FOUND = "That message could not be found."
NOT_MANAGEABLE = (
    "This appointment can no longer be changed online: it has passed, been answered, already has a "
    "new time waiting, or its provider no longer takes online requests. Please call the practice."
)

OUTCOMES: dict[Outcome, str] = {
    Outcome.SENT: "Request sent.",
    Outcome.CHANGED: "Request changed.",
    Outcome.UNCHANGED: "Nothing to change.",
    Outcome.WITHDRAWN: "Request withdrawn.",
    Outcome.CANCELLED: "Appointment cancelled.",
    Outcome.ACCEPTED: "Accepted. The client has been told by email.",
    Outcome.DECLINED: "Declined. The time is free again and the client has been told.",
    Outcome.NOT_FOUND: NOT_FOUND,
    Outcome.BAD_REQUEST: "That request could not be understood. Please start again.",
    Outcome.CLIENTS_ONLY: "Only clients can request appointments.",
    Outcome.PROVIDER_CLOSED: (
        "That provider does not take online requests. Please choose another or call the practice."
    ),
    Outcome.TAKEN: "That time was just taken — please choose another",
    Outcome.NOT_BOOKABLE: "That time cannot be booked. Please choose another.",
    Outcome.ALREADY_ANSWERED: "This request has already been answered, so it can no longer be changed.",
    Outcome.OVERLAPS_CONFIRMED: (
        "This time now overlaps a confirmed appointment; decline it or ask the client to pick another time."
    ),
    Outcome.NOT_UPCOMING: "This appointment has already started or passed, so it can no longer be changed.",
    Outcome.CALL_TO_CANCEL: "This appointment can no longer be cancelled online. Please call the practice.",
    Outcome.MESSAGE_TOO_LONG: f"Please keep the message under {MAX_MESSAGE_LENGTH} characters.",
    Outcome.NEW_TIME_REQUESTED: (
        "New time requested. Your current appointment stays booked until your therapist accepts it."
    ),
    Outcome.NEW_TIME_PENDING: (
        "A new time is already requested for this appointment. Withdraw that request to ask for another."
    ),
    Outcome.ATTENDED: "Recorded as attended.",
    Outcome.NO_SHOW: "Recorded as a no-show.",
    Outcome.NOT_STARTED: "This session has not started yet, so attendance cannot be recorded.",
}

# How a request that is no longer waiting was answered, in the client's and the staff's words.
ANSWERED_AS: dict[AppointmentStatus, str] = {
    AppointmentStatus.CONFIRMED: "This request has already been accepted.",
    AppointmentStatus.DECLINED: "This request has already been declined.",
    AppointmentStatus.WITHDRAWN: "This request has been withdrawn by the client.",
    AppointmentStatus.CANCELLED: "This appointment has been cancelled.",
    AppointmentStatus.COMPLETED: "This appointment has already been recorded as attended.",
    AppointmentStatus.NO_SHOW: "This appointment has already been recorded as a no-show.",
}

PROBLEMS: dict[BookingProblem, str] = {
    BookingProblem.NOT_OPEN_TO_CLIENT: (
        "This service isn't open to online requests from you. Please choose another."
    ),
    BookingProblem.SERVICE_NOT_OFFERED: "That time isn't offered for this service, location and forum.",
    BookingProblem.WRONG_LENGTH: "This service lasts {lengths} minutes; please pick one.",
    BookingProblem.IN_PAST: "That time has already passed.",
    BookingProblem.NOT_ALIGNED: "Sessions start every {limit} minutes; please pick one of the offered times.",
    BookingProblem.TOO_SOON: "Please book at least {limit} hours ahead.",
    BookingProblem.TOO_FAR_AHEAD: "You can book up to {limit} days ahead; please pick an earlier date.",
    BookingProblem.OUTSIDE_AVAILABILITY: "Your provider isn't available at that time.",
    BookingProblem.OVERLAPS_APPOINTMENT: (
        "That time overlaps another appointment or the break between sessions."
    ),
}


def problem_text(check: BookingCheck) -> str:
    """Why a time cannot be booked, with the practice's numbers filled in."""
    if check.problem is None:
        return ""
    limits = check.limits or (0,)
    return PROBLEMS[check.problem].format(
        lengths=" or ".join(str(minutes) for minutes in check.limits), limit=limits[0]
    )


def call_to_cancel(phone: str) -> str:
    """What the portal says when online cancellation is not possible."""
    at_phone = f" at {phone}" if phone else ""
    return f"This appointment can no longer be cancelled online. Please call the practice{at_phone}."


def why_call(*, online_cancellation: bool, window_hours: int, phone: str) -> str:
    """Why a client must call to cancel an upcoming appointment, and the number when there is one."""
    if not online_cancellation:
        reason = "This practice does not take cancellations online."
    else:
        reason = f"Appointments less than {window_hours} hours away can no longer be cancelled online."
    return f"{reason} To cancel, please call the practice{':' if phone else '.'}"


def result_text(result: AppointmentResult, *, practice_phone: str = "") -> str:
    """The sentence for a service's result."""
    if result.outcome == Outcome.NOT_BOOKABLE and result.check is not None:
        return problem_text(result.check)
    if result.outcome == Outcome.ALREADY_ANSWERED and result.status in ANSWERED_AS:
        return ANSWERED_AS[result.status]
    if result.outcome == Outcome.CALL_TO_CANCEL:
        return call_to_cancel(practice_phone)
    return OUTCOMES[result.outcome]


def overlaps_confirmed(when: str) -> str:
    """The dashboard's mark on a request over a confirmed session at ``when`` (empty: none)."""
    return f"Overlaps a confirmed appointment ({when})." if when else ""


def overlaps_pending(when: str) -> str:
    """The dashboard's warning on a request near another pending one at ``when`` (empty: none)."""
    return f"Overlaps another pending request ({when})." if when else ""


CLIENT_NOT_FOUND = "That client could not be found."

# A client's portal account, as staff read it on the Clients page.
ACCOUNT_LABELS: dict[AccountStatus, str] = {
    AccountStatus.NO_ACCOUNT: "No portal account",
    AccountStatus.ACTIVE: "Active",
    AccountStatus.DEACTIVATED: "Deactivated",
}

# Shown beside the field of the Add client form that was refused.
CLIENT_PROBLEMS: dict[ClientProblem, str] = {
    ClientProblem.NAME_EMPTY: "Please enter the client's full name.",
    ClientProblem.NAME_TOO_LONG: f"Please keep the name under {MAX_NAME_LENGTH} characters.",
    ClientProblem.EMAIL_EMPTY: "Please enter the client's email.",
    ClientProblem.EMAIL_INVALID: "Please enter an email like name@example.com.",
    ClientProblem.EMAIL_TAKEN: (
        "A client with this email is already in the practice. Search for them instead."
    ),
    ClientProblem.PHONE_INVALID: "Please enter a phone number of 7 to 15 digits, like (617) 555-0148.",
}


def client_added(name: str) -> str:
    """What the Clients page says once a client was added."""
    return f"{name} was added to the practice's clients."


# The client's Calendar tab, and the wizard it opens at a time chosen there.
CALENDAR_NEXT_WEEK_SHOWN = "Nothing is booked this week, so this is the week of your next appointment."
CALENDAR_TIME_GONE = "That time is no longer open for requests. Please choose a provider, then a time."


def calendar_time_chosen(when: str) -> str:
    """The wizard opened at a time the client chose on their calendar."""
    return f"You chose {when}. Choose a provider and a service, and that time will be checked with them."


def calendar_time_kept(provider: str, when: str) -> str:
    """The provider chosen can see the client at the time they chose on their calendar."""
    return f"{provider} is free at {when}; it is selected below. Press Save to continue."


def calendar_time_not_offered(provider: str, service: str, when: str) -> str:
    """The provider or service chosen cannot offer the time the client chose on their calendar."""
    return (
        f"{provider} cannot offer {service} at {when}. "
        "Please choose another free (white) time below, or another provider."
    )

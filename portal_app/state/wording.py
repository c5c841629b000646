"""What the portal says: the words for every result code, in one place.

Services answer with codes (``Outcome``, ``BookingProblem``); pages show these sentences. A test
checks that every code has words, so a new code cannot reach a person as a bare identifier.
"""

from __future__ import annotations

from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.availability_editing import EditOutcome
from portal_app.services.availability_forms import MAX_EVERY_N_WEEKS, MAX_TIME_OFF_DAYS, FieldProblem
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
}

# How a request that is no longer waiting was answered, in the client's and the staff's words.
ANSWERED_AS: dict[AppointmentStatus, str] = {
    AppointmentStatus.CONFIRMED: "This request has already been accepted.",
    AppointmentStatus.DECLINED: "This request has already been declined.",
    AppointmentStatus.WITHDRAWN: "This request has been withdrawn by the client.",
    AppointmentStatus.CANCELLED: "This appointment has been cancelled.",
    AppointmentStatus.COMPLETED: "This appointment has already taken place.",
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


# The availability editor.
FIELD_PROBLEMS: dict[FieldProblem, str] = {
    FieldProblem.MISSING: "Please fill this in.",
    FieldProblem.BAD_DATE: "Please enter a date.",
    FieldProblem.BAD_TIME: "Please enter a time.",
    FieldProblem.NO_WEEKDAY: "Choose at least one day of the week.",
    FieldProblem.END_NOT_AFTER_START: "The end must be after the start.",
    FieldProblem.EVERY_N_WEEKS_RANGE: f"Repeat every 1 to {MAX_EVERY_N_WEEKS} weeks.",
    FieldProblem.UNTIL_BEFORE_FROM: "The last day must be on or after the first day.",
    FieldProblem.LAST_BEFORE_FIRST: "The last day must be on or after the first day.",
    FieldProblem.RANGE_TOO_LONG: f"Time off can be at most {MAX_TIME_OFF_DAYS} days at once.",
    FieldProblem.NO_FORUM: "Choose in-person, telehealth or both.",
    FieldProblem.NO_SERVICE: "Choose at least one service clients may book.",
    FieldProblem.UNKNOWN_LOCATION: "Choose one of the practice's locations.",
    FieldProblem.UNKNOWN_SERVICE: "Choose services of the practice only.",
    FieldProblem.ALREADY_PAST: "That time has already passed.",
    FieldProblem.NOTE_TOO_LONG: "Please keep this shorter.",
}

EDIT_OUTCOMES: dict[EditOutcome, str] = {
    EditOutcome.SAVED: "Availability saved. Clients see the change at once.",
    EditOutcome.DELETED: "Deleted. Clients see the change at once.",
    EditOutcome.NOT_FOUND: "That availability could not be found. It may have been changed by someone else.",
    EditOutcome.INVALID: "Please check the highlighted fields. Nothing was saved yet.",
    EditOutcome.NEEDS_DECISIONS: (
        "Some clients' sessions would fall outside your availability. Decide for each."
    ),
    EditOutcome.CHANGED_MEANWHILE: (
        "One of these sessions was changed a moment ago, so nothing was saved. Please try again."
    ),
}


def released_text(count: int) -> str:
    """What the editor adds after saving when it declined or cancelled sessions."""
    if not count:
        return ""
    sessions = "session was" if count == 1 else "sessions were"
    return f" {count} {sessions} declined or cancelled and the clients were told by email."

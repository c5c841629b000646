"""What the portal says: the words for every result code, in one place.

Services answer with codes (``Outcome``, ``BookingProblem``); pages show these sentences. A test
checks that every code has words, so a new code cannot reach a person as a bare identifier.
"""

from __future__ import annotations

from portal_app.domain.accounts import (
    MAX_CREDENTIALS_LENGTH,
    MAX_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MAX_PHONE_LENGTH,
    MIN_PASSWORD_LENGTH,
    InputProblem,
)
from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.client_details import ClientProblem
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AccountStatus, AppointmentStatus
from portal_app.services.account_results import AccountOutcome, AccountResult
from portal_app.services.availability_editing import EditOutcome as AvailabilityOutcome
from portal_app.services.availability_forms import MAX_EVERY_N_WEEKS, MAX_TIME_OFF_DAYS
from portal_app.services.availability_forms import FieldProblem as AvailabilityProblem
from portal_app.services.one_time_links import INVITATION_LIFETIME, LinkProblem
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.second_step import CodeOutcome
from portal_app.services.setting_inputs import EditOutcome, FieldProblem, Problem
from portal_app.services.staff_queue import NewcomerContact

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
    Outcome.PROPOSED: "New time proposed. The client has been emailed and can accept it in the portal.",
    Outcome.PROPOSAL_ACCEPTED: "Accepted: your appointment is confirmed. Your therapist has been told.",
    Outcome.PROPOSAL_DECLINED: "Declined: the proposed time is free again. Your therapist has been told.",
    Outcome.ATTENDED: "Recorded as attended.",
    Outcome.NO_SHOW: "Recorded as a no-show.",
    Outcome.NOT_STARTED: "This session has not started yet, so attendance cannot be recorded.",
}

# How a request that is no longer waiting was answered, in the client's and the staff's words.
ANSWERED_AS: dict[AppointmentStatus, str] = {
    AppointmentStatus.UNCONFIRMED: "This request is waiting for the new client to confirm their email.",
    AppointmentStatus.CONFIRMED: "This request has already been accepted.",
    AppointmentStatus.DECLINED: "This request has already been declined.",
    AppointmentStatus.WITHDRAWN: "This request has been withdrawn by the client.",
    AppointmentStatus.CANCELLED: "This appointment has been cancelled.",
    AppointmentStatus.COMPLETED: "This appointment has already been recorded as attended.",
    AppointmentStatus.NO_SHOW: "This appointment has already been recorded as a no-show.",
    AppointmentStatus.PROPOSED: "This request has been answered with another time.",
    AppointmentStatus.EXPIRED: "This request expired before it was answered.",
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


def video_opens(when: str) -> str:
    """When Join Video appears on a telehealth appointment that is not open yet."""
    return f"Join Video appears here at {when}, a few minutes before the start."


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


# Accounts, invitations and one-time links.
RESET_REQUESTED = (
    "If an account uses that email, we have sent it a link to choose a new password. "
    "The link works once, for 1 hour. Nothing arrived? Check your spam folder, or ask again in a few minutes."
)
TEAM_INTRO = (
    "Invite people by email: they choose their own password with a one-time link that expires after "
    f"{INVITATION_LIFETIME.days} days. Nobody at the practice ever types another person's password."
)
PASSWORD_RULE = f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words make a strong one."

INPUT_PROBLEMS: dict[InputProblem, str] = {
    InputProblem.NAME_EMPTY: "Please enter a name.",
    InputProblem.NAME_TOO_LONG: f"Please keep the name under {MAX_NAME_LENGTH} characters.",
    InputProblem.EMAIL_INVALID: "Please enter an email address like name@example.com.",
    InputProblem.PHONE_TOO_LONG: f"Please keep the phone number under {MAX_PHONE_LENGTH} characters.",
    InputProblem.CREDENTIALS_TOO_LONG: (
        f"Please keep the credentials under {MAX_CREDENTIALS_LENGTH} characters."
    ),
    InputProblem.PASSWORD_TOO_SHORT: f"Please use at least {MIN_PASSWORD_LENGTH} characters.",
    InputProblem.PASSWORD_TOO_LONG: f"Please use at most {MAX_PASSWORD_LENGTH} characters.",
    InputProblem.PASSWORD_IS_EMAIL: "Please choose a password other than your email address.",
    InputProblem.PASSWORD_COMMON: (
        "That password is one of the most common ones, so it would be among the first guessed. "
        "Please choose another, for example a few unrelated words."
    ),
    InputProblem.PASSWORDS_DIFFER: "The two passwords don't match. Please type the same password twice.",
    InputProblem.MESSAGE_TOO_LONG: f"Please keep the message under {MAX_MESSAGE_LENGTH} characters.",
}

_NEW_LINK = "ask the practice to send you a new one."
LINK_PROBLEMS: dict[LinkProblem, str] = {
    LinkProblem.UNKNOWN: f"This link is not valid. Please check that it was copied whole, or {_NEW_LINK}",
    LinkProblem.WRONG_PURPOSE: f"This link is not valid for setting a password. Please {_NEW_LINK}",
    LinkProblem.EXPIRED: f"This link has expired. Please {_NEW_LINK}",
    LinkProblem.USED: (
        f"This link has already been used. If you set your password with it, sign in; otherwise {_NEW_LINK}"
    ),
    LinkProblem.REVOKED: (
        "This link no longer works: it was withdrawn, or a newer one was sent. "
        "Please use the newest email from the practice, or ask for a new link."
    ),
}

ACCOUNT_OUTCOMES: dict[AccountOutcome, str] = {
    AccountOutcome.PRACTICE_CREATED: "Practice created.",
    AccountOutcome.INVITED: "Invitation sent to {name}.",
    AccountOutcome.RESENT: "A new invitation was sent to {name}; earlier links no longer work.",
    AccountOutcome.REVOKED: "{name}'s invitation was revoked; its link no longer works.",
    AccountOutcome.DEACTIVATED: "{name} was deactivated and signed out everywhere. Their history stays.",
    AccountOutcome.REACTIVATED: "{name} is active again and can sign in.",
    AccountOutcome.TWO_FACTOR_RESET: (
        "{name}'s two-factor sign-in was reset and they were signed out everywhere. "
        "They set up their app again at their next sign-in if the practice requires it."
    ),
    AccountOutcome.PASSWORD_SET: "Password set — sign in.",
    AccountOutcome.NOT_FOUND: "That person could not be found. Please reload the page.",
    AccountOutcome.INVALID: "Please check the form.",
    AccountOutcome.EMAIL_TAKEN: "This email already belongs to someone in the portal.",
    AccountOutcome.ZONE_UNKNOWN: (
        "That time zone is unknown. Please use an IANA name such as America/New_York."
    ),
    AccountOutcome.PRACTICE_EXISTS: (
        "This database already holds a practice ({name}); the portal serves one practice per database. "
        "Point REFLEX_DB_URL at a new database."
    ),
    AccountOutcome.HAS_ACCOUNT: "{name} already has a portal account.",
    AccountOutcome.NOT_INVITED: "{name} has already set a password, so there is no invitation to change.",
    AccountOutcome.INACTIVE: "{name} is deactivated. Reactivate them first.",
    AccountOutcome.NOT_YOURSELF: "You cannot deactivate your own account.",
    AccountOutcome.LINK_UNUSABLE: LINK_PROBLEMS[LinkProblem.UNKNOWN],
}

# A person's portal account, as staff read it on the Team and Clients pages.
ACCOUNT_STATUS_LABELS: dict[AccountStatus, str] = {
    AccountStatus.ACTIVE: "Active",
    AccountStatus.INVITED: "Invited",
    AccountStatus.INVITATION_EXPIRED: "Invitation expired",
    AccountStatus.INVITATION_REVOKED: "Invitation revoked",
    AccountStatus.NO_ACCOUNT: "No portal account",
    AccountStatus.DEACTIVATED: "Deactivated",
}


def account_text(result: AccountResult) -> str:
    """The sentence for an account service's result."""
    if result.outcome == AccountOutcome.INVALID and result.problem is not None:
        return INPUT_PROBLEMS[result.problem]
    if result.outcome == AccountOutcome.LINK_UNUSABLE and result.link_problem is not None:
        return LINK_PROBLEMS[result.link_problem]
    return ACCOUNT_OUTCOMES[result.outcome].format(name=result.name or "This person")


# The availability editor.
AVAILABILITY_PROBLEMS: dict[AvailabilityProblem, str] = {
    AvailabilityProblem.MISSING: "Please fill this in.",
    AvailabilityProblem.BAD_DATE: "Please enter a date.",
    AvailabilityProblem.BAD_TIME: "Please enter a time.",
    AvailabilityProblem.NO_WEEKDAY: "Choose at least one day of the week.",
    AvailabilityProblem.END_NOT_AFTER_START: "The end must be after the start.",
    AvailabilityProblem.EVERY_N_WEEKS_RANGE: f"Repeat every 1 to {MAX_EVERY_N_WEEKS} weeks.",
    AvailabilityProblem.UNTIL_BEFORE_FROM: "The last day must be on or after the first day.",
    AvailabilityProblem.LAST_BEFORE_FIRST: "The last day must be on or after the first day.",
    AvailabilityProblem.RANGE_TOO_LONG: f"Time off can be at most {MAX_TIME_OFF_DAYS} days at once.",
    AvailabilityProblem.NO_FORUM: "Choose in-person, telehealth or both.",
    AvailabilityProblem.NO_SERVICE: "Choose at least one service clients may book.",
    AvailabilityProblem.UNKNOWN_LOCATION: "Choose one of the practice's locations.",
    AvailabilityProblem.UNKNOWN_SERVICE: "Choose services of the practice only.",
    AvailabilityProblem.ALREADY_PAST: "That time has already passed.",
    AvailabilityProblem.NOTE_TOO_LONG: "Please keep this shorter.",
}

AVAILABILITY_OUTCOMES: dict[AvailabilityOutcome, str] = {
    AvailabilityOutcome.SAVED: "Availability saved. Clients see the change at once.",
    AvailabilityOutcome.DELETED: "Deleted. Clients see the change at once.",
    AvailabilityOutcome.NOT_FOUND: (
        "That availability could not be found. It may have been changed by someone else."
    ),
    AvailabilityOutcome.INVALID: "Please check the highlighted fields. Nothing was saved yet.",
    AvailabilityOutcome.NEEDS_DECISIONS: (
        "Some clients' sessions would fall outside your availability. Decide for each."
    ),
    AvailabilityOutcome.CHANGED_MEANWHILE: (
        "One of these sessions was changed a moment ago, so nothing was saved. Please try again."
    ),
}


def released_text(count: int) -> str:
    """What the editor adds after saving when it declined or cancelled sessions."""
    if not count:
        return ""
    sessions = "session was" if count == 1 else "sessions were"
    return f" {count} {sessions} declined or cancelled and the clients were told by email."


# The Settings page: what an edit did, why a field was refused, and the history of changes.

EDIT_OUTCOMES: dict[EditOutcome, str] = {
    EditOutcome.SAVED: "Saved.",
    EditOutcome.ADDED: "Added.",
    EditOutcome.UNCHANGED: "Nothing to change.",
    EditOutcome.RETIRED: "Retired: no longer offered to clients. Past and booked appointments keep it.",
    EditOutcome.RESTORED: "Restored: offered to clients again wherever availability allows it.",
    EditOutcome.INVALID: "Please correct the marked fields. Nothing was saved.",
    EditOutcome.NOT_FOUND: "That could not be found; it may have been removed. Please reload the page.",
    EditOutcome.NOT_ALLOWED: "You can't change this. Nothing was saved.",
}

FIELD_PROBLEMS: dict[Problem, str] = {
    Problem.REQUIRED: "Please fill this in.",
    Problem.TOO_LONG: "Please keep this to {0} characters or fewer.",
    Problem.NOT_A_NUMBER: "Please enter a whole number.",
    Problem.OUT_OF_RANGE: "Please enter a whole number from {0} to {1}.",
    Problem.NOT_AN_INCREMENT: "Please pick {list} minutes.",
    Problem.UNKNOWN_ZONE: "Please enter a time zone as the IANA database names it, e.g. America/New_York.",
    Problem.NOT_A_PHONE: "Please enter a phone number, e.g. (617) 555-0148.",
    Problem.NOT_HTTPS: "Please enter a secure web address, starting with https://.",
    Problem.BAD_LENGTHS: (
        "Please enter up to {2} lengths in minutes, separated by commas (e.g. 50, 80), "
        "each from {0} to {1} in steps of 5."
    ),
    Problem.NAME_TAKEN: "Another one already has this name. Please choose another.",
    Problem.INVALID: "That value was not understood.",
}

SETTING_LABELS: dict[str, str] = {
    "time_zone": "Time zone",
    "phone": "Phone shown when clients must call",
    "cancellation_window_hours": "Cancellation window",
    "minimum_notice_hours": "Minimum notice",
    "booking_horizon_days": "Booking horizon",
    "slot_increment_minutes": "Slot increment",
    "buffer_minutes": "Buffer between sessions",
    "reminder_hours_before": "Reminder email",
    "video_join_minutes_before": "Join Video opens",
    "request_expiry_hours": "Unanswered requests expire",
    "online_cancellation": "Clients may cancel online",
    "new_client_requests": "New clients may request",
    "telehealth_enabled": "Telehealth",
    "card_required_for_new_clients": "Card required for new clients",
    "staff_two_factor_required": "Two-factor sign-in required for staff",
    "staff_idle_minutes": "Staff signed out after",
    "two_factor": "Two-factor sign-in",
    "name": "Name",
    "durations_minutes": "Lengths",
    "description": "Description",
    "new_clients_allowed": "New clients",
    "existing_clients_allowed": "Existing clients",
    "telehealth_allowed": "Telehealth",
    "address": "Address",
    "active": "Status",
    "added": "Added",
    "display_name": "Display name",
    "credentials": "Credentials",
    "self_scheduling": "Clients can self-schedule",
    "video_link": "Video link",
}

SETTING_UNITS: dict[str, str] = {
    "cancellation_window_hours": "hours before the start",
    "minimum_notice_hours": "hours",
    "booking_horizon_days": "days ahead",
    "slot_increment_minutes": "minutes",
    "buffer_minutes": "minutes",
    "reminder_hours_before": "hours before",
    "video_join_minutes_before": "minutes before the start",
    "request_expiry_hours": "hours after they are made",
    "staff_idle_minutes": "minutes without activity",
    "durations_minutes": "minutes",
}

DIRECT_LINK_CLOSED = "{clinician} is not taking online requests at the moment."
CALL_TO_BOOK = "Please call the practice{at_phone} to book an appointment."


def field_problem_text(problem: FieldProblem) -> str:
    """The message beside a refused field, with its bounds filled in."""
    limits = [*problem.limits, 0, 0, 0]
    listed = ", ".join(str(limit) for limit in problem.limits[:-1])
    choices = f"{listed} or {problem.limits[-1]}" if len(problem.limits) > 1 else listed
    return FIELD_PROBLEMS[problem.problem].format(*limits, list=choices)


def field_messages(problems: dict[str, FieldProblem]) -> dict[str, str]:
    """The message for each refused field, by field name (in the order of the form)."""
    return {name: field_problem_text(problem) for name, problem in problems.items()}


def setting_value(field: str, value: str) -> str:
    """A stored value as people read it: ``On``/``Off``, ``Active``/``Retired``, with its unit."""
    if field == "active":
        return {"on": "Active", "off": "Retired"}.get(value, value)
    if value in ("on", "off"):
        return value.capitalize()
    if field == "reminder_hours_before" and value == "0":
        return "No reminder"
    if value == "":
        return "(empty)"
    unit = SETTING_UNITS.get(field)
    return f"{value} {unit}" if unit else value


def closed_link_text(clinician: str, phone: str) -> tuple[str, str]:
    """What a direct booking link says when its clinician does not take online requests."""
    at_phone = f" at {phone}" if phone else ""
    return DIRECT_LINK_CLOSED.format(clinician=clinician), CALL_TO_BOOK.format(at_phone=at_phone)


# The client's Calendar tab, and the wizard it opens at a time chosen there.
CALENDAR_NEXT_WEEK_SHOWN = "Nothing is booked this week, so this is the week of your next appointment."
CALENDAR_TIME_GONE = "That time is no longer open for requests. Please choose a provider, then a time."


def length_does_not_fit(minutes: str, when: str) -> str:
    """The length control asked for a length the chosen time's cell does not allow."""
    return f"{minutes} minutes do not fit at {when}. Please choose another time for {minutes} minutes."


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


def newcomer_line(contact: NewcomerContact | None) -> str:
    """A new client's contact details on their request in the staff queue ("" for existing clients)."""
    if contact is None:
        return ""
    reach = ", ".join(part for part in (contact.email, contact.phone) if part)
    joining = f" · With: {'; '.join(contact.others)}" if contact.others else ""
    return f"Contact: {reach}{joining}"


SIGNED_OUT_IDLE = (
    "You were signed out because nothing was done in the portal for a while. Please sign in again."
)

# The second step of signing in, and the security page (``services.second_step.CodeOutcome``).
CODE_OUTCOMES: dict[CodeOutcome, str] = {
    CodeOutcome.WRONG: (
        "That code didn't work. Type the code your app shows now (each code works once), "
        "or a recovery code you have not used."
    ),
    CodeOutcome.THROTTLED: "Too many codes tried. Please wait 15 minutes and try again.",
    CodeOutcome.EXPIRED: "Your sign-in timed out. Please sign in again.",
    CodeOutcome.REQUIRED: "Your practice requires two-factor sign-in for staff, so it cannot be turned off.",
    CodeOutcome.NOTHING_TO_DO: "Nothing to change: please reload the page.",
}

"""The fixed words the portal stores and reasons with: roles, forums, statuses and kinds.

Plain enums, so the pure domain can use them without depending on the database layer;
``portal_app.models`` stores them as strings (their values).
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    """What a signed-in user is."""

    CLIENT = "client"
    CLINICIAN = "clinician"
    ADMIN = "admin"


class Forum(enum.StrEnum):
    """Where a session happens."""

    IN_PERSON = "in_person"
    TELEHEALTH = "telehealth"


class AppointmentStatus(enum.StrEnum):
    """The life of an appointment; the allowed moves live in ``domain.appointment_status``."""

    # A new client's request, held for a short while until they confirm their email address;
    # the therapist sees it only once it is confirmed (then it is ``REQUESTED``).
    UNCONFIRMED = "unconfirmed"
    REQUESTED = "requested"
    # The therapist's answer to a request: another time, waiting for the client's Accept.
    PROPOSED = "proposed"
    CONFIRMED = "confirmed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    # Not answered before the practice's deadline: the time is free again.
    EXPIRED = "expired"


class ExceptionKind(enum.StrEnum):
    """A one-off change to a clinician's recurring availability."""

    TIME_OFF = "time_off"
    EXTRA_HOURS = "extra_hours"


class OutboxStatus(enum.StrEnum):
    """Delivery state of one email."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    NOT_SENT = "not_sent"


class LinkPurpose(enum.StrEnum):
    """What a one-time emailed link unlocks; a link only works for its own purpose."""

    SET_PASSWORD = "set_password"
    RESET_PASSWORD = "reset_password"
    # A new client's request: confirm the email address (once), and see or cancel the request.
    CONFIRM_REQUEST = "confirm_request"
    MANAGE_REQUEST = "manage_request"


class RequestedFor(enum.StrEnum):
    """Whom a new client's request is for (the person who fills in the form asks)."""

    SELF = "self"
    CHILD = "child"
    COUPLE = "couple"
    SOMEONE_ELSE = "someone_else"


class AccountStatus(enum.StrEnum):
    """Where a person's portal account stands, as an admin sees it."""

    ACTIVE = "active"
    INVITED = "invited"
    INVITATION_EXPIRED = "invitation_expired"
    INVITATION_REVOKED = "invitation_revoked"
    NO_ACCOUNT = "no_account"
    DEACTIVATED = "deactivated"


class SettingSubject(enum.StrEnum):
    """What a change on the Settings page was made to (its audit rows say which)."""

    PRACTICE = "practice"
    SERVICE = "service"
    LOCATION = "location"
    CLINICIAN = "clinician"

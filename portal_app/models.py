"""SQLModel tables: the portal's data.

Every instant is stored in UTC and read back timezone-aware (``UTCDateTime``); local wall-clock
values that only make sense in the practice's zone (availability start/end) are stored as times.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import JSON, Column, Field, SQLModel

from portal_app.domain.setting_limits import (
    MAX_ADDRESS,
    MAX_CREDENTIALS,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_VIDEO_LINK,
    PRACTICE_RANGES,
    SLOT_INCREMENTS,
)
from portal_app.domain.vocabulary import (
    AppointmentStatus,
    ExceptionKind,
    Forum,
    LinkPurpose,
    OutboxStatus,
    Role,
    SettingSubject,
)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    SQLite keeps no offset, so values are normalised to UTC on the way in and marked UTC on the
    way out; naive datetimes are refused rather than guessed at.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass a timezone-aware value")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current instant, timezone-aware (used only as a column default)."""
    return datetime.now(UTC)


def _instant(*, index: bool = False, nullable: bool = False, default=None):
    column: Column[datetime] = Column(UTCDateTime(), index=index, nullable=nullable)
    if default is None:
        return Field(default=None, sa_column=column)
    return Field(default_factory=default, sa_column=column)


def _enum_column(enum_cls: type[enum.Enum], *, index: bool = False) -> Column:
    # Stored as plain strings (not native enums) so adding a value is a simple migration.
    return Column(
        sa.Enum(enum_cls, native_enum=False, length=20, values_callable=_enum_values),
        nullable=False,
        index=index,
    )


def _enum_values(enum_cls: type[enum.Enum]) -> list[str]:
    return [member.value for member in enum_cls]


class User(SQLModel, table=True):
    """Anyone who can sign in."""

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int | None = Field(default=None, foreign_key="practice.id", index=True)
    email: str = Field(max_length=254, sa_column_kwargs={"unique": True}, index=True)
    # Empty until the person sets one through an emailed link (invited): no password matches it.
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_column=_enum_column(Role))
    display_name: str = Field(max_length=120)
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool = True
    created_at: datetime = _instant(default=utc_now)


class UserSession(SQLModel, table=True):
    """A server-side sign-in; the browser holds only the random token, we keep its hash."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = _instant(default=utc_now)
    expires_at: datetime = _instant()
    revoked_at: datetime | None = _instant(nullable=True)
    client_ip: str = Field(default="", max_length=64)
    # The person's last own action (not a page's automatic refresh); a staff session idle longer
    # than the practice's ``staff_idle_minutes`` is refused. None: not since it was created.
    last_active_at: datetime | None = _instant(nullable=True)


class LoginGrant(SQLModel, table=True):
    """A one-time, short-lived code that turns a checked password into a cookie session.

    The password is checked over the websocket; only an HTTP response can set an HttpOnly
    cookie, so the browser exchanges this code at an API route.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    expires_at: datetime = _instant()
    used_at: datetime | None = _instant(nullable=True)
    client_ip: str = Field(default="", max_length=64)
    # The hash of the browser's binding secret (its HttpOnly cookie): only that browser may use it.
    browser_hash: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept for throttling by account and by address."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client_ip: str = Field(max_length=64, index=True)
    succeeded: bool
    # The password check is still running; until it ends the attempt counts as a failure.
    in_progress: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    attempted_at: datetime = _instant(index=True, default=utc_now)


class OneTimeLink(SQLModel, table=True):
    """A one-time emailed link (an invitation, a password reset): only its token's hash is kept.

    It works once, for its purpose, until it expires or is revoked; ``used_at`` is set by a
    compare-and-set in the transaction of whatever it unlocks (``services.one_time_links``).
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    purpose: LinkPurpose = Field(sa_column=_enum_column(LinkPurpose))
    # An account's link (invitation, reset) names its user; a new client's request link, having
    # no account behind it yet, names the appointment instead.
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = _instant(default=utc_now)
    expires_at: datetime = _instant()
    used_at: datetime | None = _instant(nullable=True)
    revoked_at: datetime | None = _instant(nullable=True)


class PublicRequestAttempt(SQLModel, table=True):
    """One new client's request from the public page, kept for throttling by email and address."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client_ip: str = Field(max_length=64, index=True)
    requested_at: datetime = _instant(index=True, default=utc_now)


class PasswordResetRequest(SQLModel, table=True):
    """One "Forgot password?" request, kept for throttling by email and by address."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    client_ip: str = Field(max_length=64, index=True)
    requested_at: datetime = _instant(index=True, default=utc_now)


def _not_blank(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(f"length(trim({column})) > 0", name=f"ck_{table}_{column}_not_blank")


def _practice_rules() -> tuple[sa.CheckConstraint, ...]:
    # The same bounds the settings form checks (``domain.setting_limits``): a row that slips
    # past the service (a script, a bad migration) is refused by the database itself.
    ranges = tuple(
        sa.CheckConstraint(f"{column} BETWEEN {bounds.low} AND {bounds.high}", name=f"ck_practice_{column}")
        for column, bounds in PRACTICE_RANGES.items()
    )
    increments = ", ".join(str(minutes) for minutes in SLOT_INCREMENTS)
    return (
        *ranges,
        sa.CheckConstraint(
            f"slot_increment_minutes IN ({increments})", name="ck_practice_slot_increment_minutes"
        ),
        _not_blank("practice", "time_zone"),
    )


class Practice(SQLModel, table=True):
    """A therapy practice and its scheduling policy."""

    __table_args__ = _practice_rules()

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    time_zone: str = Field(default="America/New_York", max_length=64)
    phone: str = Field(default="", max_length=40)
    online_cancellation: bool = True
    cancellation_window_hours: int = Field(default=24, ge=0)
    telehealth_enabled: bool = True
    card_required_for_new_clients: bool = False
    minimum_notice_hours: int = Field(default=24, ge=0)
    booking_horizon_days: int = Field(default=60, ge=1)
    slot_increment_minutes: int = Field(default=15, ge=5)
    buffer_minutes: int = Field(default=10, ge=0)
    reminder_hours_before: int = Field(default=24, ge=0)
    # Whether people without an account may request a first appointment.
    new_client_requests: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    # Join Video opens this many minutes before the start.
    video_join_minutes_before: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    request_expiry_hours: int = Field(default=48, sa_column_kwargs={"server_default": "48"})
    # Therapists and admins must use an authenticator app (enrolling at their next sign-in).
    staff_two_factor_required: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    # A staff session with no action of its person for this long ends.
    staff_idle_minutes: int = Field(default=30, sa_column_kwargs={"server_default": "30"})


class Clinician(SQLModel, table=True):
    """A therapist who sees clients and may accept self-scheduled requests."""

    __table_args__ = (
        _not_blank("clinician", "display_name"),
        sa.CheckConstraint("video_link = '' OR video_link LIKE 'https://%'", name="ck_clinician_video_link"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    user_id: int = Field(foreign_key="user.id", sa_column_kwargs={"unique": True})
    display_name: str = Field(max_length=MAX_NAME)
    credentials: str = Field(default="", max_length=MAX_CREDENTIALS)
    slug: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    self_scheduling: bool = True
    # Where the clinician's telehealth sessions take place (Join Video); empty until set.
    video_link: str = Field(default="", max_length=MAX_VIDEO_LINK, sa_column_kwargs={"server_default": ""})


class Location(SQLModel, table=True):
    """An office of the practice; a retired one (not ``active``) keeps its history but is not offered."""

    __table_args__ = (_not_blank("location", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    name: str = Field(max_length=MAX_NAME)
    address: str = Field(default="", max_length=MAX_ADDRESS)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class Service(SQLModel, table=True):
    """A kind of session a client can book; a retired one (not ``active``) is no longer offered."""

    __table_args__ = (_not_blank("service", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    name: str = Field(max_length=MAX_NAME)
    description: str = Field(default="", max_length=MAX_DESCRIPTION, sa_column_kwargs={"server_default": ""})
    # Allowed lengths in minutes, shortest first; the first is the default.
    durations_minutes: list[int] = Field(sa_column=Column(JSON, nullable=False))
    new_clients_allowed: bool = False
    existing_clients_allowed: bool = True
    telehealth_allowed: bool = True
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class AvailabilityBlock(SQLModel, table=True):
    """Recurring bookable time, in the practice's zone."""

    # The absolute rules; the editor's service checks these and the practice-dependent ones
    # first, with a message beside the field.
    __table_args__ = (
        sa.CheckConstraint("every_n_weeks >= 1", name="ck_availabilityblock_every_n_weeks"),
        sa.CheckConstraint("end_local > start_local", name="ck_availabilityblock_end_after_start"),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_until >= valid_from", name="ck_availabilityblock_valid_range"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", index=True)
    location_id: int = Field(foreign_key="location.id")
    # ISO weekday numbers, Monday = 0 (dateutil's convention).
    weekdays: list[int] = Field(sa_column=Column(JSON, nullable=False))
    start_local: time
    end_local: time
    every_n_weeks: int = Field(default=1, ge=1)
    valid_from: date
    valid_until: date | None = None
    in_person: bool = True
    telehealth: bool = False
    service_ids: list[int] = Field(sa_column=Column(JSON, nullable=False))


class AvailabilityException(SQLModel, table=True):
    """A one-off change: time off removes availability, extra hours add it."""

    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ck_availabilityexception_positive_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    clinician_id: int = Field(foreign_key="clinician.id", index=True)
    kind: ExceptionKind = Field(sa_column=_enum_column(ExceptionKind))
    starts_at: datetime = _instant(index=True)
    ends_at: datetime = _instant()
    # Only for extra hours: what the added time allows.
    location_id: int | None = Field(default=None, foreign_key="location.id")
    in_person: bool = True
    telehealth: bool = False
    service_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str = Field(default="", max_length=240)


class Client(SQLModel, table=True):
    """Someone who receives care; may exist before they have an account."""

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", sa_column_kwargs={"unique": True})
    full_name: str = Field(max_length=120)
    email: str = Field(max_length=254, index=True)
    phone: str = Field(default="", max_length=40)
    created_at: datetime = _instant(default=utc_now)
    # Who added the client by hand (staff); None when they came through the seed or a booking.
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    # Asked for a first appointment from the public page, not yet accepted: not among the
    # practice's clients (a robot's or a stranger's request must not fill the list).
    prospective: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class Appointment(SQLModel, table=True):
    """A requested or scheduled session."""

    __table_args__ = (
        sa.Index("ix_appointment_clinician_start", "clinician_id", "starts_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_appointment_positive_length"),
    )

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id")
    clinician_id: int = Field(foreign_key="clinician.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    service_id: int = Field(foreign_key="service.id")
    location_id: int = Field(foreign_key="location.id")
    forum: Forum = Field(sa_column=_enum_column(Forum))
    starts_at: datetime = _instant()
    ends_at: datetime = _instant()
    status: AppointmentStatus = Field(sa_column=_enum_column(AppointmentStatus, index=True))
    created_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    client_message: str = Field(default="", max_length=2000)
    clinician_message: str = Field(default="", max_length=2000)
    # Lets a retried or double-clicked submit land once.
    request_key: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
    # A request to move another appointment (a client's reschedule of a confirmed appointment,
    # or a therapist's proposal instead of a pending request): accepting it releases that one.
    replaces_id: int | None = Field(default=None, foreign_key="appointment.id", index=True)
    # Made from the public page by someone who was not signed in ("I'm a New Client"), and whom
    # it is for (``RequestedFor``); an unconfirmed one is held until ``hold_expires_at``.
    new_client: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    requested_for: str = Field(default="", max_length=20, sa_column_kwargs={"server_default": ""})
    hold_expires_at: datetime | None = _instant(nullable=True)
    created_at: datetime = _instant(default=utc_now)
    updated_at: datetime = _instant(default=utc_now)


class Attendee(SQLModel, table=True):
    """Someone joining an appointment besides the client (partner, child, guardian)."""

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    full_name: str = Field(max_length=120)
    email: str = Field(default="", max_length=254)
    phone: str = Field(default="", max_length=40)
    relationship: str = Field(default="", max_length=40)
    is_minor: bool = False


class PaymentCard(SQLModel, table=True):
    """A card a payment gateway keeps for a client: only what the gateway returned.

    Never the number or the security code: those go from the form to the gateway and are
    dropped (``services.payments``).
    """

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id")
    client_id: int = Field(foreign_key="client.id", index=True)
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    gateway: str = Field(max_length=20)
    token: str = Field(max_length=128)
    brand: str = Field(max_length=20)
    last4: str = Field(max_length=4)
    exp_month: int
    exp_year: int
    created_at: datetime = _instant(default=utc_now)


class AuditEvent(SQLModel, table=True):
    """One status move of one appointment: who, when, from, to."""

    id: int | None = Field(default=None, primary_key=True)
    appointment_id: int = Field(foreign_key="appointment.id", index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = Field(default="", max_length=2000)
    at: datetime = _instant(default=utc_now)


class SettingChange(SQLModel, table=True):
    """One changed value of the practice's setup: who, when, what, from, to.

    ``subject`` is what was changed (``SettingSubject``: the practice's rules, a service, a
    location, a clinician's profile); values are kept as text, as they were stored.
    """

    __table_args__ = (sa.Index("ix_settingchange_practice_at", "practice_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id")
    actor_user_id: int | None = Field(default=None, foreign_key="user.id")
    subject: SettingSubject = Field(sa_column=_enum_column(SettingSubject))
    subject_id: int
    subject_name: str = Field(max_length=MAX_NAME)
    field: str = Field(max_length=40)
    from_value: str = Field(default="", max_length=MAX_DESCRIPTION)
    to_value: str = Field(default="", max_length=MAX_DESCRIPTION)
    at: datetime = _instant(default=utc_now)


class EmailOutbox(SQLModel, table=True):
    """An email written in the same transaction as the change it reports."""

    __table_args__ = (sa.Index("ix_emailoutbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id")
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    kind: str = Field(max_length=40)
    # Makes "send once" a constraint (e.g. one reminder per appointment).
    dedupe_key: str = Field(max_length=120, sa_column_kwargs={"unique": True})
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=240)
    body_text: str
    body_html: str
    ics: str | None = None
    status: OutboxStatus = Field(sa_column=_enum_column(OutboxStatus))
    attempts: int = 0
    next_attempt_at: datetime = _instant(default=utc_now)
    last_error: str = Field(default="", max_length=2000)
    created_at: datetime = _instant(default=utc_now)
    sent_at: datetime | None = _instant(nullable=True)


class WorkerLease(SQLModel, table=True):
    """Which process runs a job that must run once per deployment (the email sender).

    Every worker tries to take or renew the lease each round; only its holder does the work, and
    a holder that dies loses it when ``expires_at`` passes.
    """

    name: str = Field(primary_key=True, max_length=64)
    holder: str = Field(max_length=64)
    expires_at: datetime = _instant()


class TwoFactorCredential(SQLModel, table=True):
    """A person's authenticator app (TOTP). The secret never leaves the server after enrolment.

    ``confirmed_at`` is None while enrolment waits for the first code. ``last_used_step`` is the
    30-second step of the last code accepted: a code of that step or an earlier one is refused,
    so a code seen over someone's shoulder cannot be used again (set by compare-and-set).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", sa_column_kwargs={"unique": True})
    secret: str = Field(max_length=64)
    created_at: datetime = _instant(default=utc_now)
    confirmed_at: datetime | None = _instant(nullable=True)
    last_used_step: int | None = Field(default=None, sa_column=Column(sa.BigInteger(), nullable=True))


class RecoveryCode(SQLModel, table=True):
    """One of a person's one-time recovery codes (for a lost phone): only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    code_hash: str = Field(max_length=64)
    used_at: datetime | None = _instant(nullable=True)


class SignInChallenge(SQLModel, table=True):
    """A sign-in whose password was right, waiting for its second step (a code, or enrolment).

    Like a ``LoginGrant`` it is bound to the browser that typed the password; the grant is only
    issued once the code is right (``verified_at``), and only once (``used_at``).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    browser_hash: str = Field(max_length=64)
    client_ip: str = Field(default="", max_length=64)
    # The person has no authenticator yet and must set one up before going on.
    enrolling: bool = False
    expires_at: datetime = _instant()
    verified_at: datetime | None = _instant(nullable=True)
    used_at: datetime | None = _instant(nullable=True)


class SecondStepAttempt(SQLModel, table=True):
    """One code typed for an account (at sign-in or on its security page), for throttling."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    client_ip: str = Field(default="", max_length=64)
    succeeded: bool
    attempted_at: datetime = _instant(index=True, default=utc_now)

"""A first appointment asked for from the public page, by someone without an account.

The request is made at once, so its time is held (``UNCONFIRMED``, a short stated while), but the
therapist sees nothing until the person confirms their email address through the link they are
sent (``services.request_links``). Everything the signed-in wizard enforces holds here too: the
same availability engine with the new-client rules, the same clinician lock, the same status
machine and audit. Requests are throttled by email and by address; a filled honeypot field, an
unknown email and a known one all get the same answer, so nothing about clients leaks.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from portal_app import routes
from portal_app.domain.accounts import (
    MAX_PHONE_LENGTH,
    InputProblem,
    email_problem,
    name_problem,
    normalize_email,
)
from portal_app.domain.bookability import BookingCheck
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.new_client_messages import confirm_your_request
from portal_app.domain.vocabulary import AppointmentStatus, Forum, LinkPurpose, RequestedFor
from portal_app.models import (
    Appointment,
    Attendee,
    AuditEvent,
    Client,
    Clinician,
    PaymentCard,
    PublicRequestAttempt,
)
from portal_app.services.appointment_requests import by_request_key, time_refusal
from portal_app.services.auth import lock_throttle_keys
from portal_app.services.availability import SlotRequest
from portal_app.services.booking_catalog import takes_online_requests
from portal_app.services.clinician_lock import lock_clinician
from portal_app.services.notifications import appointment_details, enqueue_email
from portal_app.services.one_time_links import issue_appointment_link
from portal_app.services.outcome import Outcome
from portal_app.services.payments import SavedCard
from portal_app.services.practice import the_practice
from portal_app.services.stored_rows import stored_id
from portal_app.services.throttles import over_limits

logger = logging.getLogger(__name__)

# How long the time is held while the person confirms their email (said on the page and in the email).
HOLD = timedelta(minutes=30)
THROTTLE_WINDOW = timedelta(hours=1)
MAX_REQUESTS_PER_EMAIL = 3
MAX_REQUESTS_PER_ADDRESS = 10

RELATIONSHIPS = {
    RequestedFor.CHILD: "Parent or guardian",
    RequestedFor.COUPLE: "Partner",
    RequestedFor.SOMEONE_ELSE: "Requested on their behalf",
}


class NewClientOutcome(enum.StrEnum):
    """What became of a new client's request."""

    CHECK_EMAIL = "check_email"
    CLOSED = "closed"
    THROTTLED = "throttled"
    INVALID = "invalid"
    TAKEN = "taken"
    NOT_BOOKABLE = "not_bookable"
    DUPLICATE = "duplicate"


# The engine's refusals of a time, as a new client is told them (an unknown service or place:
# whatever the page sent is no longer offered).
_TIME_REFUSALS = {
    Outcome.TAKEN: NewClientOutcome.TAKEN,
    Outcome.NOT_BOOKABLE: NewClientOutcome.NOT_BOOKABLE,
    Outcome.BAD_REQUEST: NewClientOutcome.CLOSED,
}


@dataclass(frozen=True)
class Contact:
    """A person named on the form (already stripped); email and phone may be empty where optional."""

    name: str
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class NewClientRequest:
    """Everything the public wizard sends, as the server re-checks it."""

    clinician_id: int
    service_id: int
    location_id: int
    forum: Forum
    starts_at: datetime
    ends_at: datetime
    requested_for: RequestedFor
    # Who fills in the form: their email is the one confirmed, and the one answered.
    requester: Contact
    # The child, or the someone else, when the appointment is not for the requester.
    patient: Contact | None = None
    # The partner joining a couple's appointment.
    partner: Contact | None = None
    message: str = ""
    request_key: str = ""
    # A field people do not see; only a form-filling robot puts anything in it.
    honeypot: str = ""


@dataclass(frozen=True)
class NewClientResult:
    """The outcome, and what the page needs to say about it."""

    outcome: NewClientOutcome
    field_name: str = ""
    problem: InputProblem | None = None
    check: BookingCheck | None = None
    held_until: datetime | None = None
    # A link to see or cancel the request, for the page that made it (never stored raw).
    manage_token: str = ""
    appointment_id: int | None = None

    @property
    def ok(self) -> bool:
        """Whether the person is now asked to check their email (whatever happened behind it)."""
        return self.outcome == NewClientOutcome.CHECK_EMAIL


def _invalid(field_name: str, problem: InputProblem) -> NewClientResult:
    return NewClientResult(NewClientOutcome.INVALID, field_name=field_name, problem=problem)


def _contact_refusal(prefix: str, contact: Contact, *, email_required: bool) -> NewClientResult | None:
    if (problem := name_problem(contact.name)) is not None:
        return _invalid(f"{prefix}_name", problem)
    email = normalize_email(contact.email)
    if (email_required or email) and (problem := email_problem(email)) is not None:
        return _invalid(f"{prefix}_email", problem)
    if len(contact.phone) > MAX_PHONE_LENGTH:
        return _invalid(f"{prefix}_phone", InputProblem.PHONE_TOO_LONG)
    return None


def form_refusal(request: NewClientRequest) -> NewClientResult | None:
    """The first field the server refuses (names, emails, lengths, who it is for), or None."""
    if (refusal := _contact_refusal("requester", request.requester, email_required=True)) is not None:
        return refusal
    if request.requested_for in (RequestedFor.CHILD, RequestedFor.SOMEONE_ELSE):
        if request.patient is None:
            return _invalid("patient_name", InputProblem.NAME_EMPTY)
        needs_email = request.requested_for == RequestedFor.SOMEONE_ELSE
        if (refusal := _contact_refusal("patient", request.patient, email_required=needs_email)) is not None:
            return refusal
    if request.requested_for == RequestedFor.COUPLE:
        if request.partner is None:
            return _invalid("partner_name", InputProblem.NAME_EMPTY)
        if (refusal := _contact_refusal("partner", request.partner, email_required=False)) is not None:
            return refusal
    if len(request.message) > MAX_MESSAGE_LENGTH:
        return _invalid("message", InputProblem.MESSAGE_TOO_LONG)
    return None


def admit_public_request(*, session: Session, email: str, client_ip: str, now: datetime) -> bool:
    """Count one request from ``email`` and ``client_ip``; False when either is over its limit.

    Its own transaction, before any card reaches a gateway: a robot trying cards meets the limit
    as soon as a person would.
    """
    email = normalize_email(email)
    lock_throttle_keys(session, email=email, client_ip=client_ip, scope="new-client")
    over = over_limits(
        session,
        PublicRequestAttempt,
        email=email,
        client_ip=client_ip,
        now=now,
        window=THROTTLE_WINDOW,
        per_email=MAX_REQUESTS_PER_EMAIL,
        per_address=MAX_REQUESTS_PER_ADDRESS,
    )
    session.add(PublicRequestAttempt(email=email, client_ip=client_ip, requested_at=now))
    session.commit()
    if over:
        logger.warning("New-client request refused: too many from one email or one address")
    return not over


def request_as_new_client(
    *,
    session: Session,
    request: NewClientRequest,
    card: SavedCard | None,
    link_base: str,
    now: datetime,
) -> NewClientResult:
    """Hold the time for a new client's request and email them the link that sends it.

    Call ``admit_public_request`` first (and the gateway, when the practice asks for a card).

    Returns:
        ``CHECK_EMAIL`` with when the hold ends (also for a honeypot, which creates nothing), or why
        not: the practice takes no new clients online, a field, the time was just taken, or the
        time is not one the engine offers a new client.
    """
    try:
        practice = the_practice(session=session)
        clinician = session.get(Clinician, request.clinician_id)
        if (
            practice is None
            or not practice.new_client_requests
            or clinician is None
            or clinician.practice_id != practice.id
            or not takes_online_requests(session=session, clinician=clinician)
        ):
            return NewClientResult(NewClientOutcome.CLOSED)
        if (invalid := form_refusal(request)) is not None:
            return invalid
        if practice.card_required_for_new_clients and card is None:
            return NewClientResult(NewClientOutcome.INVALID, field_name="card")
        if request.honeypot:
            logger.warning("New-client request dropped: the hidden field was filled in")
            return NewClientResult(NewClientOutcome.CHECK_EMAIL, held_until=now + HOLD)
        lock_clinician(session, request.clinician_id)
        if by_request_key(session, request.request_key) is not None:
            return NewClientResult(NewClientOutcome.DUPLICATE)
        time_problem = time_refusal(
            session=session,
            slot_request=SlotRequest(
                clinician_id=request.clinician_id,
                service_id=request.service_id,
                location_id=request.location_id,
                forum=request.forum,
                is_new_client=True,
            ),
            starts_at=request.starts_at,
            ends_at=request.ends_at,
            now=now,
        )
        if time_problem is not None:
            return NewClientResult(_TIME_REFUSALS[time_problem.outcome], check=time_problem.check)
        appointment = _held_request(session, request, practice_id=stored_id(practice), now=now)
        if card is not None:
            session.add(_stored_card(card, appointment))
        confirm = issue_appointment_link(
            session=session,
            purpose=LinkPurpose.CONFIRM_REQUEST,
            appointment_id=stored_id(appointment),
            now=now,
            lifetime=HOLD,
        )
        manage = issue_appointment_link(
            session=session,
            purpose=LinkPurpose.MANAGE_REQUEST,
            appointment_id=stored_id(appointment),
            now=now,
            lifetime=manage_lifetime(appointment, now),
        )
        details = appointment_details(session=session, appointment=appointment)
        enqueue_email(
            session=session,
            practice_id=appointment.practice_id,
            appointment_id=appointment.id,
            draft=confirm_your_request(
                details,
                to_name=request.requester.name,
                to_address=normalize_email(request.requester.email),
                link=routes.request_link(link_base, confirm.token),
                held_until=confirm.expires_at,
            ),
            now=now,
        )
        session.commit()
        return NewClientResult(
            NewClientOutcome.CHECK_EMAIL,
            held_until=confirm.expires_at,
            manage_token=manage.token,
            appointment_id=appointment.id,
        )
    except IntegrityError:
        # The same request key committed by a concurrent double submit.
        session.rollback()
        return NewClientResult(NewClientOutcome.DUPLICATE)
    finally:
        if session.in_transaction():
            session.rollback()


def manage_lifetime(appointment: Appointment, now: datetime) -> timedelta:
    """A link to see or cancel a request works until the appointment's end."""
    return max(appointment.ends_at - now, timedelta(minutes=1))


def _held_request(
    session: Session, request: NewClientRequest, *, practice_id: int, now: datetime
) -> Appointment:
    client = _client_for(session, request, practice_id=practice_id, now=now)
    appointment = Appointment(
        practice_id=practice_id,
        clinician_id=request.clinician_id,
        client_id=stored_id(client),
        service_id=request.service_id,
        location_id=request.location_id,
        forum=request.forum,
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        status=AppointmentStatus.UNCONFIRMED,
        client_message=request.message,
        request_key=request.request_key,
        new_client=True,
        requested_for=request.requested_for.value,
        hold_expires_at=now + HOLD,
        created_at=now,
        updated_at=now,
    )
    session.add(appointment)
    session.flush()
    for attendee in _attendees(request):
        attendee.appointment_id = stored_id(appointment)
        session.add(attendee)
    session.add(
        AuditEvent(
            appointment_id=stored_id(appointment),
            actor_user_id=None,
            to_status=AppointmentStatus.UNCONFIRMED.value,
            note="Requested from the public page; waiting for the email address to be confirmed.",
            at=now,
        )
    )
    session.flush()
    return appointment


def _client_person(request: NewClientRequest) -> Contact:
    """Who receives care: the requester, or the child (reached through the requester), or the other person."""
    if request.requested_for == RequestedFor.CHILD and request.patient is not None:
        return Contact(request.patient.name, request.requester.email, request.requester.phone)
    if request.requested_for == RequestedFor.SOMEONE_ELSE and request.patient is not None:
        return request.patient
    return request.requester


def _client_for(session: Session, request: NewClientRequest, *, practice_id: int, now: datetime) -> Client:
    """The practice's client with this email and name, else (for oneself) with this email; else a new one.

    A second request before the first is accepted finds the same record, so nobody is entered twice.
    """
    person = _client_person(request)
    email = normalize_email(person.email)
    same_email = session.exec(
        select(Client)
        .where(Client.practice_id == practice_id, func.lower(Client.email) == email)
        .order_by(Client.id)  # type: ignore[arg-type]
    ).all()
    for client in same_email:
        if client.full_name.casefold() == person.name.casefold():
            return client
    if same_email and request.requested_for in (RequestedFor.SELF, RequestedFor.COUPLE):
        return same_email[0]
    client = Client(
        practice_id=practice_id,
        full_name=person.name,
        email=email,
        phone=person.phone,
        created_at=now,
        prospective=True,
    )
    session.add(client)
    session.flush()
    return client


def _attendees(request: NewClientRequest) -> list[Attendee]:
    """The people named besides the client: the guardian, the partner, or who asked for someone else."""
    if request.requested_for == RequestedFor.COUPLE and request.partner is not None:
        other = request.partner
    elif request.requested_for in (RequestedFor.CHILD, RequestedFor.SOMEONE_ELSE):
        other = request.requester
    else:
        return []
    return [
        Attendee(
            appointment_id=0,
            full_name=other.name,
            email=normalize_email(other.email) if other.email else "",
            phone=other.phone,
            relationship=RELATIONSHIPS[request.requested_for],
        )
    ]


def _stored_card(card: SavedCard, appointment: Appointment) -> PaymentCard:
    return PaymentCard(
        practice_id=appointment.practice_id,
        client_id=appointment.client_id,
        appointment_id=appointment.id,
        gateway=card.gateway,
        token=card.token,
        brand=card.brand,
        last4=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
        created_at=appointment.created_at,
    )

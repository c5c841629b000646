"""Email wording: recipient, subject, local times, escaping and nothing clinical."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from portal_app.domain import email_messages as messages
from portal_app.domain.email_messages import MessageKind, describe_time, header_text
from tests.factories import make_appointment_details

START = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)  # 10:00 AM in New York, 7:00 AM in Los Angeles
CLIENT_TIME = "Mon, Nov 2, 2026, 7:00 AM – 7:50 AM PST (America/Los_Angeles)"
PRACTICE_TIME = "Mon, Nov 2, 2026, 10:00 AM – 10:50 AM EST (America/New_York)"

BUILDERS = {
    MessageKind.REQUEST_RECEIVED: messages.request_received_to_client,
    MessageKind.NEW_REQUEST: messages.new_request_to_clinician,
    MessageKind.ACCEPTED: lambda d: messages.accepted_to_client(d, ics="BEGIN:VCALENDAR"),
    MessageKind.DECLINED: lambda d: messages.declined_to_client(d, message="Try Tuesday."),
    MessageKind.CANCELLED: lambda d: messages.cancelled_to_client(d, ics="BEGIN:VCALENDAR"),
    MessageKind.CANCELLATION_NOTICE: messages.cancellation_notice_to_clinician,
    MessageKind.WITHDRAWN: messages.withdrawn_to_clinician,
    MessageKind.REQUEST_CHANGED: lambda d: messages.request_changed_to_clinician(
        d, was=(START.replace(day=3), START.replace(day=3, minute=50)), changed_at=START
    ),
    MessageKind.PROPOSAL: lambda d: messages.proposal_to_client(
        d,
        requested=(START.replace(day=3), START.replace(day=3, minute=50)),
        message="Could this work?",
        link="https://portal.example.org/appointments?open=42",
    ),
    MessageKind.PROPOSAL_ANSWERED: lambda d: messages.proposal_answered_to_clinician(d, accepted=True),
    MessageKind.EXPIRED: lambda d: messages.expired_to_client(d, proposal=False),
    MessageKind.EXPIRED_NOTICE: lambda d: messages.expired_notice_to_clinician(d, proposal=False),
    MessageKind.REMINDER: messages.reminder_to_client,
}
# About accounts, not appointments: tested below with their own details.
ACCOUNT_KINDS = {MessageKind.INVITATION, MessageKind.PASSWORD_RESET}
# A new client's "confirm your email": tested in test_new_client_messages.py.
NEW_CLIENT_KINDS = {MessageKind.CONFIRM_REQUEST}
TO_CLINICIAN = {
    MessageKind.NEW_REQUEST,
    MessageKind.CANCELLATION_NOTICE,
    MessageKind.WITHDRAWN,
    MessageKind.REQUEST_CHANGED,
    MessageKind.PROPOSAL_ANSWERED,
    MessageKind.EXPIRED_NOTICE,
}
SUBJECTS = {
    MessageKind.REQUEST_RECEIVED: "Appointment request received — Oak Street Counseling",
    MessageKind.NEW_REQUEST: "New appointment request — Oak Street Counseling",
    MessageKind.ACCEPTED: "Appointment confirmed — Oak Street Counseling",
    MessageKind.DECLINED: "Appointment request declined — Oak Street Counseling",
    MessageKind.CANCELLED: "Appointment cancelled — Oak Street Counseling",
    MessageKind.CANCELLATION_NOTICE: "Appointment cancelled — Oak Street Counseling",
    MessageKind.WITHDRAWN: "Appointment request withdrawn — Oak Street Counseling",
    MessageKind.REQUEST_CHANGED: "Appointment request changed — Oak Street Counseling",
    MessageKind.PROPOSAL: "Another time proposed — Oak Street Counseling",
    MessageKind.PROPOSAL_ANSWERED: "Proposed time accepted — Oak Street Counseling",
    MessageKind.EXPIRED: "Appointment request expired — Oak Street Counseling",
    MessageKind.EXPIRED_NOTICE: "Appointment request expired — Oak Street Counseling",
    MessageKind.REMINDER: "Appointment reminder — Oak Street Counseling",
}


def test_every_kind_has_a_builder():
    assert set(BUILDERS) == set(MessageKind) - ACCOUNT_KINDS - NEW_CLIENT_KINDS


@pytest.mark.parametrize("kind", list(BUILDERS))
def test_each_message_goes_to_its_recipient_with_the_time_in_their_zone(kind):
    draft = BUILDERS[kind](make_appointment_details(START))

    to_clinician = kind in TO_CLINICIAN
    assert draft.kind is kind
    assert draft.to_address == ("maya@example.org" if to_clinician else "alex@example.com")
    assert draft.subject == SUBJECTS[kind]
    expected_time = PRACTICE_TIME if to_clinician else CLIENT_TIME
    assert expected_time in draft.body_text
    assert expected_time in draft.body_html
    assert "Downtown Office, 120 Oak Street, Boston" in draft.body_text


def test_time_is_named_with_the_zone_after_the_dst_change():
    assert describe_time(START, START.replace(hour=15, minute=50), "America/New_York") == PRACTICE_TIME


def test_declined_message_carries_the_therapists_words_escaped_in_html():
    draft = messages.declined_to_client(
        make_appointment_details(START), message="I'm away <b>that week</b>.\nPlease pick another day."
    )

    assert "Message from Dr. Maya Chen:\nI'm away <b>that week</b>." in draft.body_text
    assert "I&#x27;m away &lt;b&gt;that week&lt;/b&gt;.<br>Please pick another day." in draft.body_html
    assert "<b>that week</b>" not in draft.body_html


def test_declined_without_a_message_says_nothing_about_one():
    draft = messages.declined_to_client(make_appointment_details(START), message="  ")

    assert "Message from" not in draft.body_text


def test_names_are_escaped_and_subjects_stay_on_one_line():
    hostile = replace(
        make_appointment_details(START),
        client_name="<script>alert(1)</script>",
        practice_name="Oak Street\r\nBcc: everyone@example.com",
    )

    draft = messages.request_received_to_client(hostile)

    assert "<script>" not in draft.body_html
    assert "&lt;script&gt;" in draft.body_html
    assert "\n" not in draft.subject
    assert "\r" not in draft.subject


def test_telehealth_says_telehealth_instead_of_an_address():
    draft = messages.reminder_to_client(replace(make_appointment_details(START), telehealth=True))

    assert "Where: Telehealth" in draft.body_text
    assert "120 Oak Street" not in draft.body_text
    assert "Join Video" in draft.body_text


def test_messages_name_no_service():
    # The details carry no service at all; this guards against one being added to the wording.
    for build in BUILDERS.values():
        draft = build(make_appointment_details(START))
        assert "Therapy" not in draft.subject + draft.body_text


def test_dedupe_keys_are_unique_per_message_and_reminders_follow_the_start_time():
    drafts = [build(make_appointment_details(START)) for build in BUILDERS.values()]
    assert len({draft.dedupe_key for draft in drafts}) == len(drafts)

    reminder = messages.reminder_to_client(make_appointment_details(START))
    assert reminder.dedupe_key == "reminder:42:2026-11-02T15:00:00+00:00"


def test_a_request_to_move_an_appointment_names_the_time_it_would_replace():
    old = (START.replace(day=3), START.replace(day=3, minute=50))
    details = make_appointment_details(START)

    to_client = messages.request_received_to_client(details, moving=old)
    to_clinician = messages.new_request_to_clinician(details, moving=old)
    declined = messages.declined_to_client(details, message="", keeps=old)

    assert "move your appointment of Tue, Nov 3, 2026, 7:00 AM" in to_client.body_text
    assert "It stays booked until the new time below is accepted." in to_client.body_text
    assert to_clinician.subject.startswith("Request to move an appointment")
    assert "Tue, Nov 3, 2026, 10:00 AM" in to_clinician.body_text
    assert "Your appointment of Tue, Nov 3, 2026, 7:00 AM" in declined.body_text


def _account_link(**overrides) -> messages.AccountLinkDetails:
    values = {
        "link_id": 9,
        "to_name": "Ana <Ruiz>",
        "to_address": "ana@example.com",
        "practice_name": "Oak Street Counseling",
        "practice_phone": "(617) 555-0148",
        "practice_zone": "America/New_York",
        "link": "https://portal.example.org/set-password?token=abc&x=<1>",
        "expires_at": START,
        "inviter_name": "Morgan Lee",
    }
    return messages.AccountLinkDetails(**(values | overrides))


@pytest.mark.parametrize(
    ("builder", "subject", "says"),
    [
        (
            messages.invitation,
            "Your invitation to the portal — Oak Street Counseling",
            "Morgan Lee invited you",
        ),
        (messages.password_reset, "Reset your password — Oak Street Counseling", "If it was not you"),
    ],
)
def test_account_emails_carry_the_link_and_its_expiry_and_escape_names(builder, subject, says):
    draft = builder(_account_link())

    assert (draft.to_address, draft.subject, draft.dedupe_key) == (
        "ana@example.com",
        subject,
        f"{draft.kind}:9",
    )
    assert says in draft.body_text
    assert "https://portal.example.org/set-password?token=abc&x=<1>" in draft.body_text
    assert "href='https://portal.example.org/set-password?token=abc&amp;x=&lt;1&gt;'" in draft.body_html
    assert "expires on Mon, Nov 2, 2026, 10:00 AM EST (America/New_York)" in draft.body_text
    assert "Hello Ana &lt;Ruiz&gt;," in draft.body_html
    assert "<Ruiz>" not in draft.body_html


def test_a_clinicians_invitation_speaks_of_their_schedule():
    draft = messages.invitation(_account_link(for_client=False))

    assert "review appointment requests and manage your schedule" in draft.body_text


@pytest.mark.parametrize(
    "line_break", ["\r\n", "\r", "\n", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029"]
)
def test_header_text_is_one_line_whatever_break_was_typed(line_break):
    assert header_text(f" Eve{line_break}Bcc: x@evil.example\x00 ") == "Eve Bcc: x@evil.example"

"""What a person reads for each service result: every code has words, with the practice's numbers.

The services answer with codes (``Outcome``, ``BookingProblem``); the service tests check the
codes, and this file checks the sentences ``state.wording`` makes of them.
"""

from __future__ import annotations

import pytest

from portal_app.domain.bookability import BookingCheck, BookingProblem
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.services.outcome import AppointmentResult, Outcome
from portal_app.services.setting_inputs import EditOutcome, FieldProblem, Problem
from portal_app.state import wording

# Numbers for every problem that takes some, so no placeholder is left unfilled.
SAMPLE_LIMITS = {
    BookingProblem.WRONG_LENGTH: (50, 80),
    BookingProblem.NOT_ALIGNED: (15,),
    BookingProblem.TOO_SOON: (24,),
    BookingProblem.TOO_FAR_AHEAD: (60,),
}


def test_every_outcome_and_every_booking_problem_has_words():
    assert set(wording.OUTCOMES) == set(Outcome)
    assert set(wording.PROBLEMS) == set(BookingProblem)
    for outcome in Outcome:
        text = wording.result_text(AppointmentResult(outcome))
        assert text.strip(), outcome
        assert text != outcome.value
    for problem in BookingProblem:
        text = wording.problem_text(BookingCheck(problem, SAMPLE_LIMITS.get(problem, ())))
        assert text.strip(), problem
        assert "{" not in text, problem
        assert "}" not in text, problem


def test_every_status_a_request_can_be_answered_with_has_words():
    assert set(wording.ANSWERED_AS) == set(AppointmentStatus) - {AppointmentStatus.REQUESTED}


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (BookingCheck(BookingProblem.OUTSIDE_AVAILABILITY), "isn't available at that time"),
        (BookingCheck(BookingProblem.WRONG_LENGTH, (50, 80)), "lasts 50 or 80 minutes"),
        (BookingCheck(BookingProblem.WRONG_LENGTH, (50,)), "lasts 50 minutes"),
        (BookingCheck(BookingProblem.IN_PAST), "already passed"),
        (BookingCheck(BookingProblem.TOO_SOON, (24,)), "at least 24 hours ahead"),
        (BookingCheck(BookingProblem.TOO_FAR_AHEAD, (60,)), "up to 60 days ahead"),
        (BookingCheck(BookingProblem.NOT_ALIGNED, (15,)), "start every 15 minutes"),
        (
            BookingCheck(BookingProblem.SERVICE_NOT_OFFERED),
            "isn't offered for this service, location and forum",
        ),
        (BookingCheck(BookingProblem.NOT_OPEN_TO_CLIENT), "isn't open to"),
        (BookingCheck(BookingProblem.OVERLAPS_APPOINTMENT), "overlaps another appointment"),
    ],
)
def test_a_refused_time_says_why_with_the_practices_numbers(check, expected):
    assert expected.lower() in wording.problem_text(check).lower()
    refused = AppointmentResult(Outcome.NOT_BOOKABLE, check=check)
    assert wording.result_text(refused) == wording.problem_text(check)


def test_a_bookable_time_has_no_problem_to_word():
    assert wording.problem_text(BookingCheck(None)) == ""


def test_a_refused_time_without_its_check_still_has_words():
    assert "cannot be booked" in wording.result_text(AppointmentResult(Outcome.NOT_BOOKABLE))


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        (
            "555-0100",
            "This appointment can no longer be cancelled online. Please call the practice at 555-0100.",
        ),
        (
            "(617) 555-0148",
            "This appointment can no longer be cancelled online. Please call the practice at (617) 555-0148.",
        ),
        ("", "This appointment can no longer be cancelled online. Please call the practice."),
    ],
)
def test_call_to_cancel_gives_the_practices_phone_number(phone, expected):
    assert wording.call_to_cancel(phone) == expected
    assert wording.result_text(AppointmentResult(Outcome.CALL_TO_CANCEL), practice_phone=phone) == expected


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (Outcome.SENT, "Request sent."),
        (Outcome.CHANGED, "Request changed."),
        (Outcome.UNCHANGED, "Nothing to change."),
        (Outcome.WITHDRAWN, "Request withdrawn."),
        (Outcome.CANCELLED, "Appointment cancelled."),
        (Outcome.ACCEPTED, "Accepted."),
        (Outcome.DECLINED, "Declined."),
        (Outcome.NOT_FOUND, "could not be found"),
        (Outcome.BAD_REQUEST, "could not be understood"),
        (Outcome.CLIENTS_ONLY, "Only clients"),
        (Outcome.PROVIDER_CLOSED, "does not take online requests"),
        (Outcome.TAKEN, "That time was just taken — please choose another"),
        (
            Outcome.OVERLAPS_CONFIRMED,
            "This time now overlaps a confirmed appointment; "
            "decline it or ask the client to pick another time.",
        ),
        (Outcome.NOT_UPCOMING, "already started or passed"),
        (Outcome.MESSAGE_TOO_LONG, "Please keep the message under 2000 characters."),
    ],
)
def test_each_result_says_what_happened(outcome, expected):
    assert expected.lower() in wording.result_text(AppointmentResult(outcome)).lower()


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (AppointmentStatus.CONFIRMED, "already been accepted"),
        (AppointmentStatus.DECLINED, "already been declined"),
        (AppointmentStatus.WITHDRAWN, "withdrawn"),
        (AppointmentStatus.CANCELLED, "cancelled"),
        (AppointmentStatus.COMPLETED, "recorded as attended"),
        (AppointmentStatus.NO_SHOW, "recorded as a no-show"),
    ],
)
def test_an_answered_request_says_how_it_was_answered(status, expected):
    result = AppointmentResult(Outcome.ALREADY_ANSWERED, appointment_id=7, status=status)

    assert expected in wording.result_text(result)


def test_an_answered_request_with_no_status_still_has_words():
    text = wording.result_text(AppointmentResult(Outcome.ALREADY_ANSWERED))

    assert "already been answered" in text


def test_the_dashboard_marks_name_the_other_sessions_time():
    when = "10:00 AM – 10:50 AM EST"

    assert wording.overlaps_confirmed(when) == "Overlaps a confirmed appointment (10:00 AM – 10:50 AM EST)."
    assert wording.overlaps_pending(when) == "Overlaps another pending request (10:00 AM – 10:50 AM EST)."


def test_no_conflict_means_no_mark():
    assert wording.overlaps_confirmed("") == ""
    assert wording.overlaps_pending("") == ""


def test_every_account_result_and_link_problem_has_words():
    from portal_app.domain.accounts import InputProblem
    from portal_app.domain.vocabulary import AccountStatus
    from portal_app.services.account_results import AccountOutcome, AccountResult
    from portal_app.services.one_time_links import LinkProblem

    assert set(wording.ACCOUNT_OUTCOMES) == set(AccountOutcome)
    assert set(wording.INPUT_PROBLEMS) == set(InputProblem)
    assert set(wording.LINK_PROBLEMS) == set(LinkProblem)
    assert set(wording.ACCOUNT_STATUS_LABELS) == set(AccountStatus)
    texts = [wording.account_text(AccountResult(outcome, name="Ana Ruiz")) for outcome in AccountOutcome]
    texts += [wording.account_text(AccountResult(AccountOutcome.INVALID, problem=p)) for p in InputProblem]
    texts += [
        wording.account_text(AccountResult(AccountOutcome.LINK_UNUSABLE, link_problem=p)) for p in LinkProblem
    ]
    for text in texts:
        assert text.strip(), text
        assert "{" not in text, text
        assert "}" not in text, text
    assert wording.account_text(AccountResult(AccountOutcome.INVITED, name="Ana Ruiz")) == (
        "Invitation sent to Ana Ruiz."
    )


# The Settings page.

SAMPLE_FIELD_LIMITS = {
    Problem.TOO_LONG: (120,),
    Problem.OUT_OF_RANGE: (0, 720),
    Problem.NOT_AN_INCREMENT: (5, 10, 15, 20, 30, 60),
    Problem.BAD_LENGTHS: (5, 480, 4),
}


def test_every_edit_outcome_and_field_problem_has_words():
    assert set(wording.EDIT_OUTCOMES) == set(EditOutcome)
    assert set(wording.FIELD_PROBLEMS) == set(Problem)
    for problem in Problem:
        text = wording.field_problem_text(FieldProblem(problem, SAMPLE_FIELD_LIMITS.get(problem, ())))
        assert text.strip(), problem
        assert "{" not in text, problem
        assert "}" not in text, problem


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (FieldProblem(Problem.OUT_OF_RANGE, (0, 720)), "Please enter a whole number from 0 to 720."),
        (
            FieldProblem(Problem.NOT_AN_INCREMENT, (5, 10, 15, 20, 30, 60)),
            "Please pick 5, 10, 15, 20, 30 or 60 minutes.",
        ),
        (FieldProblem(Problem.TOO_LONG, (60,)), "Please keep this to 60 characters or fewer."),
        (FieldProblem(Problem.BAD_LENGTHS, (5, 480, 4)), "each from 5 to 480 in steps of 5"),
    ],
)
def test_a_refused_field_says_what_would_do_with_the_limits(problem, expected):
    assert expected in wording.field_problem_text(problem)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("slot_increment_minutes", "15", "15 minutes"),
        ("reminder_hours_before", "48", "48 hours before"),
        ("reminder_hours_before", "0", "No reminder"),
        ("online_cancellation", "off", "Off"),
        ("active", "off", "Retired"),
        ("phone", "", "(empty)"),
        ("time_zone", "America/Chicago", "America/Chicago"),
    ],
)
def test_audited_values_are_shown_in_words(field, value, expected):
    assert wording.setting_value(field, value) == expected


def test_a_closed_booking_link_names_the_clinician_and_the_phone():
    assert wording.closed_link_text("Dr. Maya Chen", "(617) 555-0148") == (
        "Dr. Maya Chen is not taking online requests at the moment.",
        "Please call the practice at (617) 555-0148 to book an appointment.",
    )

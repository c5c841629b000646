"""Account rules: emails, names, passwords and booking-link slugs."""

from __future__ import annotations

import pytest

from portal_app.domain.accounts import InputProblem, email_problem, name_problem, password_problem, slug_for


@pytest.mark.parametrize("email", ["ana@example.com", "a.b+c@sub.example.org", "x@y.co"])
def test_plausible_emails_pass(email):
    assert email_problem(email) is None


@pytest.mark.parametrize(
    "email",
    ["", "ana", "ana@", "@example.com", "ana@example", "a b@example.com", "a@b@c.org", "<a@b.org>", "a@b."],
)
def test_mistyped_emails_are_refused(email):
    assert email_problem(email) == InputProblem.EMAIL_INVALID


def test_names_must_be_there_and_not_too_long():
    assert name_problem("") == InputProblem.NAME_EMPTY
    assert name_problem("x" * 121) == InputProblem.NAME_TOO_LONG
    assert name_problem("Ana Ruiz") is None


@pytest.mark.parametrize(
    ("password", "confirmation", "problem"),
    [
        ("123456789", "123456789", InputProblem.PASSWORD_TOO_SHORT),
        ("plum kettle 47 lantern", "plum kettle 47 lantern", None),
        # Long enough, but among the first guesses: a leaked favourite, a keyboard row, a pattern.
        ("1234567890", "1234567890", InputProblem.PASSWORD_COMMON),
        ("Password123", "Password123", InputProblem.PASSWORD_COMMON),
        ("qwertyuiop", "qwertyuiop", InputProblem.PASSWORD_COMMON),
        ("aaaaaaaaaaaa", "aaaaaaaaaaaa", InputProblem.PASSWORD_COMMON),
        ("Ana@Example.com", "Ana@Example.com", InputProblem.PASSWORD_IS_EMAIL),
        ("long enough one", "long enough two", InputProblem.PASSWORDS_DIFFER),
        ("x" * 129, "x" * 129, InputProblem.PASSWORD_TOO_LONG),
    ],
)
def test_password_rules(password, confirmation, problem):
    assert password_problem(password, confirmation, email="ana@example.com") == problem


@pytest.mark.parametrize(
    ("name", "taken", "slug"),
    [
        ("Dr. Ana María Ruiz", set(), "dr-ana-maria-ruiz"),
        ("Sam Lee", {"sam-lee"}, "sam-lee-2"),
        ("Sam Lee", {"sam-lee", "sam-lee-2"}, "sam-lee-3"),
        ("李雷", set(), "clinician"),
        ("  --  ", {"clinician"}, "clinician-2"),
    ],
)
def test_slugs_are_readable_and_unique(name, taken, slug):
    assert slug_for(name, taken) == slug


def test_slugs_fit_their_column():
    assert len(slug_for("x" * 500, set())) <= 80

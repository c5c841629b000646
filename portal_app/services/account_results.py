"""What an account service did, as a code; the words a person reads live in ``state.wording``."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from portal_app.domain.accounts import InputProblem
from portal_app.services.one_time_links import LinkProblem


class AccountOutcome(enum.StrEnum):
    """The result of creating, inviting, deactivating a person, or setting a password."""

    PRACTICE_CREATED = "practice_created"
    INVITED = "invited"
    RESENT = "resent"
    REVOKED = "revoked"
    DEACTIVATED = "deactivated"
    REACTIVATED = "reactivated"
    PASSWORD_SET = "password_set"
    TWO_FACTOR_RESET = "two_factor_reset"
    # Refusals.
    NOT_FOUND = "not_found"
    INVALID = "invalid"
    EMAIL_TAKEN = "email_taken"
    ZONE_UNKNOWN = "zone_unknown"
    PRACTICE_EXISTS = "practice_exists"
    HAS_ACCOUNT = "has_account"
    NOT_INVITED = "not_invited"
    INACTIVE = "inactive"
    NOT_YOURSELF = "not_yourself"
    LINK_UNUSABLE = "link_unusable"


_DONE = frozenset(
    {
        AccountOutcome.PRACTICE_CREATED,
        AccountOutcome.INVITED,
        AccountOutcome.RESENT,
        AccountOutcome.REVOKED,
        AccountOutcome.DEACTIVATED,
        AccountOutcome.REACTIVATED,
        AccountOutcome.PASSWORD_SET,
        AccountOutcome.TWO_FACTOR_RESET,
    }
)


@dataclass(frozen=True)
class AccountResult:
    """``outcome`` and what a message about it needs.

    Attributes:
        outcome: What happened.
        field_name: The form field a refusal is about ("name", "email", "time_zone", "password"...).
        problem: Why a typed value was refused (``INVALID``).
        link_problem: Why a link does not work (``LINK_UNUSABLE``).
        name: The person concerned, for the message ("Invitation sent to Ana Ruiz.").
        email: Their email (after a password is set: to fill in the sign-in form).
        token: A new one-time link's raw token, returned once (``create_practice`` prints it).
        concerns: Users whose open pages show the change (the practice's admins).
    """

    outcome: AccountOutcome
    field_name: str = ""
    problem: InputProblem | None = None
    link_problem: LinkProblem | None = None
    name: str = ""
    email: str = ""
    token: str = field(default="", repr=False)
    concerns: tuple[int, ...] = field(default=(), compare=False)

    @property
    def ok(self) -> bool:
        """Whether the change was made."""
        return self.outcome in _DONE


def invalid(field_name: str, problem: InputProblem) -> AccountResult:
    """A typed value was refused; nothing was changed."""
    return AccountResult(AccountOutcome.INVALID, field_name=field_name, problem=problem)

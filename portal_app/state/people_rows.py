"""What the Team page shows and accepts: people's rows, invitation forms, messages by field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from pydantic import StringConstraints

from portal_app.domain.time_display import moment_label
from portal_app.domain.vocabulary import AccountStatus, Role
from portal_app.services.account_results import AccountResult
from portal_app.services.accounts import AccountView
from portal_app.services.team import TeamMember
from portal_app.state import wording
from portal_app.state.access import Form

_Typed = Annotated[str, StringConstraints(max_length=1000)]
KINDS = {"clinician": Role.CLINICIAN, "client": Role.CLIENT}
_INVITED = frozenset(
    {AccountStatus.INVITED, AccountStatus.INVITATION_EXPIRED, AccountStatus.INVITATION_REVOKED}
)


class ClinicianInviteForm(Form):
    """Invite clinician: who they are and where the invitation goes."""

    name: _Typed = ""
    email: _Typed = ""
    credentials: _Typed = ""


class ClientInviteForm(Form):
    """Invite client: a new client and where the invitation goes."""

    name: _Typed = ""
    email: _Typed = ""
    phone: _Typed = ""


@dataclass(frozen=True)
class PersonRow:
    """One person on the Team page, with what an admin may do about their account now."""

    id: int = 0
    kind: str = ""
    name: str = ""
    email: str = ""
    detail: str = ""
    status: str = ""
    status_label: str = ""
    status_detail: str = ""
    can_resend: bool = False
    can_revoke: bool = False
    can_deactivate: bool = False
    can_reactivate: bool = False
    can_reset_two_factor: bool = False

    @classmethod
    def of(cls, member: TeamMember, zone: str) -> PersonRow:
        """The row for one person, with an invitation's expiry in the admin's zone."""
        return cls.for_account(
            record_id=member.record_id,
            role=member.role,
            name=member.name,
            email=member.email,
            detail=member.detail,
            account=member.account,
            zone=zone,
            is_viewer=member.is_viewer,
            two_factor=member.two_factor,
        )

    @classmethod
    def for_account(
        cls,
        *,
        record_id: int,
        role: Role,
        name: str,
        email: str,
        account: AccountView,
        zone: str,
        detail: str = "",
        is_viewer: bool = False,
        two_factor: bool = False,
    ) -> PersonRow:
        """The row for a clinician or client record and their account, whatever page shows it."""
        status = account.status
        expires = account.invitation_expires_at
        return cls(
            id=record_id,
            kind=role.value,
            name=name,
            email=email,
            detail=detail,
            status=status.value,
            status_label=wording.ACCOUNT_STATUS_LABELS[status],
            status_detail=f"expires {moment_label(expires, zone)}" if isinstance(expires, datetime) else "",
            can_resend=status in _INVITED,
            can_revoke=status == AccountStatus.INVITED,
            can_deactivate=status not in (AccountStatus.DEACTIVATED, AccountStatus.NO_ACCOUNT)
            and not is_viewer,
            can_reactivate=status == AccountStatus.DEACTIVATED,
            # Their own is turned off on their Sign-in security page, with a code.
            can_reset_two_factor=two_factor and not is_viewer,
        )


@dataclass(frozen=True)
class FieldErrors:
    """Messages beside an invitation form's fields."""

    name: str = ""
    email: str = ""
    extra: str = ""
    form: str = ""


CONFIRMATIONS = {
    "deactivate": (
        "Deactivate {name}?",
        "{name} ({email}) will be signed out everywhere at once and cannot sign in until reactivated. "
        "Their appointments and history stay.",
        "Deactivate",
    ),
    "revoke": (
        "Revoke {name}'s invitation?",
        "The link emailed to {email} will stop working. You can send a new invitation later.",
        "Revoke invitation",
    ),
    "reset_two_factor": (
        "Reset {name}'s two-factor sign-in?",
        "Only when you know it is {name} asking (they lost their phone and their recovery codes): "
        "{email} will be signed out everywhere and can sign in with the password alone, then set up "
        "an app again if the practice requires it.",
        "Reset two-factor",
    ),
}


def field_errors(result: AccountResult, *, extra: str) -> FieldErrors:
    """The refusal's message beside the field it is about (a taken email beside the email)."""
    if result.ok:
        return FieldErrors()
    text = wording.account_text(result)
    field = result.field_name
    return FieldErrors(
        name=text if field == "name" else "",
        email=text if field == "email" else "",
        extra=text if field == extra else "",
        form=text if field not in ("name", "email", extra) else "",
    )

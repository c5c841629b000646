""" "Forgot password?": a one-hour, one-time link by email, the same answer whoever asks.

The answer never says whether the email has an account. Requests are throttled per email and per
address (counted in ``PasswordResetRequest``, whether or not the email is known), so nobody can
flood a person's inbox or probe many addresses; past a limit, nothing is sent, silently.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import Session, select

from portal_app import routes
from portal_app.domain import email_messages as messages
from portal_app.domain.accounts import MAX_EMAIL_LENGTH, normalize_email
from portal_app.domain.email_messages import AccountLinkDetails
from portal_app.domain.time_display import valid_zone
from portal_app.domain.vocabulary import LinkPurpose
from portal_app.models import PasswordResetRequest, Practice, User
from portal_app.services.auth import lock_throttle_keys
from portal_app.services.notifications import enqueue_email
from portal_app.services.one_time_links import RESET_LIFETIME, issue_link, revoke_links
from portal_app.services.stored_rows import stored_id
from portal_app.services.throttles import over_limits

logger = logging.getLogger(__name__)

RESET_WINDOW = timedelta(hours=1)
MAX_RESETS_PER_EMAIL = 3
MAX_RESETS_PER_ADDRESS = 10


def request_password_reset(
    *, session: Session, email: str, client_ip: str, link_base: str, now: datetime
) -> bool:
    """Email a password-reset link to the active account ``email`` names, within the limits.

    Args:
        session: Opened ``for_writing``; committed here.
        email: As typed.
        client_ip: The address the request came from.
        link_base: Where the portal is opened (the link's start).
        now: The current instant.

    Returns:
        Whether an email was queued (for tests and logs only: the person is never told).
    """
    email = normalize_email(email)[:MAX_EMAIL_LENGTH]
    lock_throttle_keys(session, email=email, client_ip=client_ip, scope="password-reset")
    over_limit = over_limits(
        session,
        PasswordResetRequest,
        email=email,
        client_ip=client_ip,
        now=now,
        window=RESET_WINDOW,
        per_email=MAX_RESETS_PER_EMAIL,
        per_address=MAX_RESETS_PER_ADDRESS,
    )
    session.add(PasswordResetRequest(email=email, client_ip=client_ip, requested_at=now))
    user = session.exec(select(User).where(User.email == email)).first()
    practice = session.get(Practice, user.practice_id) if user and user.practice_id else None
    if over_limit or user is None or not user.is_active or practice is None:
        if over_limit:
            logger.warning("Password reset not sent: too many requests for one email or from one address")
        session.commit()
        return False
    revoke_links(session=session, user_id=stored_id(user), purposes=(LinkPurpose.RESET_PASSWORD,), now=now)
    issued = issue_link(
        session=session,
        purpose=LinkPurpose.RESET_PASSWORD,
        user_id=stored_id(user),
        created_by_user_id=None,
        now=now,
        lifetime=RESET_LIFETIME,
    )
    draft = messages.password_reset(
        AccountLinkDetails(
            link_id=issued.link_id,
            to_name=user.display_name,
            to_address=user.email,
            practice_name=practice.name,
            practice_phone=practice.phone,
            practice_zone=valid_zone(user.time_zone) or practice.time_zone,
            link=routes.set_password_link(link_base, issued.token),
            expires_at=issued.expires_at,
        )
    )
    enqueue_email(session=session, practice_id=stored_id(practice), appointment_id=None, draft=draft, now=now)
    session.commit()
    return True

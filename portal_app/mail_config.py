"""SMTP settings, read from the environment.

Variables (all optional; without ``PORTAL_SMTP_HOST`` nothing is sent: messages wait in the outbox,
readable by practice admins, and go out once a server is configured):

- ``PORTAL_SMTP_HOST``: the mail server.
- ``PORTAL_SMTP_PORT``: defaults to 25, 587 or 465 by security.
- ``PORTAL_SMTP_SECURITY``: ``none``, ``starttls`` (default) or ``ssl``.
- ``PORTAL_SMTP_USER`` / ``PORTAL_SMTP_PASSWORD``: sign in when a user is given.
- ``PORTAL_SMTP_FROM``: ``office@example.org`` (shown as the practice's name) or
  ``Display Name <office@example.org>`` (that display name instead). Required with a host.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr


class SmtpSecurity(enum.StrEnum):
    """How the connection to the mail server is protected."""

    NONE = "none"
    STARTTLS = "starttls"
    SSL = "ssl"


_DEFAULT_PORTS = {SmtpSecurity.NONE: 25, SmtpSecurity.STARTTLS: 587, SmtpSecurity.SSL: 465}


class MailConfigError(ValueError):
    """The SMTP environment variables are set but do not make sense together."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and as whom the outbox sender delivers mail."""

    host: str
    port: int
    security: SmtpSecurity
    from_address: str
    # None: each message is signed with its practice's name.
    from_name: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_seconds: float = 20.0


def smtp_settings_from_env(environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
    """The SMTP settings the environment describes, or None when no server is configured.

    Args:
        environ: The variables to read; the process environment when omitted.

    Returns:
        The settings, or None when ``PORTAL_SMTP_HOST`` is unset or empty.

    Raises:
        MailConfigError: A host is set but the other variables are missing or invalid, so a
            misconfigured server fails at start-up instead of silently losing mail.
    """
    env = os.environ if environ is None else environ
    host = env.get("PORTAL_SMTP_HOST", "").strip()
    if not host:
        return None
    security_text = env.get("PORTAL_SMTP_SECURITY", "").strip().lower() or "starttls"
    try:
        security = SmtpSecurity(security_text)
    except ValueError:
        raise MailConfigError(
            f"PORTAL_SMTP_SECURITY must be none, starttls or ssl, not {security_text!r}."
        ) from None
    port_text = env.get("PORTAL_SMTP_PORT", "").strip()
    if port_text and not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
        raise MailConfigError(f"PORTAL_SMTP_PORT must be a port number, not {port_text!r}.")
    from_name, from_address = parseaddr(env.get("PORTAL_SMTP_FROM", ""))
    if "@" not in from_address:
        raise MailConfigError("PORTAL_SMTP_FROM must be an email address when a host is set.")
    user = env.get("PORTAL_SMTP_USER", "").strip() or None
    password = env.get("PORTAL_SMTP_PASSWORD") or None
    if password and not user:
        raise MailConfigError("PORTAL_SMTP_PASSWORD is set without PORTAL_SMTP_USER.")
    return SmtpSettings(
        host=host,
        port=int(port_text) if port_text else _DEFAULT_PORTS[security],
        security=security,
        from_address=from_address,
        from_name=from_name or None,
        user=user,
        password=password,
    )


DEFAULT_ROUND = timedelta(seconds=30)


def mail_round_from_env(environ: Mapping[str, str] | None = None) -> timedelta:
    """How often the outbox sender looks for due mail: ``PORTAL_MAIL_ROUND_SECONDS`` (1–3600), else 30 s.

    Raises:
        MailConfigError: The value is not a whole number of seconds in that range.
    """
    env = os.environ if environ is None else environ
    text = env.get("PORTAL_MAIL_ROUND_SECONDS", "").strip()
    if not text:
        return DEFAULT_ROUND
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 3600):
        raise MailConfigError(
            f"PORTAL_MAIL_ROUND_SECONDS must be whole seconds from 1 to 3600, not {text!r}."
        )
    return timedelta(seconds=int(text))

"""Authenticator-app codes (TOTP, RFC 6238) and recovery codes: the pure rules. No randomness here.

A code is six digits for a 30-second step of the clock. One step either side of now is accepted,
for a phone whose clock is a little off; the step a code matched is returned so the caller can
refuse it (and any earlier step) from then on: a code works once.
"""

from __future__ import annotations

import hmac
from datetime import datetime

import pyotp
import segno

STEP_SECONDS = 30
DIGITS = 6
# Steps either side of now that are still accepted (clock drift, a code typed as it turned over).
DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# No 0/o, 1/l/i: a code copied from paper must be read back without doubt.
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
MAX_TYPED_CODE = 40


def typed_code(text: str) -> str:
    """A typed code without spaces and dashes, lower case ("123 456" → "123456")."""
    return "".join(ch for ch in text[:MAX_TYPED_CODE] if not ch.isspace() and ch != "-").lower()


def is_app_code(code: str) -> bool:
    """Whether ``code`` (as ``typed_code`` leaves it) has the shape of an authenticator code."""
    return len(code) == DIGITS and code.isascii() and code.isdigit()


def step_of(now: datetime) -> int:
    """The 30-second step ``now`` falls in (counted from 1970)."""
    return int(now.timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, *, now: datetime, after_step: int | None) -> int | None:
    """The step ``code`` belongs to, if it is right for one near ``now`` later than ``after_step``.

    Args:
        secret: The base32 secret the authenticator app holds.
        code: Six digits, as ``typed_code`` leaves them.
        now: The current instant.
        after_step: The step of the last code accepted (None: none yet); it and earlier are refused.

    Returns:
        The matched step, or None for a wrong, stale or already used code.
    """
    if not is_app_code(code):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = step_of(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if (after_step is None or step > after_step) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_code_image(text: str) -> str:
    """``text`` as a QR code: an SVG ``data:`` URI an ``<img>`` shows (no script, no request)."""
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2, dark="#111", light="#fff")


def grouped_secret(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def grouped_recovery_code(code: str) -> str:
    """A recovery code as it is shown: two groups of five ("abcde-fghjk")."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def is_recovery_code(code: str) -> bool:
    """Whether ``code`` (as ``typed_code`` leaves it) has the shape of a recovery code."""
    return len(code) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)

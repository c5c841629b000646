"""Password hashing through the passlib API (argon2, via the maintained libpass fork)."""

from __future__ import annotations

from passlib.context import CryptContext

_context = CryptContext(schemes=["argon2"], deprecated="auto")

# Verified against when the email is unknown, so both answers take the same time.
_DUMMY_HASH = _context.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _context.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password; with no stored hash, spend the same time and say no."""
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False
    return _context.verify(password, password_hash)


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash uses outdated parameters and should be replaced at next sign-in."""
    return _context.needs_update(password_hash)

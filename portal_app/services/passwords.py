"""Password hashing through the passlib API (argon2, via the maintained libpass fork)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from passlib.context import CryptContext


@dataclass(frozen=True)
class Argon2Cost:
    """How much work one argon2id hash takes: passes, memory in KiB, lanes."""

    rounds: int
    memory_cost: int
    parallelism: int


# argon2id at libpass's defaults, written out so that an upgrade cannot change them unnoticed.
PRODUCTION_COST = Argon2Cost(rounds=3, memory_cost=64 * 1024, parallelism=4)


def crypt_context(cost: Argon2Cost) -> CryptContext:
    """The passlib context hashing at ``cost``; hashes made at any other cost need an update."""
    return CryptContext(
        schemes=["argon2"],
        deprecated="auto",
        argon2__type="ID",
        argon2__rounds=cost.rounds,
        argon2__memory_cost=cost.memory_cost,
        argon2__parallelism=cost.parallelism,
    )


_cost = PRODUCTION_COST


def use_cost(cost: Argon2Cost) -> None:
    """Hash at ``cost`` from now on, in this process (test suites choose a cheap one).

    Like ``database.use_engine``, this is set by whoever starts the process; the app itself
    never calls it, so a deployment always hashes at ``PRODUCTION_COST``.
    """
    global _cost
    _cost = cost


def current_cost() -> Argon2Cost:
    """The cost new hashes are made at."""
    return _cost


@cache
def _context(cost: Argon2Cost) -> CryptContext:
    return crypt_context(cost)


@cache
def _dummy_hash(cost: Argon2Cost) -> str:
    # Verified against when the email is unknown, so both answers take the same time.
    return _context(cost).hash("not-a-real-password")


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _context(_cost).hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password; with no stored hash, spend the same time and say no.

    An empty hash is an account whose person has not set a password yet (an invitation): no
    password matches it, and saying so takes as long as a wrong password.
    """
    context = _context(_cost)
    if not password_hash:
        context.verify(password, _dummy_hash(_cost))
        return False
    return context.verify(password, password_hash)


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash uses outdated parameters and should be replaced at next sign-in."""
    return _context(_cost).needs_update(password_hash)

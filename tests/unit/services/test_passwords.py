"""Password hashing through the passlib API."""

import importlib.util

from passlib.context import CryptContext

from portal_app.services import passwords
from portal_app.services.passwords import hash_password, needs_rehash, verify_password

PRODUCTION_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_hash_round_trip_accepts_the_password_and_refuses_others():
    stored = hash_password("correct horse battery staple")

    assert stored.startswith("$argon2")
    assert "correct horse" not in stored
    assert verify_password("correct horse battery staple", stored)
    assert not verify_password("correct horse battery stapler", stored)


def test_each_hash_is_salted():
    assert hash_password("same password") != hash_password("same password")


def test_unknown_account_is_refused_without_a_hash():
    assert not verify_password("anything", None)


def test_production_hashes_with_argon2id_at_its_fixed_cost():
    settings = passwords.crypt_context(passwords.PRODUCTION_COST).to_dict()

    assert settings == {
        "schemes": ["argon2"],
        "deprecated": ["auto"],
        "argon2__type": "ID",
        "argon2__rounds": 3,
        "argon2__memory_cost": 65536,
        "argon2__parallelism": 4,
    }


def test_a_freshly_started_app_hashes_at_the_production_cost():
    # The suite switched this process to a cheap cost; a new copy of the module shows the default.
    spec = importlib.util.find_spec("portal_app.services.passwords")
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)

    assert fresh.current_cost() == fresh.PRODUCTION_COST
    assert fresh.hash_password("pw").startswith(PRODUCTION_PREFIX)


def test_hashes_made_with_weaker_parameters_need_an_update(production_password_cost):
    weak = CryptContext(schemes=["argon2"], argon2__rounds=1, argon2__memory_cost=8 * 1024)
    old_hash = weak.hash("pw")

    assert needs_rehash(old_hash)
    assert hash_password("pw").startswith(PRODUCTION_PREFIX)
    assert not needs_rehash(hash_password("pw"))
    assert verify_password("pw", old_hash)


def test_passlib_comes_from_the_maintained_fork():
    from importlib.metadata import PackageNotFoundError, version

    assert version("libpass")
    try:
        version("passlib")
    except PackageNotFoundError:
        pass
    else:  # pragma: no cover - a second passlib beside libpass breaks imports
        raise AssertionError("plain passlib is installed beside libpass")

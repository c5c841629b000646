"""``python -m portal_app.admin create-practice``: a real practice from nothing, or a clear refusal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from portal_app import database
from portal_app.admin import main
from portal_app.models import OneTimeLink, Practice, User
from portal_app.services.accounts import NO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
GOOD = ["--name", "Birch Counseling", "--time-zone", "America/Denver", "--admin-email", "owner@birch.org"]


@pytest.fixture
def empty_database(tmp_path):
    """A new SQLite file, not yet migrated: the command migrates it first."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'portal.db'}")
    database.use_engine(engine)
    yield engine
    database.use_engine(None)
    engine.dispose()


def _rows(engine: sa.Engine, model) -> list:
    with Session(engine) as session:
        return list(session.exec(select(model)).all())


def _create(*options: str) -> int:
    return main(["create-practice", *options])


def test_creates_the_practice_and_its_admin_and_prints_a_set_password_link(
    empty_database, capsys, monkeypatch
):
    monkeypatch.setenv("PORTAL_PUBLIC_URL", "https://portal.birch.org/")

    status = _create(*GOOD, "--admin-name", "Robin Birch", "--phone", "555-0111")

    out = capsys.readouterr().out
    assert status == 0
    (practice,) = _rows(empty_database, Practice)
    (admin,) = _rows(empty_database, User)
    assert (practice.name, practice.time_zone, practice.phone) == (
        "Birch Counseling",
        "America/Denver",
        "555-0111",
    )
    assert (admin.email, admin.display_name, admin.password_hash, admin.practice_id) == (
        "owner@birch.org",
        "Robin Birch",
        NO_PASSWORD,
        practice.id,
    )
    link = re.search(r"https://portal\.birch\.org/set-password\?token=([\w-]+)", out)
    assert link, out
    assert "7 days" in out
    (stored,) = _rows(empty_database, OneTimeLink)
    assert stored.token_hash != link.group(1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--name", "  "], "--name: Please enter a name."),
        (["--time-zone", "Mars/Olympus_Mons"], "--time-zone: That time zone is unknown."),
        (["--time-zone", "localtime"], "--time-zone: That time zone is unknown."),
        (["--time-zone", "Factory"], "--time-zone: That time zone is unknown."),
        (["--time-zone", "posixrules"], "--time-zone: That time zone is unknown."),
        (["--admin-email", "owner at birch"], "--admin-email: Please enter an email address"),
        (["--admin-name", "x" * 121], "--admin-name: Please keep the name under 120 characters."),
    ],
)
def test_bad_input_is_refused_with_status_2_and_nothing_written(empty_database, capsys, options, message):
    arguments = dict(zip(GOOD[::2], GOOD[1::2], strict=True)) | dict(
        zip(options[::2], options[1::2], strict=True)
    )

    status = _create(*[part for pair in arguments.items() for part in pair])

    err = capsys.readouterr().err
    assert status == 2
    assert message in err
    assert "Nothing was written." in err
    assert _rows(empty_database, Practice) == []
    assert _rows(empty_database, User) == []


def test_a_taken_email_is_refused(empty_database, capsys):
    assert _create(*GOOD) == 0

    status = _create("--name", "Another", "--time-zone", "UTC", "--admin-email", "OWNER@birch.org")

    assert status == 2
    assert "--admin-email: This email already belongs to someone" in capsys.readouterr().err
    assert len(_rows(empty_database, Practice)) == 1


def test_a_second_practice_in_one_database_is_refused(empty_database, capsys):
    assert _create(*GOOD) == 0

    status = _create("--name", "Another", "--time-zone", "UTC", "--admin-email", "other@birch.org")

    assert status == 2
    assert "already holds a practice (Birch Counseling)" in capsys.readouterr().err
    assert len(_rows(empty_database, User)) == 1


def test_the_command_runs_against_the_configured_database(tmp_path):
    environment = os.environ | {"REFLEX_DB_URL": f"sqlite:///{tmp_path / 'real.db'}", "PORTAL_PUBLIC_URL": ""}
    command = [sys.executable, "-m", "portal_app.admin", "create-practice", *GOOD]

    created = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    again = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)

    assert created.returncode == 0, created.stderr
    assert "/set-password?token=" in created.stdout
    assert "PORTAL_PUBLIC_URL is not set" in created.stdout
    assert again.returncode == 2
    assert "Nothing was written." in again.stderr

"""``python -m portal_app.admin backup FILE`` / ``restore FILE --yes``: a round trip gives back
every row, on SQLite and on PostgreSQL; refusals change nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from portal_app import database
from portal_app.admin import main
from portal_app.migrations import upgrade_to_head
from portal_app.models import Client, Practice
from portal_app.seed import seed_demo_practice
from tests.databases import postgres_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=["sqlite", "postgresql"])
def portal_database(request, tmp_path) -> Iterator[str]:
    """The URL of a migrated database holding the demo practice, which the app points at."""
    if request.param == "sqlite":
        yield from _seeded(f"sqlite:///{tmp_path / 'portal.db'}")
    else:
        with postgres_database("portal_backup") as url:
            yield from _seeded(url)


def _seeded(url: str) -> Iterator[str]:
    engine = sa.create_engine(url)
    upgrade_to_head(engine)
    database.use_engine(engine)
    with database.open_session(for_writing=True) as session:
        seed_demo_practice(session=session, now=datetime.now(UTC))
    yield url
    database.use_engine(None)
    engine.dispose()


def _contents() -> dict[str, tuple[int, str]]:
    """Every table's row count and a digest of its rows, the migration version included."""
    tables = [*SQLModel.metadata.sorted_tables, sa.table("alembic_version", sa.column("version_num"))]
    contents = {}
    with database.get_engine().connect() as connection:
        for table in tables:
            order = list(table.primary_key.columns) if isinstance(table, sa.Table) else list(table.columns)
            rows = connection.execute(sa.select(table).order_by(*order)).all()
            contents[table.name] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return contents


def _change_everything_a_bad_day_could() -> None:
    with database.open_session(for_writing=True) as session:
        session.exec(sa.update(Practice).values(name="Overwritten"))
        session.exec(sa.text("DELETE FROM attendee"))
        session.add(Client(practice_id=1, full_name="Added after the backup", email="late@example.com"))
        session.commit()


def test_a_backup_restored_gives_back_every_row_and_new_rows_still_get_new_ids(
    portal_database, tmp_path, capsys
):
    before = _contents()
    backup = tmp_path / "portal.backup"

    assert main(["backup", str(backup)]) == 0
    _change_everything_a_bad_day_could()
    assert _contents() != before
    assert main(["restore", str(backup), "--yes"]) == 0

    assert _contents() == before
    assert before["appointment"][0] > 0
    assert before["alembic_version"][0] == 1
    with database.open_session(for_writing=True) as session:
        newest = max(session.exec(select(Client.id)).all())
        added = Client(practice_id=1, full_name="After the restore", email="new@example.com")
        session.add(added)
        session.commit()
        assert added.id > newest
    out = capsys.readouterr().out
    assert f"Backed up to {backup}." in out
    assert f"Restored from {backup}." in out


def test_refusals_change_nothing(portal_database, tmp_path, capsys):
    backup = tmp_path / "portal.backup"
    assert main(["backup", str(backup)]) == 0
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("not a database")
    empty_sqlite = tmp_path / "empty.db"
    sa.create_engine(f"sqlite:///{empty_sqlite}").connect().close()
    _change_everything_a_bad_day_could()
    before = _contents()
    capsys.readouterr()

    answers = [
        main(["restore", str(backup)]),  # no --yes
        main(["restore", str(tmp_path / "missing.backup"), "--yes"]),
        main(["restore", str(not_a_backup), "--yes"]),
        main(["backup", str(backup)]),  # would overwrite
    ]
    if portal_database.startswith("sqlite"):
        answers.append(main(["restore", str(empty_sqlite), "--yes"]))

    assert set(answers) == {2}
    assert _contents() == before
    errors = capsys.readouterr().err
    assert "add --yes" in errors
    assert "already exists" in errors
    assert not list(tmp_path.glob(".*.partial"))


def test_the_command_line_backs_up_a_running_portals_database(portal_database, tmp_path):
    backup = tmp_path / "from the command line.backup"
    environment = os.environ | {"REFLEX_DB_URL": portal_database}

    result = subprocess.run(
        [sys.executable, "-m", "portal_app.admin", "backup", str(backup)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert backup.stat().st_size > 0

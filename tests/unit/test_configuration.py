"""Start-up configuration: what the portal refuses before it serves anyone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_config(**environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REFLEX_")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import rxconfig"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_redis_with_the_default_sqlite_file_is_refused_with_a_clear_message():
    started = _load_config(REFLEX_REDIS_URL="redis://127.0.0.1:6379")

    assert started.returncode != 0
    assert "REFLEX_DB_URL is SQLite" in started.stderr
    assert "PostgreSQL" in started.stderr


def test_redis_with_postgresql_and_sqlite_alone_are_accepted():
    assert _load_config().returncode == 0
    with_postgres = _load_config(
        REFLEX_REDIS_URL="redis://127.0.0.1:6379", REFLEX_DB_URL="postgresql+psycopg://postgres@127.0.0.1/x"
    )
    assert with_postgres.returncode == 0, with_postgres.stderr

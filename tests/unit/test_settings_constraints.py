"""The database itself refuses settings outside their limits (CHECK constraints), once migrated."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal_app.migrations import upgrade_to_head
from tests.databases import postgres_database

SETTINGS_REVISION = "5e77a1c0b2d4"
PRACTICE = (
    "INSERT INTO practice (name, time_zone, phone, online_cancellation, cancellation_window_hours,"
    " telehealth_enabled, card_required_for_new_clients, minimum_notice_hours, booking_horizon_days,"
    " slot_increment_minutes, buffer_minutes, reminder_hours_before)"
    " VALUES ('P', :time_zone, '', true, :cancellation_window_hours, true, false, :minimum_notice_hours,"
    " :booking_horizon_days, :slot_increment_minutes, :buffer_minutes, :reminder_hours_before)"
)
GOOD = {
    "time_zone": "America/New_York",
    "cancellation_window_hours": 24,
    "minimum_notice_hours": 24,
    "booking_horizon_days": 60,
    "slot_increment_minutes": 15,
    "buffer_minutes": 10,
    "reminder_hours_before": 24,
}
BAD_PRACTICES = [
    {"slot_increment_minutes": 0},
    {"slot_increment_minutes": 1},
    {"slot_increment_minutes": 25},
    {"minimum_notice_hours": -1},
    {"cancellation_window_hours": -5},
    {"booking_horizon_days": 0},
    {"buffer_minutes": -1},
    {"reminder_hours_before": 1000},
    {"time_zone": " "},
]


def _insert_practice(connection, **values) -> int:
    connection.execute(sa.text(PRACTICE), GOOD | values)
    return connection.execute(sa.text("SELECT max(id) FROM practice")).scalar_one()


def _check_every_rule(engine: sa.Engine) -> None:
    upgrade_to_head(engine)
    with engine.begin() as connection:
        practice_id = _insert_practice(connection)
        assert connection.execute(
            sa.text(
                "SELECT new_client_requests, video_join_minutes_before, staff_idle_minutes,"
                " staff_two_factor_required FROM practice WHERE id = :id"
            ),
            {"id": practice_id},
        ).one() == (True, 10, 30, False)
    for bad in BAD_PRACTICES:
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            _insert_practice(connection, **bad)
    for statement in (
        "UPDATE practice SET slot_increment_minutes = 0",
        "UPDATE practice SET video_join_minutes_before = 61",
        "UPDATE practice SET minimum_notice_hours = -3",
        "UPDATE practice SET staff_idle_minutes = 4",
        "UPDATE practice SET staff_idle_minutes = 721",
    ):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(statement))
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                'INSERT INTO "user" (email, password_hash, role, display_name, is_active, created_at)'
                " VALUES ('c@x.test', 'x', 'clinician', 'C', true, CURRENT_TIMESTAMP)"
            )
        )
        user_id = connection.execute(sa.text('SELECT max(id) FROM "user"')).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO clinician (practice_id, user_id, display_name, credentials, slug,"
                " self_scheduling) VALUES (:practice_id, :user_id, 'C', '', 'c', true)"
            ),
            {"practice_id": practice_id, "user_id": user_id},
        )
        connection.execute(sa.text("UPDATE clinician SET video_link = 'https://meet.example.org/c'"))
    for statement in (
        "UPDATE clinician SET video_link = 'http://meet.example.org/c'",
        "UPDATE clinician SET display_name = '  '",
        f"INSERT INTO service (practice_id, name, durations_minutes, new_clients_allowed,"
        f" existing_clients_allowed, telehealth_allowed)"
        f" VALUES ({practice_id}, ' ', '[50]', false, true, true)",
        f"INSERT INTO location (practice_id, name, address) VALUES ({practice_id}, '', '')",
    ):
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
            connection.execute(sa.text(statement))


def test_a_migrated_sqlite_database_refuses_settings_outside_their_limits(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'limits.db'}")
    try:
        _check_every_rule(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_migrated_postgresql_database_refuses_settings_outside_their_limits():
    with postgres_database("portal_setting_limits") as url:
        engine = sa.create_engine(url)
        try:
            _check_every_rule(engine)
        finally:
            engine.dispose()


def test_the_migration_can_be_undone_and_redone(tmp_path):
    from alembic.config import Config

    from alembic import command
    from portal_app.migrations import PROJECT_ROOT

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "alembic"))
    try:
        upgrade_to_head(engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, f"{SETTINGS_REVISION}-1")
        assert "settingchange" not in sa.inspect(engine).get_table_names()
        assert "active" not in {column["name"] for column in sa.inspect(engine).get_columns("service")}
        upgrade_to_head(engine)
        assert "settingchange" in sa.inspect(engine).get_table_names()
    finally:
        engine.dispose()

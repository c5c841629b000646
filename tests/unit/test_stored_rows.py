"""Rows the schema promises exist, and ids of stored rows: a broken promise fails loudly."""

from __future__ import annotations

import pytest

from portal_app.models import Practice
from portal_app.services.stored_rows import required_row, stored_id
from tests.factories import make_practice


def test_a_stored_row_gives_its_id(db_session):
    practice = make_practice(db_session)

    assert stored_id(practice) == practice.id


def test_a_row_not_yet_flushed_has_no_id_to_give():
    with pytest.raises(ValueError, match="Practice has no id yet"):
        stored_id(Practice(name="Unsaved"))


def test_a_required_row_is_read(db_session):
    practice = make_practice(db_session, name="Elm Street")

    assert required_row(db_session, Practice, practice.id).name == "Elm Street"


def test_a_missing_required_row_is_a_lookup_error_naming_it(db_session):
    with pytest.raises(LookupError, match="No Practice 404"):
        required_row(db_session, Practice, 404)

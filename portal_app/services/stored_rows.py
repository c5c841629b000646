"""Rows the schema promises exist, and the ids of rows already in the database.

A table's ``id`` is ``int | None`` because a new row has none until it is flushed, and
``session.get`` answers ``None`` for a missing row. Where the schema already rules both out (a
row read back from the database, a foreign key's target), these say so once and fail loudly if
the promise is broken, instead of letting ``None`` travel on into a message or a query.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from sqlmodel import Session, SQLModel

_Row = TypeVar("_Row", bound=SQLModel)


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(row: _Stored) -> int:
    """The id of a row read from the database or flushed to it.

    Raises:
        ValueError: The row has not been flushed yet (a bug in the caller).
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it before using its id.")
    return row.id


def required_row(session: Session, model: type[_Row], row_id: int) -> _Row:
    """The ``model`` row ``row_id``, which a foreign key (or the caller's own check) says exists.

    Raises:
        LookupError: There is no such row; the data broke a promise the schema makes.
    """
    row = session.get(model, row_id)
    if row is None:
        raise LookupError(f"No {model.__name__} {row_id}.")
    return row

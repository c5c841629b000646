"""Reading the practice this portal serves."""

from __future__ import annotations

from sqlmodel import Session, col, select

from portal_app.models import Practice


def the_practice(*, session: Session) -> Practice | None:
    """The practice this installation serves (the first one created)."""
    return session.exec(select(Practice).order_by(col(Practice.id))).first()

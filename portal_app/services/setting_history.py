"""The audit of the practice's setup: every changed value of a setting, service, location or profile."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from portal_app.domain.vocabulary import SettingSubject
from portal_app.models import SettingChange, User

HISTORY_LENGTH = 12
"""How many changes the Settings page shows on each tab."""


def as_text(value: object) -> str:
    """A stored value as the audit keeps it: ``on``/``off``, lengths as ``50, 80``, else ``str``."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def record_changes(
    session: Session,
    *,
    practice_id: int,
    actor_user_id: int,
    subject: SettingSubject,
    subject_id: int,
    subject_name: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    now: datetime,
) -> list[str]:
    """Add one audit row per field whose value differs between ``before`` and ``after``.

    Returns:
        The names of the changed fields (empty: nothing changed, nothing written).
    """
    changed = [name for name in after if as_text(before.get(name, "")) != as_text(after[name])]
    for name in changed:
        session.add(
            SettingChange(
                practice_id=practice_id,
                actor_user_id=actor_user_id,
                subject=subject,
                subject_id=subject_id,
                subject_name=subject_name,
                field=name,
                from_value=as_text(before.get(name, "")),
                to_value=as_text(after[name]),
                at=now,
            )
        )
    return changed


@dataclass(frozen=True)
class HistoryEntry:
    """One audited change, with the name of who made it."""

    at: datetime
    actor: str
    subject: SettingSubject
    subject_name: str
    field: str
    from_value: str
    to_value: str


def recent_changes(
    *,
    session: Session,
    practice_id: int,
    subjects: Collection[SettingSubject],
    subject_id: int | None = None,
    limit: int = HISTORY_LENGTH,
) -> list[HistoryEntry]:
    """The practice's latest changes to ``subjects`` (one row's, with ``subject_id``), newest first."""
    query = (
        select(SettingChange, User.display_name)
        .join(User, col(User.id) == col(SettingChange.actor_user_id), isouter=True)
        .where(SettingChange.practice_id == practice_id, col(SettingChange.subject).in_(list(subjects)))
        .order_by(col(SettingChange.at).desc(), col(SettingChange.id).desc())
        .limit(limit)
    )
    if subject_id is not None:
        query = query.where(SettingChange.subject_id == subject_id)
    return [
        HistoryEntry(
            at=change.at,
            actor=actor or "",
            subject=change.subject,
            subject_name=change.subject_name,
            field=change.field,
            from_value=change.from_value,
            to_value=change.to_value,
        )
        for change, actor in session.exec(query)
    ]

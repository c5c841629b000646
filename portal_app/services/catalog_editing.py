"""The practice's services and locations: listed for staff, added, changed and retired by admins.

Retiring keeps the row (appointments and availability blocks keep pointing at it and keep its
name); a retired service or location is simply no longer offered to clients (see
``booking_catalog`` and the availability queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from sqlalchemy import func
from sqlmodel import Session, col, select

from portal_app.domain.setting_limits import MAX_ADDRESS, MAX_DESCRIPTION
from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.models import Location, Service
from portal_app.services.auth import Viewer
from portal_app.services.setting_history import as_text, record_changes
from portal_app.services.setting_inputs import (
    NOT_ALLOWED,
    NOT_FOUND,
    EditOutcome,
    EditResult,
    FieldProblem,
    Name,
    OnOff,
    Problem,
    ServiceLengths,
    SettingsInput,
    cleaned_text,
    refused_fields,
    validated,
)
from portal_app.services.stored_rows import stored_id


class ServiceInput(SettingsInput):
    """A service as the server accepts it; ``durations_minutes`` is typed as ``"50, 80"``."""

    name: Name
    durations_minutes: ServiceLengths
    description: Annotated[str, cleaned_text(MAX_DESCRIPTION)] = ""
    new_clients_allowed: OnOff = False
    existing_clients_allowed: OnOff = False
    telehealth_allowed: OnOff = False


class LocationInput(SettingsInput):
    """A location as the server accepts it."""

    name: Name
    address: Annotated[str, cleaned_text(MAX_ADDRESS)] = ""


_FORMS: dict[SettingSubject, type[ServiceInput] | type[LocationInput]] = {
    SettingSubject.SERVICE: ServiceInput,
    SettingSubject.LOCATION: LocationInput,
}


def _table(kind: SettingSubject) -> type[Service] | type[Location]:
    return Service if kind == SettingSubject.SERVICE else Location


def _entry(
    session: Session, kind: SettingSubject, entry_id: int, practice_id: int
) -> Service | Location | None:
    row = (
        session.get(Service, entry_id) if kind == SettingSubject.SERVICE else session.get(Location, entry_id)
    )
    return row if row is not None and row.practice_id == practice_id else None


@dataclass(frozen=True)
class CatalogListing:
    """A practice's services and locations, active and retired, in name order."""

    services: list[Service]
    locations: list[Location]


def catalog_listing(*, session: Session, practice_id: int) -> CatalogListing:
    """Every service and location of the practice, for the Settings page."""
    return CatalogListing(
        services=list(
            session.exec(
                select(Service).where(Service.practice_id == practice_id).order_by(col(Service.name))
            )
        ),
        locations=list(
            session.exec(
                select(Location).where(Location.practice_id == practice_id).order_by(col(Location.name))
            )
        ),
    )


def save_catalog_entry(
    *,
    session: Session,
    viewer: Viewer,
    kind: SettingSubject,
    entry_id: int | None,
    values: object,
    now: datetime,
) -> EditResult:
    """Add (``entry_id`` None) or change a service or location of the viewer's practice.

    Admins only; names are unique within the practice (ignoring case), every change audited.

    Returns:
        ``ADDED`` (with the new ``record_id``), ``SAVED`` or ``UNCHANGED``; else a refusal
        (``INVALID`` with the refused fields, ``NOT_ALLOWED``, ``NOT_FOUND``) and nothing changed.
    """
    if viewer.role != Role.ADMIN or viewer.practice_id is None or kind not in _FORMS:
        return NOT_ALLOWED
    table = _table(kind)
    entry, problems = validated(_FORMS[kind], values)
    if entry is None:
        return EditResult(EditOutcome.INVALID, problems=problems)
    after = entry.model_dump()
    if isinstance(entry, ServiceInput):
        after["durations_minutes"] = list(entry.durations_minutes)
    row: Service | Location | None
    if entry_id is None:
        row, before = table(practice_id=viewer.practice_id, **after), {}
    else:
        row = _entry(session, kind, entry_id, viewer.practice_id)
        if row is None:
            return NOT_FOUND
        before = {name: getattr(row, name) for name in after}
        if all(as_text(before[name]) == as_text(value) for name, value in after.items()):
            return EditResult(EditOutcome.UNCHANGED, record_id=entry_id)
    if _name_taken(session, table, practice_id=viewer.practice_id, name=after["name"], but_not=entry_id):
        return refused_fields(name=FieldProblem(Problem.NAME_TAKEN))
    for name, value in after.items():
        setattr(row, name, value)
    session.add(row)
    session.flush()
    record_changes(
        session,
        practice_id=viewer.practice_id,
        actor_user_id=viewer.user_id,
        subject=kind,
        subject_id=stored_id(row),
        subject_name=row.name,
        before=before,
        # A new entry is one change: it was added (its values are on the page).
        after={"added": "yes"} if entry_id is None else after,
        now=now,
    )
    session.commit()
    return EditResult(EditOutcome.ADDED if entry_id is None else EditOutcome.SAVED, record_id=stored_id(row))


def set_catalog_entry_active(
    *,
    session: Session,
    viewer: Viewer,
    kind: SettingSubject,
    entry_id: int,
    active: bool,
    now: datetime,
) -> EditResult:
    """Retire (``active`` False) or restore a service or location of the viewer's practice.

    Returns:
        ``RETIRED``, ``RESTORED`` or ``UNCHANGED``; ``NOT_ALLOWED`` or ``NOT_FOUND`` (nothing changed).
    """
    if viewer.role != Role.ADMIN or viewer.practice_id is None or kind not in _FORMS:
        return NOT_ALLOWED
    row = _entry(session, kind, entry_id, viewer.practice_id)
    if row is None:
        return NOT_FOUND
    if row.active == active:
        return EditResult(EditOutcome.UNCHANGED, record_id=entry_id)
    record_changes(
        session,
        practice_id=viewer.practice_id,
        actor_user_id=viewer.user_id,
        subject=kind,
        subject_id=entry_id,
        subject_name=row.name,
        before={"active": row.active},
        after={"active": active},
        now=now,
    )
    row.active = active
    session.add(row)
    session.commit()
    return EditResult(EditOutcome.RESTORED if active else EditOutcome.RETIRED, record_id=entry_id)


def _name_taken(
    session: Session,
    table: type[Service] | type[Location],
    *,
    practice_id: int,
    name: str,
    but_not: int | None,
) -> bool:
    query = select(col(table.id)).where(
        col(table.practice_id) == practice_id, func.lower(col(table.name)) == name.lower()
    )
    if but_not is not None:
        query = query.where(col(table.id) != but_not)
    return session.exec(query).first() is not None

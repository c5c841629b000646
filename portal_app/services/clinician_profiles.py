"""Clinicians' profiles: a clinician edits their own, an admin anyone's in the practice.

The profile decides how clients meet the clinician online: the name and credentials the wizard
lists, whether they take online requests at all (``self_scheduling``), and their video link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from sqlmodel import Session, col, select

from portal_app.domain.setting_limits import MAX_CREDENTIALS
from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.models import Clinician, Practice
from portal_app.services.auth import Viewer
from portal_app.services.setting_history import record_changes
from portal_app.services.setting_inputs import (
    NOT_ALLOWED,
    NOT_FOUND,
    EditOutcome,
    EditResult,
    HttpsLink,
    Name,
    OnOff,
    SettingsInput,
    cleaned_text,
    validated,
)


class ProfileInput(SettingsInput):
    """A clinician's profile as the server accepts it."""

    display_name: Name
    credentials: Annotated[str, cleaned_text(MAX_CREDENTIALS)] = ""
    self_scheduling: OnOff = False
    video_link: HttpsLink = ""


def editable_profiles(*, session: Session, viewer: Viewer) -> list[Clinician]:
    """The profiles the viewer may edit: their own (a clinician), every one of the practice (an admin)."""
    query = select(Clinician).where(Clinician.practice_id == viewer.practice_id)
    if viewer.role == Role.ADMIN:
        return list(session.exec(query.order_by(col(Clinician.display_name))))
    if viewer.role == Role.CLINICIAN and viewer.clinician_id is not None:
        return list(session.exec(query.where(Clinician.id == viewer.clinician_id)))
    return []


def save_profile(
    *, session: Session, viewer: Viewer, clinician_id: int, values: object, now: datetime
) -> EditResult:
    """Change a clinician's profile, if it is the viewer's own or the viewer is their practice's admin.

    Returns:
        ``SAVED`` or ``UNCHANGED``; else ``NOT_ALLOWED`` (someone else's profile), ``NOT_FOUND``
        (no such clinician in the viewer's practice) or ``INVALID`` with the refused fields, and
        nothing changed.
    """
    clinician = session.get(Clinician, clinician_id)
    if clinician is None or clinician.practice_id != viewer.practice_id:
        return NOT_FOUND
    own = viewer.role == Role.CLINICIAN and viewer.clinician_id == clinician_id
    if not (own or viewer.role == Role.ADMIN):
        return NOT_ALLOWED
    profile, problems = validated(ProfileInput, values)
    if profile is None:
        return EditResult(EditOutcome.INVALID, problems=problems)
    after = profile.model_dump()
    before = {name: getattr(clinician, name) for name in after}
    changed = record_changes(
        session,
        practice_id=clinician.practice_id,
        actor_user_id=viewer.user_id,
        subject=SettingSubject.CLINICIAN,
        subject_id=clinician_id,
        subject_name=profile.display_name,
        before=before,
        after=after,
        now=now,
    )
    if not changed:
        return EditResult(EditOutcome.UNCHANGED, record_id=clinician_id)
    for name in changed:
        setattr(clinician, name, after[name])
    session.add(clinician)
    session.commit()
    return EditResult(EditOutcome.SAVED, record_id=clinician_id)


@dataclass(frozen=True)
class ClosedLink:
    """A direct booking link whose clinician does not take online requests, and whom to call."""

    clinician: str
    practice_phone: str


def closed_booking_link(*, session: Session, practice_id: int, slug: str) -> ClosedLink | None:
    """The explanation for ``/book/<slug>`` when its clinician has self-scheduling off (else None)."""
    row = session.exec(
        select(Clinician.display_name, Practice.phone)
        .join(Practice, col(Practice.id) == col(Clinician.practice_id))
        .where(
            Clinician.slug == slug,
            Clinician.practice_id == practice_id,
            Clinician.self_scheduling == False,  # noqa: E712
        )
    ).first()
    return ClosedLink(clinician=row[0], practice_phone=row[1]) if row else None

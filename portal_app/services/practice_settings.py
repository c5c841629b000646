"""The practice's scheduling rules: read by its staff, changed by its admins, every change audited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from sqlmodel import Session

from portal_app.domain.setting_limits import PRACTICE_RANGES
from portal_app.domain.vocabulary import Role, SettingSubject
from portal_app.models import Practice
from portal_app.services.auth import Viewer
from portal_app.services.setting_history import record_changes
from portal_app.services.setting_inputs import (
    NOT_ALLOWED,
    NOT_FOUND,
    EditOutcome,
    EditResult,
    OnOff,
    PhoneNumber,
    SettingsInput,
    SlotIncrement,
    WholeNumber,
    ZoneName,
    validated,
    within,
)


class PracticeSettingsInput(SettingsInput):
    """The Practice tab's form, as the server accepts it (the names are ``Practice``'s columns)."""

    time_zone: ZoneName
    phone: PhoneNumber = ""
    cancellation_window_hours: Annotated[WholeNumber, within(PRACTICE_RANGES["cancellation_window_hours"])]
    minimum_notice_hours: Annotated[WholeNumber, within(PRACTICE_RANGES["minimum_notice_hours"])]
    booking_horizon_days: Annotated[WholeNumber, within(PRACTICE_RANGES["booking_horizon_days"])]
    slot_increment_minutes: SlotIncrement
    buffer_minutes: Annotated[WholeNumber, within(PRACTICE_RANGES["buffer_minutes"])]
    reminder_hours_before: Annotated[WholeNumber, within(PRACTICE_RANGES["reminder_hours_before"])]
    video_join_minutes_before: Annotated[WholeNumber, within(PRACTICE_RANGES["video_join_minutes_before"])]
    request_expiry_hours: Annotated[WholeNumber, within(PRACTICE_RANGES["request_expiry_hours"])]
    staff_idle_minutes: Annotated[WholeNumber, within(PRACTICE_RANGES["staff_idle_minutes"])]
    online_cancellation: OnOff = False
    new_client_requests: OnOff = False
    telehealth_enabled: OnOff = False
    card_required_for_new_clients: OnOff = False
    staff_two_factor_required: OnOff = False


SETTING_FIELDS = tuple(PracticeSettingsInput.model_fields)
"""The practice's settings, in the order of the form."""


def practice_settings(*, session: Session, practice_id: int) -> Practice | None:
    """The viewer's practice with its settings (None if it is gone)."""
    return session.get(Practice, practice_id)


def update_practice_settings(
    *, session: Session, viewer: Viewer, values: object, now: datetime
) -> EditResult:
    """Change the viewer's practice's settings: admins only, every value checked, each change audited.

    Args:
        session: An open session (committed here when something changed).
        viewer: Who is signed in; only an admin may change the settings of their own practice.
        values: The submitted form, by field name (text as typed; switches ``"on"`` or absent).
        now: The current instant, for the audit.

    Returns:
        ``SAVED`` or ``UNCHANGED``; ``INVALID`` with a problem per refused field, ``NOT_ALLOWED``
        or ``NOT_FOUND``, in which case nothing was changed.
    """
    if viewer.role != Role.ADMIN or viewer.practice_id is None:
        return NOT_ALLOWED
    settings, problems = validated(PracticeSettingsInput, values)
    if settings is None:
        return EditResult(EditOutcome.INVALID, problems=problems)
    practice = session.get(Practice, viewer.practice_id)
    if practice is None or practice.id is None:
        return NOT_FOUND
    after = settings.model_dump()
    before = {name: getattr(practice, name) for name in after}
    changed = record_changes(
        session,
        practice_id=practice.id,
        actor_user_id=viewer.user_id,
        subject=SettingSubject.PRACTICE,
        subject_id=practice.id,
        subject_name=practice.name,
        before=before,
        after=after,
        now=now,
    )
    if not changed:
        return EditResult(EditOutcome.UNCHANGED, record_id=practice.id)
    for name in changed:
        setattr(practice, name, after[name])
    session.add(practice)
    session.commit()
    return EditResult(EditOutcome.SAVED, record_id=practice.id)

"""What the Settings page shows, as typed rows (text as the forms show it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import StringConstraints

from portal_app.domain.time_display import moment_label
from portal_app.models import Clinician, Location, Practice, Service
from portal_app.services.setting_history import HistoryEntry, as_text
from portal_app.state import wording
from portal_app.state.access import Form

# A field the form did not show (the other branch of a condition) is sent as null.
FormText = Annotated[str, StringConstraints(strict=True, max_length=2000)] | None
"""One submitted field, as typed (the service checks what it means)."""


@dataclass(frozen=True)
class PracticeRow:
    """The practice's settings as the Practice tab's form shows them."""

    time_zone: str = ""
    phone: str = ""
    cancellation_window_hours: str = ""
    minimum_notice_hours: str = ""
    booking_horizon_days: str = ""
    slot_increment_minutes: str = ""
    buffer_minutes: str = ""
    reminder_hours_before: str = ""
    video_join_minutes_before: str = ""
    request_expiry_hours: str = ""
    staff_idle_minutes: str = ""
    online_cancellation: bool = False
    new_client_requests: bool = False
    telehealth_enabled: bool = False
    card_required_for_new_clients: bool = False
    staff_two_factor_required: bool = False

    @classmethod
    def of(cls, practice: Practice) -> PracticeRow:
        """The form's values for ``practice``."""
        return cls(
            **{name: str(getattr(practice, name)) for name in cls._TEXT},
            **{name: bool(getattr(practice, name)) for name in cls._FLAGS},
        )

    _TEXT = (
        "time_zone",
        "phone",
        "cancellation_window_hours",
        "minimum_notice_hours",
        "booking_horizon_days",
        "slot_increment_minutes",
        "buffer_minutes",
        "reminder_hours_before",
        "video_join_minutes_before",
        "request_expiry_hours",
        "staff_idle_minutes",
    )
    _FLAGS = (
        "online_cancellation",
        "new_client_requests",
        "telehealth_enabled",
        "card_required_for_new_clients",
        "staff_two_factor_required",
    )


class PracticeForm(Form):
    """The Practice tab's submitted form (switches send "on" when on, nothing when off)."""

    time_zone: FormText = ""
    phone: FormText = ""
    cancellation_window_hours: FormText = ""
    minimum_notice_hours: FormText = ""
    booking_horizon_days: FormText = ""
    slot_increment_minutes: FormText = ""
    buffer_minutes: FormText = ""
    reminder_hours_before: FormText = ""
    video_join_minutes_before: FormText = ""
    request_expiry_hours: FormText = ""
    staff_idle_minutes: FormText = ""
    online_cancellation: FormText = ""
    new_client_requests: FormText = ""
    telehealth_enabled: FormText = ""
    card_required_for_new_clients: FormText = ""
    staff_two_factor_required: FormText = ""


@dataclass(frozen=True)
class EntryRow:
    """A service or a location, as its list and its edit dialog show it."""

    id: int = 0
    name: str = ""
    lengths: str = ""
    description: str = ""
    address: str = ""
    new_clients_allowed: bool = False
    existing_clients_allowed: bool = True
    telehealth_allowed: bool = False
    active: bool = True
    who: str = ""

    @classmethod
    def of_service(cls, service: Service) -> EntryRow:
        """The row for one service."""
        who = [
            label
            for label, allowed in (
                ("New clients", service.new_clients_allowed),
                ("Existing clients", service.existing_clients_allowed),
                ("Telehealth", service.telehealth_allowed),
            )
            if allowed
        ]
        return cls(
            id=service.id or 0,
            name=service.name,
            lengths=", ".join(str(minutes) for minutes in service.durations_minutes),
            description=service.description,
            new_clients_allowed=service.new_clients_allowed,
            existing_clients_allowed=service.existing_clients_allowed,
            telehealth_allowed=service.telehealth_allowed,
            active=service.active,
            who=" · ".join(who) or "Not open to online requests",
        )

    @classmethod
    def of_location(cls, location: Location) -> EntryRow:
        """The row for one location."""
        return cls(id=location.id or 0, name=location.name, address=location.address, active=location.active)


class EntryForm(Form):
    """The service or location dialog's submitted form."""

    name: FormText = ""
    durations_minutes: FormText = ""
    description: FormText = ""
    address: FormText = ""
    new_clients_allowed: FormText = ""
    existing_clients_allowed: FormText = ""
    telehealth_allowed: FormText = ""


@dataclass(frozen=True)
class ProfileRow:
    """A clinician's profile, with their direct booking link."""

    id: int = 0
    display_name: str = ""
    credentials: str = ""
    self_scheduling: bool = True
    video_link: str = ""
    booking_link: str = ""

    @classmethod
    def of(cls, clinician: Clinician, booking_link: str) -> ProfileRow:
        """The row for one clinician; ``booking_link`` is their full direct link."""
        return cls(
            id=clinician.id or 0,
            display_name=clinician.display_name,
            credentials=clinician.credentials,
            self_scheduling=clinician.self_scheduling,
            video_link=clinician.video_link,
            booking_link=booking_link,
        )


class ProfileForm(Form):
    """The profile dialog's submitted form."""

    display_name: FormText = ""
    credentials: FormText = ""
    self_scheduling: FormText = ""
    video_link: FormText = ""


@dataclass(frozen=True)
class SettingLine:
    """One setting in words, for those who may read but not change it."""

    label: str = ""
    value: str = ""

    @classmethod
    def of(cls, practice: Practice, field: str) -> SettingLine:
        """The line for ``field`` of ``practice``."""
        return cls(
            wording.SETTING_LABELS[field], wording.setting_value(field, as_text(getattr(practice, field)))
        )


@dataclass(frozen=True)
class ChangeRow:
    """One line of a tab's history: what changed, from what to what, by whom and when."""

    what: str = ""
    from_value: str = ""
    to_value: str = ""
    by: str = ""

    @classmethod
    def of(cls, entry: HistoryEntry, zone: str, *, name_subject: bool) -> ChangeRow:
        """The line for one audited change, in the viewer's zone."""
        label = wording.SETTING_LABELS.get(entry.field, entry.field)
        what = f"{entry.subject_name}: {label}" if name_subject else label
        if entry.field == "added":
            return cls(what=entry.subject_name, to_value="Added", by=cls._by(entry, zone))
        return cls(
            what=what,
            from_value=wording.setting_value(entry.field, entry.from_value),
            to_value=wording.setting_value(entry.field, entry.to_value),
            by=cls._by(entry, zone),
        )

    @staticmethod
    def _by(entry: HistoryEntry, zone: str) -> str:
        return f"{entry.actor or 'Someone'} · {moment_label(entry.at, zone)}"

"""Reading the practice this portal serves."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from portal_app.models import Practice


def the_practice(*, session: Session) -> Practice | None:
    """The practice this installation serves (the first one created)."""
    return session.exec(select(Practice).order_by(col(Practice.id))).first()


@dataclass(frozen=True)
class PolicyLine:
    """One of the practice's rules in words."""

    label: str
    value: str


def practice_policy(*, session: Session, practice_id: int) -> list[PolicyLine]:
    """The practice's scheduling rules in words, for the Settings page (empty if it is gone)."""
    practice = session.get(Practice, practice_id)
    return policy_summary(practice) if practice else []


def policy_summary(practice: Practice) -> list[PolicyLine]:
    """The practice's scheduling rules in words."""

    def on_off(flag: bool) -> str:
        return "On" if flag else "Off"

    return [
        PolicyLine("Practice time zone", practice.time_zone),
        PolicyLine("Phone", practice.phone or "Not set"),
        PolicyLine("Online cancellation", on_off(practice.online_cancellation)),
        PolicyLine("Cancellation window", f"{practice.cancellation_window_hours} hours before the start"),
        PolicyLine("Telehealth", on_off(practice.telehealth_enabled)),
        PolicyLine(
            "Card required for new clients", "Yes" if practice.card_required_for_new_clients else "No"
        ),
        PolicyLine("Minimum notice", f"{practice.minimum_notice_hours} hours"),
        PolicyLine("Clients may book up to", f"{practice.booking_horizon_days} days ahead"),
        PolicyLine("Slot increment", f"{practice.slot_increment_minutes} minutes"),
        PolicyLine("Buffer between sessions", f"{practice.buffer_minutes} minutes"),
        PolicyLine("Reminder email", f"{practice.reminder_hours_before} hours before"),
    ]

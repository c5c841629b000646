"""Reading the practice this portal serves."""

from __future__ import annotations

from sqlmodel import Session, select

from portal_app.models import Practice


def the_practice(*, session: Session) -> Practice | None:
    """The practice this installation serves (the first one created)."""
    return session.exec(select(Practice).order_by(Practice.id)).first()


def policy_summary(practice: Practice) -> list[dict[str, str]]:
    """The practice's scheduling rules in words, for the Settings page."""

    def on_off(flag: bool) -> str:
        return "On" if flag else "Off"

    return [
        {"label": "Practice time zone", "value": practice.time_zone},
        {"label": "Phone", "value": practice.phone or "Not set"},
        {"label": "Online cancellation", "value": on_off(practice.online_cancellation)},
        {
            "label": "Cancellation window",
            "value": f"{practice.cancellation_window_hours} hours before the start",
        },
        {"label": "Telehealth", "value": on_off(practice.telehealth_enabled)},
        {
            "label": "Card required for new clients",
            "value": "Yes" if practice.card_required_for_new_clients else "No",
        },
        {"label": "Minimum notice", "value": f"{practice.minimum_notice_hours} hours"},
        {"label": "Clients may book up to", "value": f"{practice.booking_horizon_days} days ahead"},
        {"label": "Slot increment", "value": f"{practice.slot_increment_minutes} minutes"},
        {"label": "Buffer between sessions", "value": f"{practice.buffer_minutes} minutes"},
        {"label": "Reminder email", "value": f"{practice.reminder_hours_before} hours before"},
    ]

"""A request's facts as a short list: with whom, what, where, when."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.appointment_card import calendar_file_button
from portal_app.components.confirm_step import confirm_step


def _fact(label: str, value: Var | str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", weight="bold", min_width="90px", color=rx.color("gray", 11)),
        rx.text(value, size="2"),
        spacing="3",
        align="start",
        width="100%",
    )


def request_facts(
    *, clinician: Var | str, service: Var | str, place: Var | str, when: Var | str
) -> rx.Component:
    """The request's clinician, service, place and time (with its zone), one per line."""
    return rx.vstack(
        _fact("With", clinician),
        _fact("Service", service),
        _fact("Where", place),
        _fact("When", when),
        spacing="2",
        width="100%",
    )


def request_actions(
    *, key: str, asking: Var, calendar_url: Var, consequence: str, on_ask, on_keep, on_cancel
) -> rx.Component:
    """Add to calendar and Cancel request; Cancel asks first (what happens, an optional reason)."""
    return rx.cond(
        asking,
        confirm_step(
            key=key,
            question=["Cancel this request?"],
            consequence=consequence,
            message_label="Reason (optional)",
            submit_label="Cancel request",
            on_submit=on_cancel,
            on_keep=on_keep,
        ),
        rx.flex(
            calendar_file_button(calendar_url),
            rx.button("Cancel request", variant="soft", color_scheme="red", on_click=on_ask),
            gap="12px",
            wrap="wrap",
        ),
    )

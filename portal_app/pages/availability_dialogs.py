"""The Availability page's dialogs: confirming a delete or an end, and deciding before saving."""

from __future__ import annotations

import reflex as rx

from portal_app.components.appointment_card import status_badge
from portal_app.components.focus import returns_focus
from portal_app.components.forms import error_callout
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.state.availability import RELEASE
from portal_app.state.availability import AvailabilityState as Page

# Dialogs ---------------------------------------------------------------------------------------


def confirm_dialog() -> rx.Component:
    """Delete a block or an exception, or end a block, after naming it."""
    ending = Page.confirm == "end_block"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.match(
                    Page.confirm,
                    ("end_block", "End weekly hours"),
                    ("delete_exception", "Delete this exception?"),
                    "Delete weekly hours?",
                )
            ),
            rx.alert_dialog.description(Page.confirm_title, size="2", weight="medium"),
            rx.cond(
                ending,
                rx.vstack(
                    rx.el.label(
                        rx.text("Last day", size="2", weight="medium"), html_for="availability-end-day"
                    ),
                    rx.input(
                        id="availability-end-day",
                        type="date",
                        value=Page.end_day,
                        on_change=Page.set_end_day,
                        width="100%",
                    ),
                    rx.text(
                        "No sessions can be booked in these hours after this day.",
                        size="1",
                        color=rx.color("gray", 10),
                    ),
                    rx.cond(
                        Page.end_error != "",
                        rx.text(Page.end_error, size="1", color=rx.color("red", 11), role="alert"),
                    ),
                    spacing="1",
                    padding_top="12px",
                ),
                rx.text(
                    "Clients will no longer be able to request these times.",
                    size="2",
                    color=rx.color("gray", 11),
                    padding_top="8px",
                ),
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    rx.cond(ending, "End", "Delete"),
                    color_scheme=rx.cond(ending, "teal", "red"),
                    on_click=Page.confirm_change,
                ),
                justify="end",
                gap="12px",
                margin_top="16px",
            ),
            max_width="460px",
            **returns_focus(),
        ),
        open=Page.confirm != "",
        on_open_change=Page.set_confirm_open,
    )


def _affected_card(row) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row.client, weight="bold"),
                status_badge(row.status, row.status_label),
                align="center",
                spacing="2",
            ),
            rx.text(row.day, " · ", row.time, " · ", row.service, size="2", color=rx.color("gray", 11)),
            rx.radio_group.root(
                rx.flex(
                    rx.el.label(rx.hstack(rx.radio_group.item(value="keep"), rx.text("Keep"), spacing="2")),
                    rx.el.label(
                        rx.hstack(rx.radio_group.item(value=RELEASE), rx.text(row.release_label), spacing="2")
                    ),
                    gap="16px",
                    wrap="wrap",
                ),
                value=Page.decisions.get(row.key, ""),
                on_change=lambda choice: Page.choose_decision(row.key, choice),
                aria_label="What to do with " + row.client + "'s session on " + row.day,
            ),
            rx.cond(
                Page.decisions.get(row.key, "") == RELEASE,
                rx.text_area(
                    placeholder="Message to the client (optional)",
                    aria_label="Message to " + row.client + " (optional)",
                    on_blur=lambda text: Page.set_decision_message(row.key, text),
                    max_length=MAX_MESSAGE_LENGTH,
                    rows="2",
                    width="100%",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        role="group",
        aria_label=row.client + ", " + row.day + ", " + row.status_label,
    )


def decisions_dialog() -> rx.Component:
    """The sessions a change would strand, each kept or released, before anything is saved."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Before saving"),
            rx.dialog.description(
                "These sessions would be outside the new availability. Keep each one, or decline or "
                "cancel it with a message — the client is told by email. Nothing is saved until you "
                "press Save changes.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.vstack(
                rx.foreach(Page.affected, _affected_card),
                error_callout(Page.decide_error),
                spacing="3",
                width="100%",
                padding_top="12px",
                max_height="60vh",
                overflow_y="auto",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Don't save", variant="soft", color_scheme="gray")),
                rx.button("Save changes", on_click=Page.save_with_decisions),
                justify="end",
                gap="12px",
                margin_top="16px",
            ),
            max_width="560px",
            **returns_focus(),
        ),
        open=Page.deciding,
        on_open_change=Page.set_deciding,
    )

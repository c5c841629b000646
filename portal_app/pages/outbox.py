"""The practice admin's email outbox page."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.appointment_card import empty_state
from portal_app.components.focus import returns_focus
from portal_app.components.forms import info_callout
from portal_app.pages.template import portal_page
from portal_app.state.outbox import OutboxState as State

STATUS_COLORS = {"pending": "amber", "sent": "green", "failed": "red", "not_sent": "gray"}
COLUMNS = ("When", "To", "Subject", "Status", "Attempts", "Last error", "Actions")


def _status_badge(status: Var, label: Var) -> rx.Component:
    return rx.badge(
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        variant="soft",
        radius="full",
    )


def _message_row(row: Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.when, size="2", white_space="nowrap")),
        rx.table.cell(rx.text(row.recipient, size="2")),
        rx.table.row_header_cell(rx.text(row.subject, size="2", weight="medium")),
        rx.table.cell(_status_badge(row.status, row.status_label)),
        rx.table.cell(row.attempts),
        rx.table.cell(rx.text(row.last_error, size="1", color=rx.color("red", 11))),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    "Read",
                    variant="soft",
                    size="1",
                    on_click=State.open_message(row.id),
                    aria_label="Read " + row.subject + " to " + row.recipient,
                ),
                rx.cond(
                    row.can_retry,
                    rx.button(
                        "Retry",
                        size="1",
                        on_click=State.retry(row.id),
                        aria_label="Retry " + row.subject + " to " + row.recipient,
                    ),
                ),
                spacing="2",
            )
        ),
    )


def _message_dialog() -> rx.Component:
    message = State.reading
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(State.reading_error != "", "Message", message.subject)),
            rx.cond(
                State.reading_error != "",
                rx.callout(State.reading_error, icon="circle-alert", color_scheme="red", role="alert"),
                rx.vstack(
                    rx.hstack(
                        _status_badge(message.status, message.status_label),
                        rx.text("To ", message.recipient, " · ", message.when, size="2"),
                        align="center",
                        spacing="3",
                        wrap="wrap",
                    ),
                    rx.cond(
                        message.attachment != "",
                        rx.text("Attachment: ", message.attachment, size="2", color=rx.color("gray", 11)),
                    ),
                    rx.card(
                        rx.text(message.body, size="2", white_space="pre-wrap"),
                        variant="surface",
                        width="100%",
                    ),
                    spacing="3",
                ),
            ),
            rx.flex(
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                justify="end",
                margin_top="16px",
            ),
            max_width="640px",
            **returns_focus(),
        ),
        open=State.reading_open,
        on_open_change=State.set_reading_open,
    )


@portal_page(route=routes.OUTBOX, title="Email outbox", on_load=[State.load])
def outbox_page() -> rx.Component:
    """Every email of the practice, newest first, with failures and a way to retry them."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            _message_dialog(),
            rx.text(
                "Emails the portal wrote, newest first. While no mail server is configured they wait as "
                '"Pending" and go out once one is; failed emails can be retried once the problem is fixed.',
                size="2",
                color=rx.color("gray", 11),
            ),
            info_callout(State.notice),
            rx.cond(
                State.messages.length() > 0,
                rx.card(
                    rx.table.root(
                        rx.table.header(
                            rx.table.row(*[rx.table.column_header_cell(name) for name in COLUMNS])
                        ),
                        rx.table.body(rx.foreach(State.messages, _message_row)),
                        variant="ghost",
                        width="100%",
                    ),
                    width="100%",
                    overflow_x="auto",
                ),
                empty_state(
                    "mail", "No emails yet", "Emails about appointment requests and changes appear here."
                ),
            ),
            spacing="4",
            width="100%",
        ),
        rx.vstack(*[rx.skeleton(height="48px", width="100%") for _ in range(4)], width="100%"),
    )

"""The "are you sure?" step inside a dialog, before a change someone else will be told about."""

from __future__ import annotations

import reflex as rx

from portal_app.domain.limits import MAX_MESSAGE_LENGTH


def confirm_step(
    *,
    key: str,
    question: list,
    consequence: str,
    message_label: str,
    submit_label: str,
    on_submit,
    on_keep,
) -> rx.Component:
    """A form that names what will change, takes an optional message, and confirms or keeps it.

    Args:
        key: A word unique on the page, for the ids that tie the form to its heading.
        question: The heading's parts (text and vars), e.g. ``["Cancel ", row.service, "?"]``.
        consequence: What will happen, in one sentence.
        message_label: The label of the optional message field.
        submit_label: The confirming button's words.
        on_submit: The event the form's data is sent to (a function of the form data).
        on_keep: The event that leaves the step without changing anything.
    """
    heading_id, field_id = f"confirm-{key}-heading", f"confirm-{key}-message"
    return rx.form(
        rx.vstack(
            rx.heading(*question, size="3", as_="h3", id=heading_id),
            rx.text(consequence, size="2", color=rx.color("gray", 11)),
            rx.el.label(message_label, html_for=field_id, style={"font_weight": "500", "font_size": "14px"}),
            # Focus goes to the message: the step is announced by its label, and Escape still closes.
            rx.text_area(
                id=field_id, name="message", max_length=MAX_MESSAGE_LENGTH, auto_focus=True, width="100%"
            ),
            rx.hstack(
                rx.button("Keep it", type="button", variant="soft", color_scheme="gray", on_click=on_keep),
                rx.button(submit_label, type="submit", color_scheme="red"),
                justify="end",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        aria_labelledby=heading_id,
        width="100%",
    )

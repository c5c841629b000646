"""Form pieces with visible labels and accessible errors."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def labeled_input(label: str, *, name: str, input_type: str = "text", **props) -> rx.Component:
    """A text field with its label tied to it (so it has an accessible name)."""
    return rx.vstack(
        rx.el.label(
            rx.text(label, size="2", weight="medium"),
            html_for=name,
        ),
        rx.input(id=name, name=name, type=input_type, size="3", width="100%", **props),
        spacing="1",
        width="100%",
    )


def live_region(shown: rx.Component, *, urgent: bool = False) -> rx.Component:
    """A live region on the page from the start, around what appears in it.

    Screen readers announce what is added to a live region that already exists; one inserted
    together with its message is often not announced at all.
    """
    return rx.box(shown, aria_live="assertive" if urgent else "polite", width="100%")


def error_callout(message: Var) -> rx.Component:
    """A red notice announced to screen readers, shown only when ``message`` is set."""
    return live_region(
        rx.cond(
            message != "",
            rx.callout(message, icon="circle-alert", color_scheme="red", role="alert", width="100%"),
        ),
        urgent=True,
    )


def info_callout(message: Var) -> rx.Component:
    """A neutral notice, shown only when ``message`` is set."""
    return live_region(
        rx.cond(
            message != "",
            rx.callout(message, icon="info", color_scheme="blue", role="status", width="100%"),
        )
    )


def checked_input(
    label: str,
    *,
    name: str,
    error: Var,
    hint: str = "",
    input_type: str = "text",
    field_id: str = "",
    **props,
) -> rx.Component:
    """A labelled field with an optional hint and the server's message about it right beneath.

    The hint and the message are tied to the field (``aria-describedby``), and the field is
    marked invalid while there is a message, so screen readers read both with it. ``field_id``
    tells apart fields of one ``name`` in two forms on a page.
    """
    field_id = field_id or name
    hint_id, error_id = f"{field_id}-hint", f"{field_id}-error"
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.input(
            id=field_id,
            name=name,
            type=input_type,
            size="3",
            width="100%",
            aria_describedby=f"{hint_id} {error_id}" if hint else error_id,
            aria_invalid=rx.cond(error != "", "true", "false"),
            **props,
        ),
        *([rx.text(hint, id=hint_id, size="1", color=rx.color("gray", 11))] if hint else []),
        rx.text(error, id=error_id, size="2", color=rx.color("red", 11), role="alert"),
        spacing="1",
        width="100%",
    )


def choice_field(label: str, control: rx.Component) -> rx.Component:
    """A choice (a select, radio buttons) under its bold label, sharing a row with others."""
    return rx.vstack(
        rx.text(label, size="2", weight="bold"), control, spacing="1", min_width="200px", flex="1"
    )


def labeled_select(label: str, options: Var, value: Var, on_change, placeholder: str) -> rx.Component:
    """A select of ``options`` (``Option`` rows: value and label), named by ``label``."""
    return choice_field(
        label,
        rx.select.root(
            rx.select.trigger(placeholder=placeholder, aria_label=label, width="100%"),
            rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
            value=value,
            on_change=on_change,
            size="3",
        ),
    )

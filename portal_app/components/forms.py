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


def error_callout(message: Var) -> rx.Component:
    """A red notice announced to screen readers, shown only when ``message`` is set."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="circle-alert", color_scheme="red", role="alert", width="100%"),
    )


def info_callout(message: Var) -> rx.Component:
    """A neutral notice, shown only when ``message`` is set."""
    return rx.cond(
        message != "",
        rx.callout(message, icon="info", color_scheme="blue", role="status", width="100%"),
    )

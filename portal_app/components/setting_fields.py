"""Fields of the Settings forms: a visible label, a hint, and the server's message beside each.

The forms are uncontrolled (one event on submit); each field shows ``default`` until the page
re-keys its form with saved values. A refused field is marked ``aria-invalid`` and described by
its message, which a screen reader announces.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import live_region


def field_error(errors: Var, name: str) -> rx.Component:
    """The server's message for field ``name``, when it refused it."""
    return rx.cond(
        errors.contains(name),
        rx.text(
            rx.icon("circle-alert", size=14, display="inline", vertical_align="-2px", margin_right="4px"),
            errors[name].to(str),
            id=f"{name}-error",
            size="2",
            color=rx.color("red", 11),
            role="alert",
        ),
    )


def _label(label: str, name: str) -> rx.Component:
    return rx.el.label(rx.text(label, size="2", weight="medium"), html_for=name)


def _hint(name: str, hint: str) -> rx.Component:
    return rx.text(hint, size="1", color=rx.color("gray", 11), id=f"{name}-hint") if hint else rx.fragment()


def text_field(
    label: str,
    name: str,
    default: Var | str,
    errors: Var,
    *,
    hint: str = "",
    unit: str = "",
    numeric: bool = False,
    placeholder: str = "",
    width: str = "100%",
) -> rx.Component:
    """A labelled text box; ``numeric`` asks phones for the number pad (the server still checks)."""
    described = f"{name}-error {name}-hint" if hint else f"{name}-error"
    box = rx.input(
        id=name,
        name=name,
        default_value=default,
        placeholder=placeholder,
        input_mode="numeric" if numeric else "text",
        aria_invalid=rx.cond(errors.contains(name), "true", "false"),
        aria_describedby=described,
        size="3",
        width=width,
    )
    return rx.vstack(
        _label(label, name),
        rx.hstack(box, rx.text(unit, size="2", color=rx.color("gray", 11)), align="center", spacing="2")
        if unit
        else box,
        _hint(name, hint),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def choice_field(
    label: str, name: str, default: Var | str, errors: Var, choices: list[str], *, hint: str = ""
) -> rx.Component:
    """A labelled native drop-down of ``choices`` (long lists: the browser's own picker and
    type-to-find work on every phone and with every screen reader)."""
    described = f"{name}-error {name}-hint" if hint else f"{name}-error"
    return rx.vstack(
        _label(label, name),
        rx.el.select(
            *[rx.el.option(choice, value=choice) for choice in choices],
            id=name,
            name=name,
            default_value=default,
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            aria_describedby=described,
            class_name="native-select",
        ),
        _hint(name, hint),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def area_field(label: str, name: str, default: Var | str, errors: Var, *, hint: str = "") -> rx.Component:
    """A labelled multi-line text box."""
    return rx.vstack(
        _label(label, name),
        rx.text_area(
            id=name,
            name=name,
            default_value=default,
            rows="3",
            aria_invalid=rx.cond(errors.contains(name), "true", "false"),
            aria_describedby=f"{name}-error",
            width="100%",
        ),
        _hint(name, hint),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def switch_field(label: str, name: str, checked: Var | bool, errors: Var, *, hint: str = "") -> rx.Component:
    """An on/off switch named by its label (a submitted form carries "on" when it is on)."""
    return rx.vstack(
        rx.text(
            rx.hstack(
                rx.switch(
                    name=name,
                    default_checked=checked,
                    aria_describedby=f"{name}-error {name}-hint" if hint else f"{name}-error",
                ),
                rx.text(label, size="2", weight="medium"),
                align="center",
                spacing="2",
            ),
            as_="label",
        ),
        _hint(name, hint),
        field_error(errors, name),
        spacing="1",
        width="100%",
    )


def notice(message: Var, ok: Var) -> rx.Component:
    """What the last save did: green when it was made, red when it was refused."""
    return live_region(
        rx.cond(
            message != "",
            rx.cond(
                ok,
                rx.callout(message, icon="circle-check", color_scheme="green", role="status", width="100%"),
                rx.callout(message, icon="circle-alert", color_scheme="red", role="alert", width="100%"),
            ),
        )
    )


def history_card(title: str, rows: Var) -> rx.Component:
    """The recent changes of one tab: what, from → to, who and when."""

    def line(row: Var) -> rx.Component:
        return rx.box(
            rx.text(row.what, size="2", weight="medium"),
            rx.text(
                rx.cond(row.from_value != "", row.from_value + " → " + row.to_value, row.to_value),
                size="2",
            ),
            rx.text(row.by, size="1", color=rx.color("gray", 11)),
            padding_y="8px",
            border_bottom=f"1px solid {rx.color('gray', 4)}",
            width="100%",
        )

    return rx.card(
        rx.vstack(
            rx.heading(title, size="3", as_="h2"),
            rx.cond(
                rows.length() > 0,
                rx.vstack(rx.foreach(rows, line), spacing="0", width="100%"),
                rx.text("No changes yet.", size="2", color=rx.color("gray", 11)),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )

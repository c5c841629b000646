"""The frame of the pages people use before they are signed in (sign in, forgot and set password)."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.shell import brand


def signed_out_page(practice_name: Var, card: rx.Component, *after: rx.Component) -> rx.Component:
    """The practice's mark, one card, and anything ``after`` it, centred on a soft background.

    All of it is the page's ``main`` landmark (these pages have no header or navigation).
    """
    return rx.el.main(
        rx.center(
            rx.vstack(
                brand(practice_name),
                rx.card(card, size="4", width="100%"),
                *after,
                spacing="5",
                align="center",
                width="100%",
                max_width="440px",
            ),
            min_height="100vh",
            padding="20px",
            background=f"linear-gradient(160deg, {rx.color('teal', 2)}, {rx.color('gray', 2)})",
        )
    )


def posted_form(*fields: rx.Component, submit_label: str, loading: Var, on_submit) -> rx.Component:
    """A form of ``fields`` and one wide submit button.

    The button is enabled only once the page is connected: a submit before that would be the
    browser's own. And the method is POST, so even a submit the page did not handle keeps what
    was typed (a password) out of the address.
    """
    return rx.form(
        rx.vstack(
            *fields,
            rx.button(
                submit_label,
                type="submit",
                size="3",
                width="100%",
                loading=loading,
                disabled=~rx.State.is_hydrated,
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=on_submit,
        method="post",
        width="100%",
    )


def link_button(
    label: str, icon: str, href: Var | str, *, size: str = "4", variant: str = "solid"
) -> rx.Component:
    """A link that looks like a button: one element, so one stop of the Tab key."""
    return rx.button(rx.el.a(rx.icon(icon), label, href=href), as_child=True, size=size, variant=variant)


def ways_in(
    *,
    new_clients_welcome: Var,
    new_client_href: Var | str,
    sign_in_href: Var | str,
    size: str,
    justify: str = "start",
) -> rx.Component:
    """The two ways in: "I'm a New Client" (when the practice takes new clients online) and
    "I'm an Existing Client".

    Each is one link, drawn as a button: it goes to another page.
    """
    return rx.flex(
        rx.cond(
            new_clients_welcome, link_button("I'm a New Client", "user-plus", new_client_href, size=size)
        ),
        link_button("I'm an Existing Client", "log-in", sign_in_href, size=size, variant="outline"),
        gap="12px",
        wrap="wrap",
        justify=justify,
    )

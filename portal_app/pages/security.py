"""Sign-in security: each person turns two-factor sign-in on or off for themselves."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_callout, info_callout
from portal_app.components.two_factor import MUTED, app_setup, code_field, recovery_code_list
from portal_app.pages.template import portal_page
from portal_app.state.security import SecurityState as State


def _code_form(
    label: str, submit_label: str, on_submit, *, color_scheme: str = "teal", digits_only: bool = False
) -> rx.Component:
    return rx.form(
        rx.vstack(
            code_field(label, digits_only=digits_only),
            rx.hstack(
                rx.button(
                    "Cancel", type="button", variant="soft", color_scheme="gray", on_click=State.cancel
                ),
                rx.button(submit_label, type="submit", loading=State.working, color_scheme=color_scheme),
                spacing="3",
                justify="end",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=on_submit,
        reset_on_submit=True,
        width="100%",
    )


def _status() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon(rx.cond(State.enabled, "shield-check", "shield"), size=22),
            rx.heading("Two-factor sign-in", size="4", as_="h2"),
            rx.badge(
                rx.cond(State.enabled, "On", "Off"), color_scheme=rx.cond(State.enabled, "green", "gray")
            ),
            align="center",
            spacing="2",
        ),
        rx.text(
            "With two-factor sign-in, your password alone is not enough: each sign-in also asks "
            "for a code from an authenticator app on your phone.",
            size="2",
            color=MUTED,
        ),
        rx.cond(
            State.enabled,
            rx.text("Recovery codes left: ", rx.text.strong(State.recovery_codes_left), size="2"),
        ),
        rx.cond(
            State.required,
            rx.text("Your practice requires two-factor sign-in for staff.", size="2", color=MUTED),
        ),
        spacing="3",
        width="100%",
    )


def _actions() -> rx.Component:
    return rx.cond(
        State.qr_image != "",
        rx.vstack(
            app_setup(State.qr_image, State.secret_text),
            _code_form("6-digit code", "Turn on", State.confirm, digits_only=True),
            spacing="4",
            width="100%",
        ),
        rx.cond(
            State.turning_off,
            rx.vstack(
                rx.text("To turn it off, type a code from your app or a recovery code.", size="2"),
                _code_form("Code", "Turn off two-factor", State.turn_off, color_scheme="red"),
                spacing="3",
                width="100%",
            ),
            rx.cond(
                State.enabled,
                rx.cond(
                    State.required,
                    rx.fragment(),
                    rx.button(
                        "Turn off two-factor", variant="soft", color_scheme="red", on_click=State.ask_turn_off
                    ),
                ),
                rx.button("Turn on two-factor", on_click=State.start),
            ),
        ),
    )


@portal_page(route=routes.SECURITY, title="Sign-in security", on_load=[State.load])
def security_page() -> rx.Component:
    """Two-factor on or off, setting an app up, and the recovery codes shown once."""
    return rx.card(
        rx.cond(
            State.loaded,
            rx.vstack(
                _status(),
                info_callout(State.notice),
                error_callout(State.error),
                rx.cond(
                    State.recovery_codes.length() > 0,
                    rx.vstack(
                        recovery_code_list(State.recovery_codes),
                        rx.button("I have saved my recovery codes", on_click=State.saved_codes),
                        spacing="3",
                        width="100%",
                    ),
                    _actions(),
                ),
                spacing="4",
                width="100%",
                max_width="560px",
            ),
            rx.center(rx.spinner(size="3"), aria_label="Loading", padding_y="48px"),
        ),
        size="3",
        width="100%",
    )

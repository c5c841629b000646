"""The second step of signing in: the authenticator app's code, or setting an app up."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_callout
from portal_app.components.signed_out import posted_form, signed_out_page
from portal_app.components.two_factor import MUTED, app_setup, code_field, recovery_code_list
from portal_app.pages.template import APP_TITLE
from portal_app.state.sign_in_code import SignInCodeState as State


def _code_form() -> rx.Component:
    return posted_form(
        error_callout(State.error),
        rx.cond(
            State.use_recovery_code,
            code_field("Recovery code"),
            code_field("6-digit code", digits_only=True),
        ),
        submit_label="Verify",
        loading=State.submitting,
        on_submit=State.submit,
    )


def _enter_code() -> rx.Component:
    return rx.vstack(
        rx.heading("Enter your sign-in code", size="6", as_="h1"),
        rx.cond(
            State.use_recovery_code,
            rx.text("Type one of the recovery codes you saved. Each works once.", size="2", color=MUTED),
            rx.text("Open your authenticator app and type the 6-digit code it shows.", size="2", color=MUTED),
        ),
        _code_form(),
        rx.cond(
            State.use_recovery_code,
            rx.link(
                "Use the code from my app", href="#", size="2", on_click=State.set_use_recovery_code(False)
            ),
            rx.link(
                "Lost your phone? Use a recovery code",
                href="#",
                size="2",
                on_click=State.set_use_recovery_code(True),
            ),
        ),
        spacing="4",
        width="100%",
    )


def _set_up_app() -> rx.Component:
    return rx.vstack(
        rx.heading("Set up two-factor sign-in", size="6", as_="h1"),
        rx.text(
            "Your practice asks staff to confirm each sign-in with a code from an app on their "
            "phone. It takes a minute, once.",
            size="2",
            color=MUTED,
        ),
        app_setup(State.qr_image, State.secret_text),
        _code_form(),
        spacing="4",
        width="100%",
    )


def _saved_codes() -> rx.Component:
    return rx.vstack(
        rx.heading("Two-factor sign-in is on", size="6", as_="h1"),
        recovery_code_list(State.recovery_codes),
        rx.button("I have saved my recovery codes", size="3", width="100%", on_click=State.finish),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.SIGN_IN_CODE, title=f"Sign-in code · {APP_TITLE}", on_load=State.load)
def sign_in_code_page() -> rx.Component:
    """The code, the app to set up, or the recovery codes to keep; and a way back."""
    return signed_out_page(
        State.practice_name,
        rx.cond(
            State.loaded,
            rx.vstack(
                rx.cond(
                    State.recovery_codes.length() > 0,
                    _saved_codes(),
                    rx.cond(State.enrolling, _set_up_app(), _enter_code()),
                ),
                rx.cond(
                    State.recovery_codes.length() == 0,
                    rx.link("Sign in as someone else", href="#", size="2", on_click=State.start_over),
                ),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), aria_label="Loading", padding_y="48px"),
        ),
    )

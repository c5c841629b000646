"""The sign-in page."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import error_callout, info_callout, labeled_input
from portal_app.components.signed_out import posted_form, signed_out_page
from portal_app.pages.template import APP_TITLE
from portal_app.state.login import LoginState


def _demo_logins() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("key-round", size=16), rx.text("Demo logins", weight="bold", size="2")),
            rx.foreach(
                LoginState.demo_logins, lambda login: rx.text(login, size="1", color=rx.color("gray", 11))
            ),
            spacing="1",
        ),
        variant="surface",
        width="100%",
    )


def _form() -> rx.Component:
    return posted_form(
        info_callout(LoginState.notice),
        error_callout(LoginState.error),
        labeled_input(
            "Email",
            name="email",
            input_type="email",
            auto_complete="username",
            required=True,
            auto_focus=True,
        ),
        labeled_input(
            "Password",
            name="password",
            input_type="password",
            auto_complete="current-password",
            required=True,
        ),
        rx.flex(
            rx.link("Forgot password?", href=routes.FORGOT_PASSWORD, size="2"),
            justify="end",
            width="100%",
        ),
        submit_label="Sign in",
        loading=LoginState.submitting,
        on_submit=LoginState.submit,
    )


@rx.page(route=routes.LOGIN, title=f"Sign in · {APP_TITLE}", on_load=LoginState.load)
def login_page() -> rx.Component:
    """Email and password, with the practice's phone for anyone who is stuck."""
    return signed_out_page(
        LoginState.practice_name,
        rx.vstack(
            rx.heading("Sign in to your portal", size="6", as_="h1"),
            rx.text(
                "Manage appointments, join telehealth sessions and more.",
                color=rx.color("gray", 11),
                size="2",
            ),
            _form(),
            rx.cond(
                LoginState.practice_phone != "",
                rx.text(
                    "Trouble signing in? Call us at ",
                    rx.text.strong(LoginState.practice_phone),
                    ".",
                    size="2",
                    color=rx.color("gray", 11),
                ),
            ),
            spacing="4",
            width="100%",
        ),
        rx.cond(LoginState.demo_logins.length() > 0, _demo_logins()),
    )

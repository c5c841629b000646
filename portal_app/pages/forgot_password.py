"""The "Forgot password?" page: one email field, one answer for every email."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import checked_input
from portal_app.components.shell import brand
from portal_app.pages.template import APP_TITLE
from portal_app.state.forgot_password import ForgotPasswordState as State


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            checked_input(
                "Email",
                name="email",
                input_type="email",
                error=State.error,
                auto_complete="username",
                required=True,
                auto_focus=True,
            ),
            rx.button(
                "Send reset link",
                type="submit",
                size="3",
                width="100%",
                loading=State.sending,
                disabled=~rx.State.is_hydrated,
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=State.submit,
        method="post",
        width="100%",
    )


@rx.page(route=routes.FORGOT_PASSWORD, title=f"Forgot password · {APP_TITLE}", on_load=State.load)
def forgot_password_page() -> rx.Component:
    """Ask for a link to choose a new password."""
    return rx.center(
        rx.vstack(
            brand(State.practice_name),
            rx.card(
                rx.vstack(
                    rx.heading("Forgot your password?", size="6", as_="h1"),
                    rx.cond(
                        State.answer != "",
                        rx.callout(
                            State.answer, icon="mail-check", color_scheme="green", role="status", width="100%"
                        ),
                        rx.vstack(
                            rx.text(
                                "Enter the email you sign in with, and we will send you a link "
                                "to choose a new password.",
                                color=rx.color("gray", 11),
                                size="2",
                            ),
                            _form(),
                            spacing="4",
                            width="100%",
                        ),
                    ),
                    rx.link("Back to sign in", href=routes.LOGIN, size="2"),
                    spacing="4",
                    width="100%",
                ),
                size="4",
                width="100%",
            ),
            spacing="5",
            align="center",
            width="100%",
            max_width="420px",
        ),
        min_height="100vh",
        padding="20px",
        background=f"linear-gradient(160deg, {rx.color('teal', 2)}, {rx.color('gray', 2)})",
    )

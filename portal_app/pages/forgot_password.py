"""The "Forgot password?" page: one email field, one answer for every email."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import checked_input, live_region
from portal_app.components.signed_out import posted_form, signed_out_page
from portal_app.pages.template import APP_TITLE
from portal_app.state.forgot_password import ForgotPasswordState as State


def _form() -> rx.Component:
    return posted_form(
        checked_input(
            "Email",
            name="email",
            input_type="email",
            error=State.error,
            auto_complete="username",
            required=True,
            auto_focus=True,
        ),
        submit_label="Send reset link",
        loading=State.sending,
        on_submit=State.submit,
    )


@rx.page(route=routes.FORGOT_PASSWORD, title=f"Forgot password · {APP_TITLE}", on_load=State.load)
def forgot_password_page() -> rx.Component:
    """Ask for a link to choose a new password."""
    return signed_out_page(
        State.practice_name,
        rx.vstack(
            rx.heading("Forgot your password?", size="6", as_="h1"),
            # The answer appears in a live region that was there before it (and is announced).
            live_region(
                rx.cond(
                    State.answer != "",
                    rx.callout(
                        State.answer, icon="mail-check", color_scheme="green", role="status", width="100%"
                    ),
                )
            ),
            rx.cond(
                State.answer == "",
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
    )

"""The set-password page: where an invitation's or a password reset's link lands."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import checked_input, error_callout
from portal_app.components.signed_out import posted_form, signed_out_page
from portal_app.pages.template import APP_TITLE
from portal_app.state import wording
from portal_app.state.set_password import SetPasswordState as State


def _whose_account() -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.avatar(fallback=State.account_name.to(str)[0:1], size="3", radius="full", color_scheme="teal"),
            rx.vstack(
                rx.text(State.account_name, weight="bold", data_testid="account-name"),
                rx.text(State.account_email, size="2", color=rx.color("gray", 11)),
                rx.text(State.account_practice, size="2", color=rx.color("gray", 11)),
                spacing="0",
            ),
            align="center",
            spacing="3",
        ),
        variant="surface",
        width="100%",
        aria_label="Your account",
    )


def _form() -> rx.Component:
    return posted_form(
        # For password managers: which account the new password belongs to.
        rx.el.input(
            type="email",
            name="username",
            value=State.account_email,
            auto_complete="username",
            read_only=True,
            hidden=True,
        ),
        checked_input(
            "New password",
            name="password",
            input_type="password",
            error=State.password_error,
            hint=wording.PASSWORD_RULE,
            auto_complete="new-password",
            required=True,
            auto_focus=True,
        ),
        checked_input(
            "Confirm password",
            name="confirm",
            input_type="password",
            error=State.confirm_error,
            auto_complete="new-password",
            required=True,
        ),
        error_callout(State.form_error),
        submit_label="Set password",
        loading=State.saving,
        on_submit=State.submit,
    )


def _link_problem() -> rx.Component:
    return rx.vstack(
        rx.callout(State.link_error, icon="link-2-off", color_scheme="amber", role="alert", width="100%"),
        rx.cond(
            State.practice_phone != "",
            rx.text(
                "You can also call us at ",
                rx.text.strong(State.practice_phone),
                ".",
                size="2",
                color=rx.color("gray", 11),
            ),
        ),
        rx.button(
            rx.link("Go to sign in", href=routes.LOGIN, underline="none"),
            as_child=True,
            variant="soft",
            size="3",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.SET_PASSWORD, title=f"Set your password · {APP_TITLE}", on_load=State.load)
def set_password_page() -> rx.Component:
    """Whose account the link is for, and the new password typed twice."""
    return signed_out_page(
        State.practice_name,
        rx.cond(
            State.loaded,
            rx.vstack(
                rx.heading(
                    rx.cond(State.is_reset, "Choose a new password", "Set your password"),
                    size="6",
                    as_="h1",
                ),
                rx.cond(
                    State.link_error != "",
                    _link_problem(),
                    rx.vstack(
                        rx.text(
                            rx.cond(
                                State.is_reset,
                                "Choose a new password for your portal account.",
                                "Welcome! Choose a password to finish setting up your account.",
                            ),
                            color=rx.color("gray", 11),
                            size="2",
                        ),
                        _whose_account(),
                        _form(),
                        spacing="4",
                        width="100%",
                    ),
                ),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(size="3"), aria_label="Loading", padding_y="48px"),
        ),
    )

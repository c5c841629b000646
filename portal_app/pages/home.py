"""The practice's portal front page."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.shell import brand
from portal_app.components.signed_out import ways_in
from portal_app.pages.template import APP_TITLE
from portal_app.state.home import HomeState


@rx.page(route=routes.HOME, title=APP_TITLE, on_load=HomeState.load)
def home_page() -> rx.Component:
    """Welcome, and the ways in: for new clients (when the practice takes them online) and existing ones."""
    return rx.el.main(
        rx.center(
            rx.vstack(
                brand(HomeState.practice_name),
                rx.heading("Welcome to your client portal", size="8", align="center", as_="h1"),
                rx.text(
                    "Request appointments, see their status, and join telehealth sessions"
                    " — all in one place.",
                    size="4",
                    color=rx.color("gray", 11),
                    align="center",
                ),
                ways_in(
                    new_clients_welcome=HomeState.new_clients_welcome,
                    new_client_href=routes.NEW_CLIENT,
                    sign_in_href=routes.LOGIN,
                    size="4",
                    justify="center",
                ),
                rx.cond(
                    ~HomeState.new_clients_welcome & (HomeState.practice_phone != ""),
                    rx.text(
                        "New to the practice? Call us at ",
                        rx.text.strong(HomeState.practice_phone),
                        ".",
                        color=rx.color("gray", 11),
                    ),
                ),
                spacing="5",
                align="center",
                max_width="640px",
            ),
            min_height="100vh",
            padding="24px",
            background=f"linear-gradient(160deg, {rx.color('teal', 3)}, {rx.color('gray', 2)})",
        )
    )

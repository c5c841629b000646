"""A clinician's direct booking link: ``/book/<clinician-slug>``."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.shell import brand
from portal_app.components.signed_out import ways_in
from portal_app.state.direct_booking import DirectBookingState as State


def _closed() -> rx.Component:
    return rx.card(
        rx.vstack(
            brand(State.practice_name),
            rx.heading(State.closed_title, size="5", as_="h1"),
            rx.text(State.closed_detail, size="3", color=rx.color("gray", 11)),
            rx.button("View My Appointments", size="3", on_click=rx.redirect(routes.APPOINTMENTS)),
            spacing="4",
            align="start",
        ),
        max_width="480px",
        width="100%",
        padding="24px",
    )


def _ways_in() -> rx.Component:
    return rx.card(
        rx.vstack(
            brand(State.practice_name),
            rx.heading("Request an appointment", size="6", as_="h1"),
            rx.text(
                "Are you new to the practice, or already a client?", size="3", color=rx.color("gray", 11)
            ),
            ways_in(
                new_clients_welcome=State.new_clients_welcome,
                new_client_href=State.new_client_url,
                sign_in_href=State.sign_in_url,
                size="3",
            ),
            spacing="4",
            align="start",
        ),
        max_width="520px",
        width="100%",
        padding="24px",
    )


@rx.page(route=routes.BOOK, title="Book an appointment", on_load=State.follow_link)
def book_page() -> rx.Component:
    """A moment's spinner while the page forwards to the wizard; or why this link is closed."""
    return rx.center(
        rx.cond(
            State.closed_title != "",
            _closed(),
            rx.cond(
                State.choosing, _ways_in(), rx.spinner(size="3", aria_label="Opening the booking wizard")
            ),
        ),
        min_height="100vh",
        padding="16px",
        background=rx.color("gray", 2),
    )

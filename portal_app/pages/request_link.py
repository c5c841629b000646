"""``/request?token=…``: a new client's emailed link confirms, shows or cancels their request."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import calendar_file_button
from portal_app.components.confirm_step import confirm_step
from portal_app.components.request_details import request_facts
from portal_app.components.signed_out import signed_out_page
from portal_app.pages.template import APP_TITLE
from portal_app.state.request_link import RequestLinkState as State


def _request() -> rx.Component:
    return rx.vstack(
        rx.heading(State.title, size="6", as_="h1"),
        rx.cond(State.detail != "", rx.text(State.detail, color=rx.color("gray", 11), role="status")),
        rx.cond(
            State.status != "",
            rx.vstack(
                rx.badge(State.status, size="2", color_scheme="gray"),
                request_facts(
                    clinician=State.clinician, service=State.service, place=State.place, when=State.when
                ),
                spacing="3",
                width="100%",
            ),
        ),
        rx.cond(
            State.cancellable,
            rx.cond(
                State.confirming_cancel,
                confirm_step(
                    key="request-cancel",
                    question=["Cancel this request?"],
                    consequence="The time is released and the practice is told.",
                    message_label="Reason (optional)",
                    submit_label="Cancel request",
                    on_submit=State.cancel_request,
                    on_keep=State.ask_to_cancel(False),
                ),
                rx.flex(
                    calendar_file_button(State.calendar_url),
                    rx.button(
                        "Cancel request",
                        variant="soft",
                        color_scheme="red",
                        on_click=State.ask_to_cancel(True),
                    ),
                    gap="12px",
                    wrap="wrap",
                ),
            ),
        ),
        rx.link("Back to the practice's page", href=routes.HOME, size="2"),
        spacing="4",
        width="100%",
    )


@rx.page(route=routes.MY_REQUEST, title=f"Your appointment request · {APP_TITLE}", on_load=State.open_link)
def request_link_page() -> rx.Component:
    """The request behind the link, or why the link no longer works."""
    return signed_out_page(
        State.practice_name,
        rx.cond(
            State.loading, rx.center(rx.spinner(size="3", aria_label="Opening your request")), _request()
        ),
    )

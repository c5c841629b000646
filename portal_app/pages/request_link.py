"""``/request?token=…``: a new client's emailed link confirms, shows or cancels their request."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.request_details import request_actions, request_facts
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
            request_actions(
                key="request-cancel",
                asking=State.confirming_cancel,
                calendar_url=State.calendar_url,
                consequence="The time is released and the practice is told.",
                on_ask=State.ask_to_cancel(True),
                on_keep=State.ask_to_cancel(False),
                on_cancel=State.cancel_request,
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

"""The page for an address the portal does not have."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.signed_out import link_button, signed_out_page
from portal_app.pages.template import APP_TITLE
from portal_app.state.home import NotFoundState


@rx.page(route=routes.NOT_FOUND, title=f"Page not found · {APP_TITLE}", on_load=NotFoundState.load)
def not_found_page() -> rx.Component:
    """Say so plainly, in the practice's frame, and offer the way back."""
    return signed_out_page(
        NotFoundState.practice_name,
        rx.vstack(
            rx.heading("Page not found", size="6", as_="h1"),
            rx.text(
                "There is no page at this address. It may have moved, or the link may be mistyped.",
                color=rx.color("gray", 11),
                size="2",
            ),
            link_button("Go to the portal", "house", routes.HOME),
            spacing="4",
            width="100%",
        ),
    )

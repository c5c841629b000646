"""A clinician's direct booking link: ``/book/<clinician-slug>``."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.state.direct_booking import DirectBookingState


@rx.page(route=routes.BOOK, title="Book an appointment", on_load=DirectBookingState.follow_link)
def book_page() -> rx.Component:
    """Only a moment's spinner: the page forwards to the wizard."""
    return rx.center(rx.spinner(size="3"), aria_label="Opening the booking wizard", min_height="100vh")

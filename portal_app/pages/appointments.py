"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import empty_state, section
from portal_app.pages.template import portal_page
from portal_app.state.appointments import ClientAppointmentsState as State


@portal_page(route=routes.APPOINTMENTS, title="Appointments", on_load=[State.load])
def appointments_page() -> rx.Component:
    """Upcoming, Requested and Past appointments of the signed-in client."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            section(
                "Upcoming",
                State.upcoming,
                empty_state("calendar", "No upcoming appointments", "Confirmed appointments will show here."),
            ),
            section(
                "Requested",
                State.requested,
                empty_state("inbox", "No pending requests", "Requests waiting for your therapist show here."),
            ),
            section(
                "Past",
                State.past,
                empty_state("history", "No past appointments", "Your appointment history will show here."),
            ),
            spacing="6",
            width="100%",
        ),
        rx.vstack(*[rx.skeleton(height="72px", width="100%") for _ in range(3)], width="100%"),
    )

"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import appointment_dialog, empty_state, section
from portal_app.pages.template import portal_page
from portal_app.state.appointments import ClientAppointmentsState as State


def _open(row):
    return State.open_details(row["id"])


@portal_page(route=routes.APPOINTMENTS, title="Appointments", on_load=[State.load])
def appointments_page() -> rx.Component:
    """Upcoming, Requested and Past appointments of the signed-in client."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            appointment_dialog(State.detail, State.detail_error, State.detail_open, State.set_detail_open),
            section(
                "Upcoming",
                State.upcoming,
                empty_state("calendar", "No upcoming appointments", "Confirmed appointments will show here."),
                on_open=_open,
            ),
            section(
                "Requested",
                State.requested,
                empty_state("inbox", "No pending requests", "Requests waiting for your therapist show here."),
                on_open=_open,
            ),
            section(
                "Past",
                State.past,
                empty_state("history", "No past appointments", "Your appointment history will show here."),
                on_open=_open,
            ),
            spacing="6",
            width="100%",
        ),
        rx.vstack(*[rx.skeleton(height="72px", width="100%") for _ in range(3)], width="100%"),
    )

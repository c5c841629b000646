"""The client's Calendar tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import status_badge
from portal_app.components.week_calendar import week_navigation
from portal_app.pages.template import portal_page
from portal_app.state.client_calendar import ClientCalendarState as State


def _item(row) -> rx.Component:
    return rx.box(
        rx.text(row.time, size="1", weight="bold"),
        rx.text(row.service, size="1"),
        rx.text(row.clinician, size="1", color=rx.color("gray", 11)),
        status_badge(row.status, row.status_label),
        padding="8px",
        border_radius="8px",
        background=rx.color("teal", 2),
        border=f"1px solid {rx.color('teal', 5)}",
        width="100%",
    )


def _day(label, index) -> rx.Component:
    return rx.vstack(
        rx.text(label, weight="bold", size="2", color=rx.color("gray", 12)),
        rx.foreach(State.day_items[index], _item),
        spacing="2",
        padding="10px",
        min_height="180px",
        border_radius="10px",
        background=rx.color("gray", 1),
        border=f"1px solid {rx.color('gray', 4)}",
        role="group",
        aria_label=label,
    )


@portal_page(route=routes.CALENDAR, title="Calendar", on_load=[State.load])
def calendar_page() -> rx.Component:
    """A week of the client's appointments with their status."""
    return rx.vstack(
        rx.hstack(
            week_navigation(State.week_label, State.change_week),
            rx.spacer(),
            rx.badge(rx.icon("globe", size=14), "Times in ", State.zone_label, variant="surface", size="2"),
            align="center",
            width="100%",
            wrap="wrap",
        ),
        rx.cond(
            State.loaded,
            rx.grid(
                rx.foreach(State.day_labels, _day),
                columns=rx.breakpoints(initial="1", sm="2", md="4", lg="7"),
                spacing="2",
                width="100%",
            ),
            rx.skeleton(height="200px", width="100%"),
        ),
        spacing="4",
        width="100%",
    )

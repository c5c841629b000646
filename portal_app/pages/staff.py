"""Staff pages: Availability."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import empty_state, loading_list
from portal_app.pages.template import portal_page
from portal_app.state.staff import AvailabilityState


def _block_row(block) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(block["clinician"]),
        rx.table.cell(
            rx.text(block["days"], weight="medium"),
            rx.text(block["repeats"], size="1", color=rx.color("gray", 11)),
        ),
        rx.table.cell(block["hours"]),
        rx.table.cell(block["location"]),
        rx.table.cell(block["forums"]),
        rx.table.cell(rx.text(block["services"], size="2")),
        rx.table.cell(rx.text(block["valid"], size="1", color=rx.color("gray", 11))),
    )


@portal_page(route=routes.AVAILABILITY, title="Availability", on_load=[AvailabilityState.load])
def availability_page() -> rx.Component:
    """Recurring blocks: when, where, which forums and services clients may book."""
    return rx.cond(
        AvailabilityState.loaded,
        rx.cond(
            AvailabilityState.blocks.length() > 0,
            rx.card(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(name)
                                for name in (
                                    "Clinician",
                                    "Days",
                                    "Hours",
                                    "Location",
                                    "Forum",
                                    "Services",
                                    "Valid",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(AvailabilityState.blocks, _block_row)),
                    variant="ghost",
                    width="100%",
                ),
                width="100%",
                overflow_x="auto",
            ),
            empty_state(
                "clock", "No availability yet", "Clients can only request times inside availability blocks."
            ),
        ),
        loading_list(),
    )

"""Staff pages: Settings (Availability is ``pages.availability``)."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import loading_list
from portal_app.pages.template import portal_page
from portal_app.state.staff import SettingsState


@portal_page(route=routes.SETTINGS, title="Practice settings", on_load=[SettingsState.load])
def settings_page() -> rx.Component:
    """The scheduling rules the server enforces for every request."""
    return rx.cond(
        SettingsState.loaded,
        rx.card(
            rx.data_list.root(
                rx.foreach(
                    SettingsState.policy,
                    lambda item: rx.data_list.item(
                        rx.data_list.label(item.label, min_width="220px"),
                        rx.data_list.value(item.value),
                    ),
                ),
                size="3",
            ),
            width="100%",
            max_width="720px",
        ),
        loading_list(),
    )

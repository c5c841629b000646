"""Provider, Location, Forum, Service: the choices before a booking calendar, as the server offers them."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.forms import choice_field, labeled_select


def booking_choice_fields(
    *,
    providers: Var,
    provider_id: Var,
    on_provider,
    locations: Var,
    location_id: Var,
    on_location,
    forums: Var,
    forum: Var,
    on_forum,
    services: Var,
    service_id: Var,
    on_service,
) -> rx.Component:
    """One row of choices; each appears once the one before it offers something (Forum: when two)."""
    return rx.flex(
        labeled_select("Provider", providers, provider_id, on_provider, "Choose a provider"),
        rx.cond(
            locations.length() > 0,
            labeled_select("Location", locations, location_id, on_location, "Choose a location"),
        ),
        rx.cond(
            forums.length() > 1,
            choice_field(
                "Forum",
                rx.radio_group.root(
                    rx.hstack(
                        rx.foreach(
                            forums,
                            lambda o: rx.el.label(
                                rx.hstack(rx.radio_group.item(value=o.value), rx.text(o.label), spacing="2"),
                            ),
                        ),
                        spacing="4",
                        padding_top="8px",
                    ),
                    value=forum,
                    on_change=on_forum,
                    aria_label="Forum",
                ),
            ),
        ),
        rx.cond(
            services.length() > 0,
            labeled_select("Service", services, service_id, on_service, "Choose a service"),
        ),
        gap="16px",
        wrap="wrap",
        width="100%",
    )

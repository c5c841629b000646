"""The Availability editor: weekly hours, time off and extra hours, with the client's view beside."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import empty_state, loading_list
from portal_app.components.forms import error_callout, live_region
from portal_app.components.week_calendar import calendar_picker, week_navigation
from portal_app.pages.availability_dialogs import confirm_dialog, decisions_dialog
from portal_app.pages.availability_form import availability_form
from portal_app.pages.template import portal_page
from portal_app.services.availability_forms import MAX_EVERY_N_WEEKS
from portal_app.state.availability import AvailabilityState as Page
from portal_app.state.availability_draft import AvailabilityDraftState as Draft
from portal_app.state.availability_preview import AvailabilityPreviewState as Preview

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REPEATS = [("1", "Every week"), *[(str(n), f"Every {n} weeks") for n in range(2, MAX_EVERY_N_WEEKS + 1)]]


# Lists -----------------------------------------------------------------------------------------


def _block_card(block) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text(block.days, weight="bold"),
                rx.text(block.hours, " · ", block.repeats, size="2"),
                rx.hstack(
                    rx.icon("map-pin", size=14),
                    rx.text(block.location, " · ", block.forums, size="2"),
                    align="center",
                    spacing="1",
                    color=rx.color("gray", 11),
                ),
                rx.text(block.services, size="2", color=rx.color("gray", 11)),
                rx.text(block.valid, size="1", color=rx.color("gray", 10)),
                spacing="1",
                flex="1",
                min_width="200px",
            ),
            rx.hstack(
                rx.button("Edit", variant="soft", size="1", on_click=Draft.edit_block(block.id)),
                rx.button(
                    "End",
                    variant="soft",
                    size="1",
                    color_scheme="gray",
                    on_click=Page.ask_end_block(block.id),
                ),
                rx.button(
                    "Delete",
                    variant="soft",
                    size="1",
                    color_scheme="red",
                    on_click=Page.ask_delete_block(block.id),
                ),
                spacing="2",
            ),
            gap="12px",
            justify="between",
            wrap="wrap",
        ),
        width="100%",
        role="group",
        aria_label="Weekly hours: " + block.label,
    )


def _exception_card(item) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.badge(
                        item.title,
                        color_scheme=rx.cond(item.kind == "time_off", "orange", "teal"),
                        variant="soft",
                    ),
                    rx.text(item.when, weight="medium", size="2"),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(item.details, size="2", color=rx.color("gray", 11)),
                rx.cond(item.note != "", rx.text.em(item.note, size="2")),
                spacing="1",
                flex="1",
                min_width="200px",
            ),
            rx.button(
                "Delete",
                variant="soft",
                size="1",
                color_scheme="red",
                on_click=Page.ask_delete_exception(item.id),
            ),
            gap="12px",
            justify="between",
            wrap="wrap",
        ),
        width="100%",
        role="group",
        aria_label=item.title + ": " + item.when,
    )


def _lists() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading("Weekly hours", size="4", as_="h2"),
            rx.button(rx.icon("plus", size=16), "Add weekly hours", on_click=Draft.start_block),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
            gap="8px",
        ),
        rx.cond(
            Page.blocks.length() > 0,
            rx.vstack(rx.foreach(Page.blocks, _block_card), spacing="3", width="100%"),
            empty_state(
                "clock", "No weekly hours yet", "Clients can only request times inside weekly hours."
            ),
        ),
        rx.flex(
            rx.heading("Time off and extra hours", size="4", as_="h2"),
            rx.hstack(
                rx.button(
                    rx.icon("calendar-off", size=16),
                    "Add time off",
                    variant="soft",
                    on_click=Draft.start_time_off,
                ),
                rx.button(
                    rx.icon("calendar-plus", size=16),
                    "Add extra hours",
                    variant="soft",
                    on_click=Draft.start_extra_hours,
                ),
                spacing="2",
                wrap="wrap",
            ),
            justify="between",
            align="center",
            width="100%",
            wrap="wrap",
            gap="8px",
            padding_top="12px",
        ),
        rx.cond(
            Page.exceptions.length() > 0,
            rx.vstack(rx.foreach(Page.exceptions, _exception_card), spacing="3", width="100%"),
            empty_state(
                "calendar-check", "Nothing planned", "Upcoming time off and extra hours appear here."
            ),
        ),
        spacing="3",
        width="100%",
    )


# Preview ---------------------------------------------------------------------------------------


def _preview_select(label: str, options, value, on_change) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width="100%"),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
        value=value,
        on_change=on_change,
        size="2",
    )


def _preview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("What clients see", size="4", as_="h2"),
                rx.cond(
                    Preview.showing_draft,
                    rx.badge("Draft, not saved yet", color_scheme="amber", variant="soft"),
                    rx.badge("Saved", color_scheme="green", variant="soft"),
                ),
                justify="between",
                align="center",
                width="100%",
            ),
            rx.text(
                "The booking calendar for this clinician, exactly as a client sees it.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.grid(
                _preview_select("Preview service", Page.services, Preview.service_id, Preview.choose_service),
                _preview_select(
                    "Preview location", Page.locations, Preview.location_id, Preview.choose_location
                ),
                _preview_select("Preview forum", Preview.forums, Preview.forum, Preview.choose_forum),
                columns=rx.breakpoints(initial="1", sm="3"),
                gap="8px",
                width="100%",
            ),
            rx.flex(
                week_navigation(Preview.week_label, Preview.change_week),
                rx.badge(rx.icon("globe", size=12), "Times in ", Preview.zone_label, variant="surface"),
                justify="between",
                align="center",
                wrap="wrap",
                gap="8px",
                width="100%",
            ),
            rx.cond(
                Preview.calendar.has_free_time,
                rx.fragment(),
                rx.callout(
                    "No free time this week for this service, location and forum.",
                    icon="calendar-x",
                    color_scheme="gray",
                    size="1",
                    width="100%",
                ),
            ),
            calendar_picker(Preview.calendar, label="Client preview"),
            rx.hstack(
                rx.badge("White: clients can request", color_scheme="gray", variant="outline"),
                rx.badge("Grey: unavailable", color_scheme="gray", variant="soft"),
                spacing="2",
                wrap="wrap",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


# The page --------------------------------------------------------------------------------------


def _header() -> rx.Component:
    return rx.flex(
        rx.hstack(
            rx.icon("globe", size=16, color=rx.color("gray", 10)),
            rx.text("All times are in the practice's time zone: ", rx.text.strong(Page.zone_label), size="2"),
            align="center",
            spacing="2",
        ),
        rx.cond(
            Page.clinicians.length() > 1,
            rx.hstack(
                rx.text("Clinician", size="2", weight="medium"),
                rx.select.root(
                    rx.select.trigger(aria_label="Clinician", min_width="200px"),
                    rx.select.content(
                        rx.foreach(Page.clinicians, lambda o: rx.select.item(o.label, value=o.value))
                    ),
                    value=Page.clinician_id,
                    on_change=Page.choose_clinician,
                ),
                align="center",
                spacing="2",
            ),
        ),
        justify="between",
        align="center",
        wrap="wrap",
        gap="12px",
        width="100%",
    )


@portal_page(route=routes.AVAILABILITY, title="Availability", on_load=[Page.load, Preview.load])
def availability_page() -> rx.Component:
    """Weekly hours, time off and extra hours of one clinician, and the client's view of them."""
    return rx.cond(
        Page.loaded,
        rx.vstack(
            confirm_dialog(),
            decisions_dialog(),
            _header(),
            live_region(
                rx.cond(
                    Page.flash != "",
                    rx.callout(
                        Page.flash, icon="circle-check", color_scheme="green", role="status", width="100%"
                    ),
                )
            ),
            error_callout(Page.flash_error),
            rx.flex(
                rx.box(
                    rx.cond(Draft.mode != "", availability_form(), _lists()), flex="1 1 380px", min_width="0"
                ),
                rx.box(
                    _preview(),
                    flex="1.3 1 460px",
                    min_width="0",
                    position=rx.breakpoints(initial="static", md="sticky"),
                    top="80px",
                ),
                gap="20px",
                wrap="wrap",
                align="start",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        loading_list(),
    )

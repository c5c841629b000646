"""The client's Calendar tab: a week (or month) of their sessions, and free time to ask for."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.forms import info_callout, live_region
from portal_app.components.poller import poller
from portal_app.components.week_calendar import calendar_picker, legend_swatch, week_navigation
from portal_app.pages.appointments import client_details_dialog
from portal_app.pages.booking_wizard import booking_wizard, remember_opener
from portal_app.pages.template import portal_page
from portal_app.state import wording
from portal_app.state.appointments import ClientAppointmentsState as Details
from portal_app.state.booking import BookingWizardState as Wizard
from portal_app.state.calendar_booking import CalendarBookingState as CalendarBooking
from portal_app.state.client_calendar import ClientCalendarState as State

MUTED = rx.color("gray", 11)
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _toolbar() -> rx.Component:
    return rx.flex(
        rx.segmented_control.root(
            rx.segmented_control.item("Week", value="week"),
            rx.segmented_control.item("Month", value="month"),
            value=State.mode,
            on_change=State.show_mode,
            aria_label="Show a week or a month",
        ),
        rx.cond(
            State.mode == "week",
            week_navigation(State.week_label, State.change_week),
            rx.hstack(
                rx.icon_button(
                    rx.icon("chevron-left"),
                    variant="soft",
                    on_click=State.change_month(-1),
                    aria_label="Previous month",
                ),
                rx.text(State.month_label, weight="medium", min_width="150px", align="center"),
                rx.icon_button(
                    rx.icon("chevron-right"),
                    variant="soft",
                    on_click=State.change_month(1),
                    aria_label="Next month",
                ),
                align="center",
                spacing="2",
            ),
        ),
        rx.badge(rx.icon("globe", size=14), "Times in ", State.zone_label, variant="surface", size="2"),
        rx.spacer(),
        rx.cond(
            State.can_request,
            rx.button(
                rx.icon("calendar-plus"),
                "New Appointment",
                size="3",
                on_click=[remember_opener(), Wizard.open_new],
            ),
        ),
        align="center",
        gap="12px",
        wrap="wrap",
        width="100%",
    )


def _week() -> rx.Component:
    return rx.vstack(
        rx.text(
            rx.cond(
                State.calendar.has_free_time,
                "Click or drag free time to request it, or choose an appointment to see its details. "
                "Arrow keys and Enter work too.",
                "Choose an appointment to see its details.",
            ),
            size="2",
            color=MUTED,
        ),
        calendar_picker(
            State.calendar,
            label="Your calendar",
            on_select=CalendarBooking.open_at,
            on_open_mark=Details.open_details,
            # Drawn afresh when the wizard opens or closes: a time not requested stays unmarked.
            key=rx.cond(Wizard.is_open, "asking", "idle"),
        ),
        rx.hstack(
            legend_swatch("Free to request", rx.color("gray", 1)),
            legend_swatch("Not open for requests", rx.color("gray", 4)),
            legend_swatch("Unconfirmed (dashed)", rx.color("amber", 4)),
            legend_swatch("Confirmed", rx.color("teal", 4)),
            spacing="4",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def _month_item(item) -> rx.Component:
    request = item.tone == "request"
    return rx.el.button(
        item.text,
        on_click=Details.open_details(item.id),
        aria_label=item.label,
        title=item.label,
        style={
            "all": "unset",
            "display": "block",
            "box_sizing": "border-box",
            "width": "100%",
            "cursor": "pointer",
            "font_size": "11px",
            "line_height": "15px",
            "padding": "2px 4px",
            "border_radius": "5px",
            # A phone's day is narrow: one line, cut; wider, the time, clinician and status wrap.
            "white_space": rx.breakpoints(initial="nowrap", md="normal"),
            "overflow": "hidden",
            "text_overflow": "ellipsis",
            "color": rx.color("gray", 12),
            "background": rx.cond(request, rx.color("amber", 4), rx.color("teal", 4)),
            "border": rx.cond(
                request, f"1px dashed {rx.color('amber', 9)}", f"1px solid {rx.color('teal', 8)}"
            ),
            "&:focus-visible": {"outline": f"2px solid {rx.color('teal', 8)}", "outline_offset": "1px"},
        },
    )


def _month_day(day) -> rx.Component:
    return rx.vstack(
        rx.el.button(
            day.number,
            on_click=State.show_week_of(day.key),
            aria_label="Show the week of " + day.label,
            aria_current=rx.cond(day.today, "date", None),
            style={
                "all": "unset",
                "cursor": "pointer",
                "font_size": "13px",
                "font_weight": rx.cond(day.today, "700", "500"),
                "min_width": "24px",
                "height": "24px",
                "text_align": "center",
                "border_radius": "999px",
                "color": rx.cond(day.today, "white", rx.cond(day.in_month, rx.color("gray", 12), MUTED)),
                "background": rx.cond(day.today, rx.color("teal", 9), "transparent"),
                "&:focus-visible": {"outline": f"2px solid {rx.color('teal', 8)}"},
            },
        ),
        rx.foreach(day.sessions, _month_item),
        spacing="1",
        padding="4px",
        min_height=rx.breakpoints(initial="64px", md="96px"),
        min_width="0",
        background=rx.cond(day.in_month, rx.color("gray", 1), rx.color("gray", 2)),
        border=f"1px solid {rx.color('gray', 4)}",
        role="group",
        aria_label=day.label,
    )


def _month() -> rx.Component:
    return rx.vstack(
        rx.text("Choose an appointment to see its details, or a day to see its week.", size="2", color=MUTED),
        rx.grid(
            *[rx.text(name, size="1", weight="bold", align="center", color=MUTED) for name in _WEEKDAYS],
            rx.foreach(State.month_days, _month_day),
            columns="7",
            spacing="1",
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


@portal_page(
    route=routes.CALENDAR,
    title="Calendar",
    on_load=[State.load],
)
def calendar_page() -> rx.Component:
    """The client's week (or month): sessions open their details, free time opens the wizard."""
    return rx.vstack(
        # Mounted when the page opens or reloads, not when a dropped connection comes back.
        rx.box(display="none", on_mount=Details.page_opened),
        client_details_dialog(),
        booking_wizard(),
        rx.cond(Wizard.is_open, rx.fragment(), poller(State.refresh)),
        _toolbar(),
        info_callout(State.week_note),
        live_region(
            rx.cond(
                Details.notice != "",
                rx.callout(
                    Details.notice, icon="circle-check", color_scheme="green", role="status", width="100%"
                ),
            )
        ),
        rx.cond(
            State.can_request | ~State.loaded,
            rx.fragment(),
            rx.callout(
                wording.NO_PROVIDERS,
                icon="phone",
                color_scheme="gray",
                width="100%",
            ),
        ),
        rx.cond(
            State.loaded,
            rx.cond(State.mode == "week", _week(), _month()),
            rx.skeleton(height="420px", width="100%"),
        ),
        spacing="4",
        width="100%",
    )

"""The New Appointment dialog, bound to the booking wizard's states."""

from __future__ import annotations

import reflex as rx

from portal_app.components.appointment_card import calendar_file_button
from portal_app.components.booking_choices import booking_choice_fields
from portal_app.components.confirm_step import confirm_step
from portal_app.components.forms import info_callout
from portal_app.components.week_calendar import (
    calendar_picker,
    legend_swatch,
    length_control,
    selection_status,
    week_header,
)
from portal_app.state.booking import DONE_ID, PROBLEM_ID, REVIEW_ID
from portal_app.state.booking import BookingWizardState as Wizard
from portal_app.state.calendar_booking import CalendarBookingState as CalendarBooking
from portal_app.state.manage_appointment import ManageAppointmentState as Manage


def _choices() -> rx.Component:
    return booking_choice_fields(
        providers=Wizard.providers,
        provider_id=Wizard.provider_id,
        on_provider=Wizard.choose_provider,
        locations=Wizard.locations,
        location_id=Wizard.location_id,
        on_location=Wizard.choose_location,
        forums=Wizard.forums,
        forum=Wizard.forum,
        on_forum=Wizard.choose_forum,
        services=Wizard.services,
        service_id=Wizard.service_id,
        # A time chosen on the Calendar tab is kept, or said to be unavailable, once known.
        on_service=[Wizard.choose_service, CalendarBooking.keep_time],
    )


def _calendar() -> rx.Component:
    calendar = Wizard.calendar
    return rx.vstack(
        rx.text("Availability", size="2", weight="bold"),
        week_header(
            Wizard.week_label,
            Wizard.change_week,
            Wizard.zone_label,
            rx.button(
                rx.icon("skip-forward", size=14),
                "Next available",
                variant="soft",
                on_click=Wizard.next_available,
            ),
        ),
        rx.cond(
            calendar.has_free_time,
            rx.text(
                "Choose the length, then click or tap a free time (or press on it and drag). "
                "With the keyboard: arrow keys, then Enter; Shift+Down and Shift+Up change the length.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.callout(
                "No free time this week for this service — try Next available.",
                icon="calendar-x",
                color_scheme="gray",
            ),
        ),
        length_control(Wizard.length_options, Wizard.preferred_minutes.to_string(), Wizard.choose_length),
        calendar_picker(
            calendar,
            label="Choose a time",
            selected=Wizard.selected,
            length=Wizard.preferred_minutes,
            on_select=Wizard.select_time,
        ),
        rx.hstack(
            legend_swatch("Available", rx.color("gray", 1)),
            legend_swatch("Unavailable", rx.color("gray", 4)),
            legend_swatch("Your request", rx.color("amber", 4)),
            legend_swatch("Your appointment", rx.color("teal", 4)),
            spacing="4",
            wrap="wrap",
        ),
        spacing="3",
        width="100%",
    )


def _notice() -> rx.Component:
    """What the wizard tells (a time kept from the Calendar tab…), in a status region from the start."""
    return rx.box(
        rx.cond(
            Wizard.notice != "", rx.callout(Wizard.notice, icon="info", color_scheme="blue", width="100%")
        ),
        role="status",
        width="100%",
    )


def _problem() -> rx.Component:
    """The wizard's one place for problems, above the calendar: an alert region from the start,
    focused (and scrolled to) when the server puts a message in it."""
    return rx.box(
        rx.cond(
            Wizard.error != "",
            rx.callout(Wizard.error, icon="circle-alert", color_scheme="red", width="100%"),
        ),
        id=PROBLEM_ID,
        role="alert",
        tab_index=-1,
        width="100%",
        style={"scroll_margin": "24px", "&:focus-visible": {"outline": f"2px solid {rx.color('red', 9)}"}},
    )


def _choose_step() -> rx.Component:
    return rx.vstack(
        _notice(),
        _choices(),
        _problem(),
        rx.cond(Wizard.service_id != "", _calendar()),
        _choose_actions(),
        spacing="4",
        width="100%",
    )


def _choose_actions() -> rx.Component:
    """The time chosen and Save, kept at the bottom of the wizard while the calendar scrolls
    (on a phone the calendar is far taller than the screen)."""
    return rx.flex(
        rx.box(selection_status(Wizard.selection_label), flex="1 1 220px", min_width="0"),
        rx.flex(
            rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", size="3")),
            rx.button("Save", on_click=Wizard.save, disabled=Wizard.selected_start == 0, size="3"),
            gap="12px",
            margin_left="auto",
        ),
        align="center",
        gap="12px",
        wrap="wrap",
        width="100%",
        position="sticky",
        bottom=rx.breakpoints(initial="-16px", md="-24px"),
        z_index="5",
        padding_y="12px",
        background="var(--color-panel-solid)",
        border_top=f"1px solid {rx.color('gray', 5)}",
    )


def _summary_row(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))


def _summary() -> rx.Component:
    return rx.card(
        rx.data_list.root(
            _summary_row("Provider", Wizard.summary.provider),
            _summary_row("Service", Wizard.summary.service),
            _summary_row("Date", Wizard.summary.day),
            _summary_row("Time", Wizard.summary.time),
            _summary_row("Location", Wizard.summary.location),
            _summary_row("Forum", Wizard.summary.forum),
        ),
        width="100%",
    )


def _send_button() -> rx.Component:
    return rx.match(
        Wizard.purpose,
        ("change", rx.button("Save changes", on_click=Manage.submit_change, loading=Wizard.submitting)),
        (
            "reschedule",
            rx.button("Request this time", on_click=Manage.submit_change, loading=Wizard.submitting),
        ),
        rx.button("Submit New Appointment", on_click=Wizard.submit, loading=Wizard.submitting),
    )


def _review_step() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Please check your request. Your therapist will confirm it.",
            rx.cond(
                Wizard.purpose == "reschedule",
                " Your current appointment stays booked until they accept the new time.",
                "",
            ),
            color=rx.color("gray", 11),
            id=REVIEW_ID,
            tab_index=-1,
        ),
        _summary(),
        rx.flex(
            rx.button("Back", variant="soft", color_scheme="gray", on_click=Wizard.back_to_calendar),
            _send_button(),
            justify="end",
            gap="12px",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _done_actions() -> rx.Component:
    return rx.cond(
        Wizard.confirming_withdraw,
        confirm_step(
            key="wizard-withdraw",
            question=["Cancel your request for ", Wizard.summary.day, "?"],
            consequence="The time will be free again, and your therapist will be told.",
            message_label="Reason (optional)",
            submit_label="Cancel request",
            on_submit=Wizard.withdraw,
            on_keep=Wizard.ask_to_withdraw(False),
        ),
        rx.flex(
            calendar_file_button(Wizard.calendar_url),
            rx.button(
                "Cancel request", variant="soft", color_scheme="red", on_click=Wizard.ask_to_withdraw(True)
            ),
            rx.button("View My Appointments", on_click=Wizard.view_my_appointments),
            justify="end",
            gap="12px",
            wrap="wrap",
            width="100%",
        ),
    )


def _outcome_step(color: str) -> rx.Component:
    """What was done (changed, withdrawn), the request as it now stands, and the way back."""
    return rx.vstack(
        rx.callout(Wizard.notice, icon="circle-check", color_scheme=color, role="status", width="100%"),
        _summary(),
        rx.flex(
            rx.button("View My Appointments", on_click=Wizard.view_my_appointments),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _done_step() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("circle-check", color=rx.color("green", 9), size=28),
            rx.heading("Request sent", size="5", as_="h3", id=DONE_ID, tab_index=-1),
            align="center",
        ),
        rx.text(
            "Your appointment is waiting for your therapist's confirmation. "
            "You will get an email when they respond. Times are in your time zone.",
            color=rx.color("gray", 11),
        ),
        _summary(),
        info_callout(Wizard.notice),
        _done_actions(),
        spacing="4",
        width="100%",
    )


# Focus when the wizard's layers close. Radix would focus the dialog's trigger, and the wizard has
# none (the server opens it), so focus would drop to the page's body.
_REMEMBER_FOCUS = rx.call_script("window.portalWizardReturn = document.activeElement")
_RETURN_AFTER_QUESTION = (
    "const e = window.portalWizardReturn; if (e && e.isConnected && e.offsetParent !== null) e.focus();"
)
# What opened the wizard (see ``remember_opener``), else the calendar's cell that takes Tab, else
# the page's New Appointment button.
_RETURN_TO_OPENER = (
    "(() => { const shown = (e) => e && e.isConnected && e.offsetParent !== null;"
    " const opener = window.portalWizardOpener; window.portalWizardOpener = null;"
    " const target = shown(opener) ? opener : [...document.querySelectorAll("
    "'[role=grid] [role=gridcell][tabindex=\"0\"], button')].find((e) => shown(e)"
    " && (e.getAttribute('role') === 'gridcell' || e.textContent.trim() === 'New Appointment'));"
    " if (target) target.focus(); })()"
)


def remember_opener() -> rx.event.EventSpec:
    """Put first in the event chain of what opens the wizard: focus returns there when it closes."""
    return rx.call_script("window.portalWizardOpener = document.activeElement")


def _discard_question() -> rx.Component:
    """Escape (or a click outside) on a wizard holding choices asks before throwing them away."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Discard this request?"),
            rx.alert_dialog.description(
                "What you chose will be lost. Keep choosing to finish it.", color=rx.color("gray", 11)
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep choosing", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Discard", color_scheme="red", variant="soft", on_click=Wizard.answer_close(True)
                    )
                ),
                justify="end",
                gap="12px",
                margin_top="16px",
                wrap="wrap",
            ),
            max_width="440px",
            # Keep choosing: back where the person was (a calendar cell, a field) when they asked.
            on_close_auto_focus=rx.call_script(_RETURN_AFTER_QUESTION).prevent_default,
        ),
        open=Wizard.confirming_close,
        on_open_change=lambda is_open: Wizard.answer_close(False),
    )


# A phone gets the whole screen (a sheet), a wider screen a centred dialog.
_SHEET = {
    "position": rx.breakpoints(initial="fixed", md="relative"),
    "inset": rx.breakpoints(initial="0", md="auto"),
    "width": rx.breakpoints(initial="100%", md="96vw"),
    "max_width": rx.breakpoints(initial="100%", md="980px"),
    "max_height": rx.breakpoints(initial="100dvh", md="calc(100vh - 48px)"),
    "border_radius": rx.breakpoints(initial="0", md="var(--radius-5)"),
    "padding": rx.breakpoints(initial="16px", md="24px"),
    "overflow_x": "hidden",
}


def booking_wizard() -> rx.Component:
    """The dialog; open it with ``BookingWizardState.open_new``."""
    return rx.dialog.root(
        rx.dialog.content(
            _discard_question(),
            rx.flex(
                rx.dialog.title(
                    rx.match(
                        Wizard.purpose,
                        ("change", "Manage Appointment"),
                        ("reschedule", "Request a new time"),
                        "New Appointment",
                    ),
                    margin="0",
                ),
                # A phone has no Escape key: the sheet's own way out, asking first like Escape.
                rx.icon_button(
                    rx.icon("x"),
                    variant="ghost",
                    color_scheme="gray",
                    size="3",
                    aria_label="Close",
                    on_click=[_REMEMBER_FOCUS, Wizard.ask_to_close],
                ),
                justify="between",
                align="center",
                margin_bottom="16px",
            ),
            rx.match(
                Wizard.step,
                ("review", _review_step()),
                ("done", rx.cond(Wizard.purpose == "new", _done_step(), _outcome_step("green"))),
                ("withdrawn", _outcome_step("gray")),
                _choose_step(),
            ),
            on_escape_key_down=[_REMEMBER_FOCUS, Wizard.ask_to_close.prevent_default],
            on_pointer_down_outside=[_REMEMBER_FOCUS, Wizard.ask_to_close.prevent_default],
            on_close_auto_focus=rx.call_script(_RETURN_TO_OPENER).prevent_default,
            style=_SHEET,
        ),
        open=Wizard.is_open,
        on_open_change=Wizard.set_is_open,
    )

"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import appointment_dialog, empty_state, loading_list, section
from portal_app.components.poller import poller
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.pages.booking_wizard import booking_wizard
from portal_app.pages.template import portal_page
from portal_app.state.appointments import ClientAppointmentsState as State
from portal_app.state.booking import BookingWizardState


def _open(row):
    return State.open_details(row.id)


def _call_to_cancel(detail) -> rx.Component:
    return rx.callout(
        rx.text(
            detail.cancel_note,
            " ",
            rx.cond(detail.phone_href != "", rx.link(detail.phone, href=detail.phone_href, weight="medium")),
        ),
        icon="phone",
        color_scheme="gray",
        width="100%",
    )


def _confirm_change(detail, *, verb: str, noun: str, handler, consequence: str) -> rx.Component:
    """The "are you sure?" step: names the appointment, takes an optional reason."""
    appointment = detail.appointment
    heading_id = f"confirm-{verb.lower()}-heading"
    return rx.form(
        rx.vstack(
            rx.heading(
                f"{verb} ",
                appointment.service,
                " on ",
                appointment.day,
                " at ",
                appointment.time,
                "?",
                size="3",
                as_="h3",
                id=heading_id,
            ),
            rx.text(consequence, size="2", color=rx.color("gray", 11)),
            rx.el.label("Reason (optional)", html_for="change-reason", style={"font_weight": "500"}),
            rx.text_area(
                id="change-reason",
                name="message",
                max_length=MAX_MESSAGE_LENGTH,
                auto_focus=True,
                width="100%",
            ),
            rx.hstack(
                rx.button(
                    "Keep it",
                    type="button",
                    variant="soft",
                    color_scheme="gray",
                    on_click=State.ask_to_confirm(False),
                ),
                rx.button(f"{verb} {noun}", type="submit", color_scheme="red"),
                justify="end",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=lambda form: handler(appointment.id, form),
        aria_labelledby=heading_id,
        width="100%",
    )


def _client_actions() -> rx.Component:
    detail = State.detail
    return rx.vstack(
        rx.cond(detail.cancel_note != "", _call_to_cancel(detail)),
        rx.cond(
            State.confirming,
            rx.cond(
                detail.can_withdraw,
                _confirm_change(
                    detail,
                    verb="Withdraw",
                    noun="request",
                    handler=State.withdraw,
                    consequence="The time will be free again, and your therapist will be told.",
                ),
                _confirm_change(
                    detail,
                    verb="Cancel",
                    noun="appointment",
                    handler=State.cancel,
                    consequence="The time will be released, and your therapist will be told by email.",
                ),
            ),
            rx.hstack(
                rx.cond(
                    detail.can_withdraw,
                    rx.button(
                        "Withdraw request",
                        color_scheme="red",
                        variant="soft",
                        on_click=State.ask_to_confirm(True),
                    ),
                ),
                rx.cond(
                    detail.can_cancel,
                    rx.button(
                        "Cancel appointment",
                        color_scheme="red",
                        variant="soft",
                        on_click=State.ask_to_confirm(True),
                    ),
                ),
                spacing="2",
            ),
        ),
        spacing="2",
        width="100%",
    )


@portal_page(route=routes.APPOINTMENTS, title="Appointments", on_load=[State.load])
def appointments_page() -> rx.Component:
    """Upcoming, Requested and Past appointments of the signed-in client."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            appointment_dialog(
                State.detail.appointment,
                State.detail_error,
                State.detail_open,
                State.set_detail_open,
                extra=_client_actions(),
                calendar_url=State.detail.calendar_url,
            ),
            rx.cond(
                State.notice != "",
                rx.callout(
                    State.notice, icon="circle-check", color_scheme="green", role="status", width="100%"
                ),
            ),
            booking_wizard(),
            # The list behind the open wizard needs no refreshing until it closes.
            rx.cond(BookingWizardState.is_open, rx.fragment(), poller(State.refresh)),
            rx.cond(
                State.can_request,
                rx.hstack(
                    rx.text("Need a session? Request a time that suits you.", color=rx.color("gray", 11)),
                    rx.button(
                        rx.icon("calendar-plus"),
                        "New Appointment",
                        size="3",
                        on_click=BookingWizardState.open_new,
                    ),
                    justify="between",
                    align="center",
                    width="100%",
                    wrap="wrap",
                ),
                rx.callout(
                    "Online requests are not available right now. Please call the practice to book.",
                    icon="phone",
                    color_scheme="gray",
                ),
            ),
            section(
                "Upcoming",
                State.upcoming,
                empty_state(
                    "calendar",
                    "No upcoming appointments",
                    "Confirmed appointments will show here.",
                    rx.cond(
                        State.can_request,
                        rx.button("Request Now", variant="soft", on_click=BookingWizardState.open_new),
                    ),
                ),
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
        loading_list(),
    )

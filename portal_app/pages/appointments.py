"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import appointment_dialog, empty_state, loading_list, section
from portal_app.components.confirm_step import confirm_step
from portal_app.components.forms import live_region
from portal_app.components.poller import poller
from portal_app.pages.booking_wizard import booking_wizard
from portal_app.pages.template import portal_page
from portal_app.state.appointments import ClientAppointmentsState as State
from portal_app.state.booking import BookingWizardState
from portal_app.state.manage_appointment import ManageAppointmentState as Manage


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
    appointment = detail.appointment
    return confirm_step(
        key=verb.lower(),
        question=[f"{verb} ", appointment.service, " on ", appointment.day, " at ", appointment.time, "?"],
        consequence=consequence,
        message_label="Reason (optional)",
        submit_label=f"{verb} {noun}",
        on_submit=lambda form: handler(appointment.id, form),
        on_keep=State.ask_to_confirm(False),
    )


def _manage_button(label: str, detail) -> rx.Component:
    # The details dialog closes as the wizard opens on the same appointment.
    return rx.button(
        rx.icon("calendar-clock", size=16),
        label,
        variant="soft",
        on_click=[State.set_detail_open(False), Manage.open_to_manage(detail.appointment.id)],
    )


def video_button(link, label) -> rx.Component:
    """Join Video: the clinician's video room, in a new tab."""
    return rx.button(
        rx.el.a(
            rx.icon("video", size=16),
            "Join Video",
            href=link,
            target="_blank",
            rel="noopener noreferrer",
            aria_label=label,
        ),
        as_child=True,
        color_scheme="green",
    )


def _join_now() -> rx.Component:
    return rx.foreach(
        State.join_now,
        lambda video: rx.callout(
            rx.flex(
                rx.text("Your telehealth session with ", rx.text.strong(video.clinician), " is open."),
                video_button(video.link, "Join Video with " + video.clinician + " (opens a new tab)"),
                justify="between",
                align="center",
                gap="12px",
                wrap="wrap",
                width="100%",
            ),
            icon="video",
            color_scheme="green",
            width="100%",
        ),
    )


def _client_actions() -> rx.Component:
    detail = State.detail
    return rx.vstack(
        rx.cond(
            detail.video_link != "",
            video_button(detail.video_link, "Join Video (opens a new tab)"),
        ),
        rx.cond(detail.video_note != "", rx.text(detail.video_note, size="2", color=rx.color("gray", 11))),
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
            rx.flex(
                rx.cond(
                    detail.can_answer,
                    rx.hstack(
                        rx.button(
                            rx.icon("check", size=16),
                            "Accept proposed time",
                            color_scheme="green",
                            on_click=State.answer_proposal(detail.appointment.id, True),
                        ),
                        rx.button(
                            "Decline",
                            color_scheme="red",
                            variant="soft",
                            on_click=State.answer_proposal(detail.appointment.id, False),
                        ),
                        spacing="2",
                    ),
                ),
                rx.match(
                    detail.manage,
                    ("change", _manage_button("Manage Appointment", detail)),
                    ("reschedule", _manage_button("Request a new time", detail)),
                    rx.fragment(),
                ),
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
                gap="8px",
                wrap="wrap",
            ),
        ),
        spacing="2",
        width="100%",
    )


def client_details_dialog() -> rx.Component:
    """One appointment's details and the client's actions on it (the Calendar tab shows it too)."""
    return appointment_dialog(
        State.detail.appointment,
        State.detail_error,
        State.detail_open,
        State.set_detail_open,
        extra=_client_actions(),
        calendar_url=State.detail.calendar_url,
    )


@portal_page(route=routes.APPOINTMENTS, title="Appointments", on_load=[State.load])
def appointments_page() -> rx.Component:
    """Upcoming, Requested and Past appointments of the signed-in client."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            # Mounted when the page opens or reloads, not when a dropped connection comes back.
            rx.box(display="none", on_mount=State.page_opened),
            client_details_dialog(),
            live_region(
                rx.cond(
                    State.notice != "",
                    rx.callout(
                        State.notice, icon="circle-check", color_scheme="green", role="status", width="100%"
                    ),
                )
            ),
            _join_now(),
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

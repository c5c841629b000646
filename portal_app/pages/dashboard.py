"""The staff Dashboard: requests to decide, with Accept / Decline, and upcoming sessions."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import (
    appointment_dialog,
    empty_state,
    loading_list,
    section,
    status_badge,
)
from portal_app.components.confirm_step import confirm_step
from portal_app.components.focus import FOCUS_STATUS, focus_fallback, returns_focus
from portal_app.components.forms import error_callout
from portal_app.components.poller import poller
from portal_app.components.week_calendar import calendar_picker, legend_swatch, week_navigation
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.domain.vocabulary import AppointmentStatus
from portal_app.pages.proposal_dialog import proposal_dialog
from portal_app.pages.template import portal_page
from portal_app.state.dashboard import DashboardState as State
from portal_app.state.proposal import ProposalState as Proposal
from portal_app.state.staff_calendar import StaffCalendarState as StaffCalendar


def _request_card(row) -> rx.Component:
    request = row.appointment
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(
                    rx.text(request.client, weight="bold", size="3"),
                    status_badge(request.status, request.status_label),
                    rx.cond(
                        row.newcomer != "",
                        rx.badge(
                            rx.icon("user-plus", size=12), "New client", color_scheme="iris", variant="soft"
                        ),
                    ),
                    rx.cond(
                        row.conflict != "",
                        rx.badge(
                            rx.icon("triangle-alert", size=12), "Conflict", color_scheme="red", variant="soft"
                        ),
                    ),
                    align="center",
                    spacing="2",
                    wrap="wrap",
                ),
                rx.text(request.day, " · ", request.time, size="2"),
                rx.text(
                    request.service,
                    " · ",
                    request.where,
                    rx.cond(State.sees_all_clinicians, " · " + request.clinician, ""),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                rx.cond(
                    request.moves != "",
                    rx.text("Asks to move the appointment of ", request.moves, size="2", weight="medium"),
                ),
                rx.cond(row.newcomer != "", rx.text(row.newcomer, size="2")),
                rx.text("Requested ", row.waiting, " ago", size="1", color=rx.color("gray", 10)),
                rx.cond(row.conflict != "", rx.text(row.conflict, size="2", color=rx.color("red", 11))),
                rx.cond(row.warning != "", rx.text(row.warning, size="2", color=rx.color("amber", 11))),
                spacing="1",
                flex="1",
            ),
            rx.hstack(
                rx.button("Details", variant="ghost", on_click=State.open_details(request.id)),
                rx.button(
                    "Propose time",
                    variant="soft",
                    on_click=Proposal.open_for(request.id),
                    aria_label="Propose time to " + request.client,
                ),
                rx.button(
                    "Decline", variant="soft", color_scheme="red", on_click=State.ask_decline(request.id)
                ),
                rx.button(
                    rx.icon("check", size=16),
                    "Accept",
                    color_scheme="green",
                    # The card leaves the list: focus waits on the status message, never on the
                    # next request's Accept (Enter twice must not accept two requests).
                    on_click=[FOCUS_STATUS, State.accept(request.id)],
                    disabled=row.conflict != "",
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            gap="12px",
            justify="between",
            align="center",
            wrap="wrap",
        ),
        width="100%",
        role="group",
        aria_label="Request from " + request.client + ", " + request.day,
        # Keyed by the request: a decided card's buttons go with it instead of being reused
        # for the next request (where focus would silently land).
        key=request.id,
    )


def _decline_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Decline request"),
            rx.dialog.description(State.decline_summary, size="2", color=rx.color("gray", 11)),
            rx.form(
                rx.vstack(
                    rx.el.label(
                        rx.text("Message to the client (optional)", size="2", weight="medium"),
                        html_for="message",
                    ),
                    rx.text_area(
                        id="message",
                        name="message",
                        placeholder="For example: I'm away that day — could you choose a time next week?",
                        max_length=MAX_MESSAGE_LENGTH,
                        rows="4",
                        width="100%",
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Keep request", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Decline request", type="submit", color_scheme="red"),
                        justify="end",
                        gap="12px",
                        width="100%",
                    ),
                    spacing="3",
                ),
                on_submit=State.decline,
                reset_on_submit=True,
            ),
            **returns_focus(),
        ),
        open=State.decline_id != 0,
        on_open_change=State.set_decline_open,
    )


def _contact() -> rx.Component:
    detail = State.detail
    return rx.vstack(
        rx.cond(
            detail.email != "",
            rx.hstack(
                rx.icon("mail", size=16, color=rx.color("gray", 10)),
                rx.link(detail.email, href="mailto:" + detail.email, size="2"),
                align="center",
                spacing="2",
            ),
        ),
        rx.cond(
            detail.phone_href != "",
            rx.hstack(
                rx.icon("phone", size=16, color=rx.color("gray", 10)),
                rx.link(detail.phone, href=detail.phone_href, size="2"),
                align="center",
                spacing="2",
            ),
        ),
        rx.cond(
            detail.attendees != "",
            rx.hstack(
                rx.icon("users", size=16, color=rx.color("gray", 10)),
                rx.text("Joining: ", detail.attendees, size="2"),
                align="center",
                spacing="2",
            ),
        ),
        spacing="3",
        width="100%",
    )


def _detail_actions() -> rx.Component:
    detail, appointment = State.detail, State.detail.appointment
    return rx.fragment(
        rx.cond(
            appointment.status == AppointmentStatus.REQUESTED.value,
            rx.hstack(
                rx.button(
                    "Decline",
                    variant="soft",
                    color_scheme="red",
                    on_click=State.ask_decline(appointment.id),
                ),
                rx.button(
                    rx.icon("check", size=16),
                    "Accept",
                    color_scheme="green",
                    on_click=State.accept(appointment.id),
                ),
                spacing="2",
            ),
        ),
        rx.cond(
            State.confirming_cancel,
            confirm_step(
                key="staff-cancel",
                question=["Cancel ", appointment.client, "'s appointment on ", appointment.day, "?"],
                consequence="The client is emailed with your message, and the time is free again.",
                message_label="Message to the client (optional)",
                submit_label="Cancel appointment",
                on_submit=State.cancel,
                on_keep=State.ask_to_cancel(False),
            ),
            rx.cond(
                detail.can_cancel,
                rx.button(
                    "Cancel appointment",
                    variant="soft",
                    color_scheme="red",
                    on_click=State.ask_to_cancel(True),
                ),
            ),
        ),
        rx.cond(
            detail.can_record,
            rx.hstack(
                rx.button(
                    rx.icon("check", size=16),
                    "Attended",
                    color_scheme="green",
                    variant="soft",
                    on_click=State.record_attendance(True),
                ),
                rx.button(
                    rx.icon("user-x", size=16),
                    "No-show",
                    color_scheme="orange",
                    variant="soft",
                    on_click=State.record_attendance(False),
                ),
                spacing="2",
            ),
        ),
    )


def _detail_extras() -> rx.Component:
    return rx.vstack(
        _contact(),
        _detail_actions(),
        rx.text("History", weight="bold", size="2"),
        rx.foreach(
            State.detail_trail,
            lambda item: rx.hstack(
                rx.icon("history", size=14, color=rx.color("gray", 10)),
                rx.vstack(
                    rx.text(item.change, size="2", weight="medium"),
                    rx.text(item.at, " · ", item.who, size="1", color=rx.color("gray", 11)),
                    rx.cond(item.note != "", rx.text.em(item.note, size="1")),
                    spacing="0",
                ),
                align="start",
                spacing="2",
            ),
        ),
        spacing="3",
        width="100%",
        padding_top="8px",
    )


def _schedule() -> rx.Component:
    calendar = StaffCalendar.calendar
    return rx.vstack(
        rx.flex(
            rx.heading("Schedule", size="4", as_="h2"),
            rx.hstack(
                rx.cond(
                    StaffCalendar.clinicians.length() > 1,
                    rx.select.root(
                        rx.select.trigger(aria_label="Clinician"),
                        rx.select.content(
                            rx.foreach(
                                StaffCalendar.clinicians, lambda o: rx.select.item(o.label, value=o.value)
                            )
                        ),
                        value=StaffCalendar.clinician_id,
                        on_change=StaffCalendar.choose_clinician,
                    ),
                ),
                week_navigation(StaffCalendar.week_label, StaffCalendar.change_week),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            gap="8px",
            width="100%",
        ),
        rx.hstack(
            legend_swatch("Confirmed", rx.color("teal", 4)),
            legend_swatch("Request (dashed)", rx.color("amber", 4)),
            spacing="3",
        ),
        rx.card(
            calendar_picker(calendar, label="Schedule", on_open_mark=StaffCalendar.open_session_details),
            width="100%",
        ),
        spacing="3",
        width="100%",
    )


@portal_page(route=routes.DASHBOARD, title="Dashboard", on_load=[State.load, StaffCalendar.load])
def dashboard_page() -> rx.Component:
    """Requests waiting for a decision (oldest first), then the next confirmed sessions."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            # Mounted when the page opens or reloads, not when a dropped connection comes back.
            rx.box(display="none", on_mount=State.page_opened),
            poller(State.refresh, StaffCalendar.refresh),
            _decline_dialog(),
            proposal_dialog(),
            appointment_dialog(
                State.detail.appointment,
                "",
                State.detail_open,
                State.set_detail_open,
                extra=_detail_extras(),
                show_client=True,
            ),
            rx.vstack(
                rx.text(
                    rx.cond(
                        State.sees_all_clinicians, "Every clinician of the practice.", "Your own schedule."
                    ),
                    " Times are in the practice's time zone.",
                    size="2",
                    color=rx.color("gray", 11),
                ),
                # Always present, so screen readers announce each new message; focus waits here
                # after a decision.
                rx.box(
                    rx.cond(
                        State.flash != "",
                        rx.callout(State.flash, icon="circle-check", color_scheme="green", width="100%"),
                    ),
                    role="status",
                    width="100%",
                    **focus_fallback(),
                ),
                spacing="3",
                width="100%",
            ),
            error_callout(State.flash_error),
            rx.vstack(
                rx.heading("Requests waiting for you", size="4", as_="h2"),
                rx.cond(
                    State.pending.length() > 0,
                    rx.vstack(rx.foreach(State.pending, _request_card), spacing="3", width="100%"),
                    empty_state(
                        "inbox", "No pending requests", "New appointment requests from clients appear here."
                    ),
                ),
                spacing="3",
                width="100%",
            ),
            _schedule(),
            rx.cond(
                State.to_record.length() > 0,
                section(
                    "Sessions to record",
                    State.to_record,
                    rx.fragment(),
                    show_client=True,
                    on_open=lambda row: State.open_details(row.id),
                ),
            ),
            section(
                "Upcoming confirmed appointments",
                State.upcoming,
                empty_state("calendar", "Nothing scheduled", "Confirmed appointments appear here."),
                show_client=True,
                on_open=lambda row: State.open_details(row.id),
            ),
            spacing="6",
            width="100%",
        ),
        loading_list(),
    )

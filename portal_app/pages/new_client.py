"""``/new-client``: someone who is not yet a client asks for a first appointment, signed out."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.booking_choices import booking_choice_fields
from portal_app.components.forms import checked_input, error_callout
from portal_app.components.request_details import request_actions, request_facts
from portal_app.components.shell import brand
from portal_app.components.week_calendar import (
    calendar_picker,
    legend_swatch,
    length_control,
    selection_status,
    week_header,
)
from portal_app.pages.template import APP_TITLE
from portal_app.state import new_client_wording as words
from portal_app.state.new_client import NewClientState as State

_STEP_TITLES = {
    "choose": "Step 1 of 3 · Choose a time",
    "who": "Step 2 of 3 · Who is the appointment for?",
    "details": "Step 3 of 3 · Your details",
}


def _choices() -> rx.Component:
    return booking_choice_fields(
        providers=State.providers,
        provider_id=State.provider_id,
        on_provider=State.choose_provider,
        locations=State.locations,
        location_id=State.location_id,
        on_location=State.choose_location,
        forums=State.forums,
        forum=State.forum,
        on_forum=State.choose_forum,
        services=State.services,
        service_id=State.service_id,
        on_service=State.choose_service,
    )


def _calendar() -> rx.Component:
    return rx.vstack(
        week_header(State.week_label, State.change_week, State.zone_label),
        rx.text(
            "Click or tap a free time (or press on it and drag). With the keyboard: arrow keys, then Enter; "
            "Shift+Down and Shift+Up change the length.",
            size="2",
            color=rx.color("gray", 11),
        ),
        length_control(State.length_options, State.preferred_minutes.to_string(), State.choose_length),
        calendar_picker(
            State.calendar,
            label="Choose a time",
            selected=State.selected,
            length=State.preferred_minutes,
            on_select=State.select_time,
        ),
        selection_status(State.selection_label),
        rx.hstack(
            legend_swatch("Available", rx.color("gray", 1)),
            legend_swatch("Unavailable", rx.color("gray", 4)),
            spacing="4",
        ),
        spacing="3",
        width="100%",
    )


def _choose_step() -> rx.Component:
    return rx.vstack(
        _choices(),
        rx.cond(State.service_id != "", _calendar()),
        error_callout(State.error),
        rx.flex(
            rx.button("Next", size="3", on_click=State.next_step, disabled=State.selected_start == 0),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _summary() -> rx.Component:
    summary = State.summary
    return rx.callout(
        rx.text(
            rx.text.strong(summary.service),
            " with ",
            summary.provider,
            " · ",
            summary.day,
            ", ",
            summary.time,
            " · ",
            summary.location,
            " (",
            summary.forum,
            ")",
        ),
        icon="calendar-clock",
        color_scheme="gray",
        width="100%",
    )


def _who_step() -> rx.Component:
    return rx.vstack(
        _summary(),
        rx.radio_cards.root(
            *[
                rx.radio_cards.item(
                    rx.vstack(
                        rx.text(label, weight="bold", size="3"),
                        rx.text(detail, size="2", color=rx.color("gray", 11)),
                        spacing="1",
                        align="start",
                        width="100%",
                    ),
                    value=value,
                )
                for value, label, detail in words.FOR_CHOICES
            ],
            value=State.requested_for,
            on_value_change=State.choose_for,
            columns=rx.breakpoints(initial="1", sm="2"),
            aria_label="Who is the appointment for?",
            width="100%",
        ),
        rx.flex(
            rx.button("Back", variant="soft", color_scheme="gray", on_click=State.go_back("choose")),
            rx.button("Next", size="3", on_click=State.to_details, disabled=State.requested_for == ""),
            justify="between",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def _error(name: str) -> rx.Var:
    return State.field_errors.get(name, "")


def _person(title: str, prefix: str, *, email: bool, email_optional: bool, phone: bool) -> rx.Component:
    fields = [
        checked_input(
            "Full name", name=f"{prefix}_name", error=_error(f"{prefix}_name"), auto_complete="off"
        ),
    ]
    if email:
        label = "Email (optional)" if email_optional else "Email"
        fields.append(
            checked_input(label, name=f"{prefix}_email", input_type="email", error=_error(f"{prefix}_email"))
        )
    if phone:
        fields.append(
            checked_input(
                "Phone (optional)", name=f"{prefix}_phone", input_type="tel", error=_error(f"{prefix}_phone")
            )
        )
    return rx.el.fieldset(
        rx.el.legend(rx.text(title, weight="bold", size="3")),
        rx.vstack(*fields, spacing="3", width="100%"),
        style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _requester() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(
            rx.text(
                rx.cond(State.requested_for == "child", "You (parent or guardian)", "Your details"),
                weight="bold",
                size="3",
            )
        ),
        rx.vstack(
            checked_input(
                "Full name", name="requester_name", error=_error("requester_name"), auto_complete="name"
            ),
            checked_input(
                "Email",
                name="requester_email",
                input_type="email",
                error=_error("requester_email"),
                hint="We send a link here to confirm it before your request goes to the practice.",
                auto_complete="email",
            ),
            checked_input(
                "Phone (optional)",
                name="requester_phone",
                input_type="tel",
                error=_error("requester_phone"),
                auto_complete="tel",
            ),
            spacing="3",
            width="100%",
        ),
        style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _card() -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text("Card", weight="bold", size="3")),
        rx.vstack(
            rx.text(
                "This practice asks new clients for a card to request an appointment. Nothing is charged "
                "now; the card is kept by the payment processor, and we keep only its last four digits.",
                size="2",
                color=rx.color("gray", 11),
            ),
            checked_input(
                "Card number",
                name="card_number",
                error=_error("card"),
                auto_complete="cc-number",
                input_mode="numeric",
            ),
            rx.flex(
                checked_input(
                    "Expiry (MM/YY)", name="card_expiry", error=rx.Var.create(""), auto_complete="cc-exp"
                ),
                checked_input(
                    "Security code",
                    name="card_cvc",
                    error=rx.Var.create(""),
                    auto_complete="cc-csc",
                    input_mode="numeric",
                ),
                gap="12px",
                width="100%",
            ),
            spacing="3",
            width="100%",
        ),
        style={"border": "none", "padding": "0", "margin": "0", "width": "100%"},
    )


def _honeypot() -> rx.Component:
    # Out of sight and out of the tab order; people never fill it in, form robots do.
    return rx.box(
        rx.el.label("Website", html_for="website"),
        rx.el.input(id="website", name="website", type="text", tab_index=-1, auto_complete="off"),
        aria_hidden="true",
        style={
            "position": "absolute",
            "left": "-10000px",
            "width": "1px",
            "height": "1px",
            "overflow": "hidden",
        },
    )


def _details_step() -> rx.Component:
    kind = State.requested_for
    return rx.form(
        rx.vstack(
            _summary(),
            _requester(),
            rx.cond(
                kind == "child",
                _person("Your child", "patient", email=False, email_optional=True, phone=False),
            ),
            rx.cond(
                kind == "someone_else",
                _person(
                    "The person the appointment is for",
                    "patient",
                    email=True,
                    email_optional=False,
                    phone=True,
                ),
            ),
            rx.cond(
                kind == "couple",
                _person("Your partner", "partner", email=True, email_optional=True, phone=False),
            ),
            rx.vstack(
                rx.el.label(
                    rx.text("Message to the provider (optional)", size="2", weight="medium"),
                    html_for="message",
                ),
                rx.text_area(id="message", name="message", width="100%", rows="3"),
                spacing="1",
                width="100%",
            ),
            rx.cond(State.card_required, _card()),
            _honeypot(),
            error_callout(State.error),
            rx.flex(
                rx.button(
                    "Back", type="button", variant="soft", color_scheme="gray", on_click=State.go_back("who")
                ),
                rx.button("Request Appointment", type="submit", size="3", loading=State.submitting),
                justify="between",
                width="100%",
            ),
            spacing="4",
            width="100%",
            position="relative",
        ),
        on_submit=State.submit,
        method="post",
        width="100%",
    )


def _sent_step() -> rx.Component:
    return rx.vstack(
        rx.callout(
            rx.text(
                "Check your email. We sent a link to ",
                rx.text.strong(State.sent_to),
                ". Open it to confirm your email address and send your request. We are holding this time "
                "for you until ",
                rx.text.strong(State.held_until),
                f" ({words.HOLD_MINUTES} minutes).",
            ),
            icon="mail-check",
            color_scheme="green",
            role="status",
            width="100%",
        ),
        request_facts(
            clinician=State.summary.provider,
            service=State.summary.service,
            place=State.summary.location + " (" + State.summary.forum + ")",
            when=State.summary.day + ", " + State.summary.time,
        ),
        request_actions(
            key="new-client-cancel",
            asking=State.confirming_cancel,
            calendar_url=State.calendar_url,
            consequence="The time is released and nothing is sent to the practice.",
            on_ask=State.ask_to_cancel(True),
            on_keep=State.ask_to_cancel(False),
            on_cancel=State.cancel_request,
        ),
        error_callout(State.error),
        spacing="4",
        width="100%",
    )


def _ended(title: str, detail) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="5", as_="h2"),
        rx.text(detail, color=rx.color("gray", 11)),
        rx.link("Back to the practice's page", href=routes.HOME),
        spacing="3",
        width="100%",
    )


@rx.page(route=routes.NEW_CLIENT, title=f"Request an appointment · {APP_TITLE}", on_load=State.load)
def new_client_page() -> rx.Component:
    """The public wizard, one step at a time."""
    return rx.el.main(
        rx.box(
            rx.vstack(
                brand(State.practice_name),
                rx.heading("Request an appointment", size="7", as_="h1"),
                rx.cond(
                    _step_title() != "",
                    rx.text(_step_title(), size="2", weight="medium", color=rx.color("teal", 11)),
                ),
                rx.card(
                    rx.match(
                        State.step,
                        ("choose", _choose_step()),
                        ("who", _who_step()),
                        ("details", _details_step()),
                        ("sent", _sent_step()),
                        ("cancelled", _ended("Your request was cancelled", words.CANCELLED)),
                        _ended("Requests from new clients", State.closed_detail),
                    ),
                    size="3",
                    width="100%",
                ),
                rx.text(
                    "Already a client? ",
                    rx.link("Sign in", href=routes.LOGIN, underline="always"),
                    size="2",
                    color=rx.color("gray", 11),
                ),
                spacing="4",
                width="100%",
                # The week needs the room; the forms read better narrow.
                max_width=rx.cond(State.step == "choose", "1100px", "720px"),
                margin_x="auto",
            ),
            padding=rx.breakpoints(initial="12px", sm="24px"),
        ),
        style={"min_height": "100vh", "background": rx.color("gray", 2)},
    )


def _step_title() -> rx.Var:
    return rx.match(State.step, *[(step, title) for step, title in _STEP_TITLES.items()], "")

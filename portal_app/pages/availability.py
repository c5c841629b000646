"""The Availability editor: weekly hours, time off and extra hours, with the client's view beside."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.components.appointment_card import empty_state, loading_list, status_badge
from portal_app.components.forms import error_callout
from portal_app.components.week_calendar import calendar_picker, week_navigation
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.pages.template import portal_page
from portal_app.services.availability_forms import MAX_EVERY_N_WEEKS
from portal_app.state.availability import RELEASE
from portal_app.state.availability import AvailabilityState as Page
from portal_app.state.availability_draft import AvailabilityDraftState as Draft
from portal_app.state.availability_preview import AvailabilityPreviewState as Preview

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
REPEATS = [("1", "Every week"), *[(str(n), f"Every {n} weeks") for n in range(2, MAX_EVERY_N_WEEKS + 1)]]


# Form pieces -----------------------------------------------------------------------------------


def _problem(field: str) -> rx.Component:
    return rx.cond(
        Draft.problems.contains(field),
        rx.text(Draft.problems[field], size="1", color=rx.color("red", 11), role="alert"),
    )


def _field(label: str, field: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=f"availability-{field}"),
        control,
        *([rx.text(hint, size="1", color=rx.color("gray", 10))] if hint else []),
        _problem(field),
        spacing="1",
        flex="1",
        min_width="140px",
    )


def _input(label: str, field: str, input_type: str, hint: str = "") -> rx.Component:
    return _field(
        label,
        field,
        rx.input(
            id=f"availability-{field}",
            type=input_type,
            value=getattr(Draft, field),
            on_change=lambda value: Draft.set_field(field, value),
            size="2",
            width="100%",
            color_scheme=rx.cond(Draft.problems.contains(field), "red", "gray"),
        ),
        hint,
    )


def _select(label: str, field: str, options, value, on_change) -> rx.Component:
    return _field(
        label,
        field,
        rx.select.root(
            rx.select.trigger(id=f"availability-{field}", aria_label=label, width="100%"),
            rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
            value=value,
            on_change=on_change,
        ),
    )


def _group(legend: str, field: str, *boxes: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(rx.text(legend, size="2", weight="medium"), padding="0"),
        rx.flex(*boxes, gap="12px", wrap="wrap", padding_top="6px"),
        _problem(field),
        style={"border": "none", "padding": "0", "margin": "0", "min_width": "0"},
    )


def _check(label, checked, on_change) -> rx.Component:
    return rx.checkbox(label, checked=checked, on_change=on_change, size="2")


def _offer_fields() -> rx.Component:
    """Where and what: location, forums and services (weekly hours and extra hours)."""
    return rx.vstack(
        _select(
            "Location",
            "location_id",
            Page.locations,
            Draft.location_id,
            lambda value: Draft.set_field("location_id", value),
        ),
        _group(
            "Forum",
            "forums",
            _check("In-person", Draft.in_person, lambda on: Draft.toggle_forum("in_person", on)),
            _check("Telehealth", Draft.telehealth, lambda on: Draft.toggle_forum("telehealth", on)),
        ),
        _group(
            "Services clients may book",
            "service_ids",
            rx.foreach(
                Page.services,
                lambda o: _check(
                    o.label, Draft.service_ids.contains(o.value), lambda on: Draft.toggle_service(o.value, on)
                ),
            ),
        ),
        spacing="4",
        width="100%",
    )


def _hours(start_label: str = "Start", end_label: str = "End") -> rx.Component:
    return rx.flex(
        _input(start_label, "start", "time"),
        _input(end_label, "end", "time"),
        gap="12px",
        width="100%",
        wrap="wrap",
    )


def _block_fields() -> rx.Component:
    return rx.vstack(
        _group(
            "Days",
            "weekdays",
            *[
                _check(name, Draft.weekdays.contains(index), lambda on, i=index: Draft.toggle_weekday(i, on))
                for index, name in enumerate(WEEKDAYS)
            ],
        ),
        _hours(),
        _field(
            "Repeats",
            "every_n_weeks",
            rx.select.root(
                rx.select.trigger(id="availability-every_n_weeks", aria_label="Repeats", width="100%"),
                rx.select.content(*[rx.select.item(label, value=value) for value, label in REPEATS]),
                value=Draft.every_n_weeks,
                on_change=lambda value: Draft.set_field("every_n_weeks", value),
            ),
        ),
        rx.flex(
            _input("Valid from", "valid_from", "date"),
            _input("Valid until", "valid_until", "date", hint="Optional: leave empty to repeat with no end."),
            gap="12px",
            width="100%",
            wrap="wrap",
        ),
        rx.divider(),
        _offer_fields(),
        spacing="4",
        width="100%",
    )


def _note_field() -> rx.Component:
    return _field(
        "Note (only staff see it)",
        "note",
        rx.input(
            id="availability-note",
            default_value=Draft.note,
            on_blur=Draft.set_note,
            max_length=240,
            placeholder="For example: Conference",
            width="100%",
        ),
    )


def _time_off_fields() -> rx.Component:
    return rx.vstack(
        rx.radio_group.root(
            rx.flex(
                rx.el.label(
                    rx.hstack(rx.radio_group.item(value="whole"), rx.text("Whole days"), spacing="2")
                ),
                rx.el.label(
                    rx.hstack(rx.radio_group.item(value="part"), rx.text("Part of a day"), spacing="2")
                ),
                gap="16px",
                wrap="wrap",
            ),
            value=rx.cond(Draft.whole_days, "whole", "part"),
            on_change=Draft.set_whole_days,
            aria_label="Time off for",
        ),
        rx.cond(
            Draft.whole_days,
            rx.flex(
                _input("First day", "first_day", "date"),
                _input("Last day", "last_day", "date", hint="Optional: leave empty for one day."),
                gap="12px",
                width="100%",
                wrap="wrap",
            ),
            rx.vstack(_input("Day", "first_day", "date"), _hours("From", "To"), spacing="3", width="100%"),
        ),
        _note_field(),
        spacing="4",
        width="100%",
    )


def _extra_hours_fields() -> rx.Component:
    return rx.vstack(
        _input("Day", "first_day", "date"),
        _hours("From", "To"),
        rx.divider(),
        _offer_fields(),
        _note_field(),
        spacing="4",
        width="100%",
    )


def _editor() -> rx.Component:
    title = rx.match(
        Draft.mode,
        ("time_off", "Add time off"),
        ("extra_hours", "Add extra hours"),
        rx.cond(Draft.block_id != 0, "Change weekly hours", "Add weekly hours"),
    )
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="4", as_="h2"),
                rx.badge(rx.icon("globe", size=12), Page.zone_label, variant="surface"),
                justify="between",
                align="center",
                width="100%",
                wrap="wrap",
            ),
            rx.text(
                "Times are in the practice's time zone. The preview shows your changes before you save.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.match(
                Draft.mode,
                ("time_off", _time_off_fields()),
                ("extra_hours", _extra_hours_fields()),
                _block_fields(),
            ),
            rx.flex(
                rx.button("Cancel", variant="soft", color_scheme="gray", on_click=Draft.cancel),
                rx.button("Save", on_click=Draft.save, loading=Draft.saving),
                justify="end",
                gap="12px",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        width="100%",
        role="region",
        aria_label=title,
        id="availability-editor",
        tab_index=-1,
        scroll_margin_top="80px",
    )


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


# Dialogs ---------------------------------------------------------------------------------------


def _confirm_dialog() -> rx.Component:
    ending = Page.confirm == "end_block"
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(
                rx.match(
                    Page.confirm,
                    ("end_block", "End weekly hours"),
                    ("delete_exception", "Delete this exception?"),
                    "Delete weekly hours?",
                )
            ),
            rx.alert_dialog.description(Page.confirm_title, size="2", weight="medium"),
            rx.cond(
                ending,
                rx.vstack(
                    rx.el.label(
                        rx.text("Last day", size="2", weight="medium"), html_for="availability-end-day"
                    ),
                    rx.input(
                        id="availability-end-day",
                        type="date",
                        value=Page.end_day,
                        on_change=Page.set_end_day,
                        width="100%",
                    ),
                    rx.text(
                        "No sessions can be booked in these hours after this day.",
                        size="1",
                        color=rx.color("gray", 10),
                    ),
                    rx.cond(
                        Page.end_error != "",
                        rx.text(Page.end_error, size="1", color=rx.color("red", 11), role="alert"),
                    ),
                    spacing="1",
                    padding_top="12px",
                ),
                rx.text(
                    "Clients will no longer be able to request these times.",
                    size="2",
                    color=rx.color("gray", 11),
                    padding_top="8px",
                ),
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(
                    rx.cond(ending, "End", "Delete"),
                    color_scheme=rx.cond(ending, "teal", "red"),
                    on_click=Page.confirm_change,
                ),
                justify="end",
                gap="12px",
                margin_top="16px",
            ),
            max_width="460px",
        ),
        open=Page.confirm != "",
        on_open_change=Page.set_confirm_open,
    )


def _affected_card(row) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(row.client, weight="bold"),
                status_badge(row.status, row.status_label),
                align="center",
                spacing="2",
            ),
            rx.text(row.day, " · ", row.time, " · ", row.service, size="2", color=rx.color("gray", 11)),
            rx.radio_group.root(
                rx.flex(
                    rx.el.label(rx.hstack(rx.radio_group.item(value="keep"), rx.text("Keep"), spacing="2")),
                    rx.el.label(
                        rx.hstack(rx.radio_group.item(value=RELEASE), rx.text(row.release_label), spacing="2")
                    ),
                    gap="16px",
                    wrap="wrap",
                ),
                value=Page.decisions.get(row.key, ""),
                on_change=lambda choice: Page.choose_decision(row.key, choice),
                aria_label="What to do with " + row.client + "'s session on " + row.day,
            ),
            rx.cond(
                Page.decisions.get(row.key, "") == RELEASE,
                rx.text_area(
                    placeholder="Message to the client (optional)",
                    aria_label="Message to " + row.client + " (optional)",
                    on_blur=lambda text: Page.set_decision_message(row.key, text),
                    max_length=MAX_MESSAGE_LENGTH,
                    rows="2",
                    width="100%",
                ),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        role="group",
        aria_label=row.client + ", " + row.day + ", " + row.status_label,
    )


def _decisions_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Before saving"),
            rx.dialog.description(
                "These sessions would be outside the new availability. Keep each one, or decline or "
                "cancel it with a message — the client is told by email. Nothing is saved until you "
                "press Save changes.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.vstack(
                rx.foreach(Page.affected, _affected_card),
                error_callout(Page.decide_error),
                spacing="3",
                width="100%",
                padding_top="12px",
                max_height="60vh",
                overflow_y="auto",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Don't save", variant="soft", color_scheme="gray")),
                rx.button("Save changes", on_click=Page.save_with_decisions),
                justify="end",
                gap="12px",
                margin_top="16px",
            ),
            max_width="560px",
        ),
        open=Page.deciding,
        on_open_change=Page.set_deciding,
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
            _confirm_dialog(),
            _decisions_dialog(),
            _header(),
            rx.cond(
                Page.flash != "",
                rx.callout(
                    Page.flash, icon="circle-check", color_scheme="green", role="status", width="100%"
                ),
            ),
            error_callout(Page.flash_error),
            rx.flex(
                rx.box(rx.cond(Draft.mode != "", _editor(), _lists()), flex="1 1 380px", min_width="0"),
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

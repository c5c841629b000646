"""The Availability page's side panel: the form for weekly hours, time off or extra hours.

Each field reports its whole value when it changes (the preview follows the draft), and shows
the server's message for it beside it.
"""

from __future__ import annotations

import reflex as rx

from portal_app.services.availability_forms import MAX_EVERY_N_WEEKS, MAX_NOTE_LENGTH
from portal_app.state.availability import AvailabilityState as Page
from portal_app.state.availability_draft import AvailabilityDraftState as Draft

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
            max_length=MAX_NOTE_LENGTH,
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


def availability_form() -> rx.Component:
    """The side panel: weekly hours, time off or extra hours, with Save and Cancel."""
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

"""The drag-to-select week calendar: a small React component (assets/week_picker.jsx) wrapped.

While the pointer moves, the browser alone draws the selection; the server hears one
``on_select(start_epoch_seconds, minutes)`` when it is released, or on a click, tap, Enter or
Space (at the ``length`` preferred, where the cell allows it), or on Shift+ArrowDown/Up (the next
longer or shorter length). The server re-checks every bound of what it is told.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.assets import WEEK_PICKER
from portal_app.domain.calendar_view import CellChoice, DayHeading, Mark, RowHeading


class WeekPicker(rx.Component):
    """Days × rows at the practice's increment; free, greyed and own cells; one event per choice."""

    library = WEEK_PICKER.importable_path
    tag = "WeekPicker"

    # One ``DayHeading`` per day column.
    days: Var[list[DayHeading]]
    # One ``RowHeading`` per row (``hour`` marks the first row of an hour).
    rows: Var[list[RowHeading]]
    # states[day][row]: "free" | "unavailable" | "your_request" | "your_appointment" | "open".
    states: Var[list[list[str]]]
    # lengths[day][row]: the session lengths (minutes) that may start in that cell.
    lengths: Var[list[list[list[int]]]]
    # starts[day][row]: the cell's start as UTC epoch seconds.
    starts: Var[list[list[int]]]
    increment: Var[int]
    # ``Mark``s drawn over the grid; those with an id are buttons calling ``on_open_mark(id)``.
    marks: Var[list[Mark]]
    # The ``CellChoice`` confirmed by the server, or null.
    selected: Var[CellChoice | None]
    label: Var[str]
    # The length (minutes) a click, tap, Enter or Space chooses where the cell allows it; 0: the shortest.
    length: Var[int]

    on_select: rx.EventHandler[lambda start, minutes: [start, minutes]]
    on_open_mark: rx.EventHandler[lambda mark_id: [mark_id]]


week_picker = WeekPicker.create


def calendar_picker(calendar: Var, *, label: str, **events) -> rx.Component:
    """The week picker fed from one state var holding a ``CalendarView``."""
    return week_picker(
        days=calendar.days,
        rows=calendar.rows,
        states=calendar.states,
        lengths=calendar.lengths,
        starts=calendar.starts,
        marks=calendar.marks,
        increment=calendar.increment,
        label=label,
        **events,
    )


def week_navigation(week_label: Var, on_step) -> rx.Component:
    """Previous week, the week shown, next week; ``on_step(-1 | 1)`` returns the event."""
    return rx.hstack(
        rx.icon_button(
            rx.icon("chevron-left"), variant="soft", on_click=on_step(-1), aria_label="Previous week"
        ),
        rx.text(week_label, weight="medium", min_width="190px", align="center"),
        rx.icon_button(rx.icon("chevron-right"), variant="soft", on_click=on_step(1), aria_label="Next week"),
        align="center",
        spacing="2",
    )


def selection_status(selection_label: Var) -> rx.Component:
    """The chosen time in words, announced when it changes (empty: nothing chosen yet).

    The status region is in the page from the start, so screen readers announce what enters it.
    """
    return rx.box(
        rx.cond(
            selection_label != "",
            rx.hstack(
                rx.icon("calendar-check", size=16, color=rx.color("teal", 11)),
                rx.text("Selected: ", rx.text.strong(selection_label), size="2"),
                align="center",
            ),
        ),
        role="status",
        width="100%",
    )


def length_control(options: Var, value: Var, on_change) -> rx.Component:
    """The session lengths offered, as radio buttons: what a click, tap or Enter chooses.

    Shown when there is more than one, so a length is chosen without dragging (WCAG 2.5.7).
    """
    return rx.cond(
        options.length() > 1,
        rx.hstack(
            rx.text("Length", size="2", weight="bold", id="week-length-label"),
            rx.segmented_control.root(
                rx.foreach(options, lambda o: rx.segmented_control.item(o.label, value=o.value)),
                value=value,
                on_change=on_change,
                size="2",
                aria_labelledby="week-length-label",
            ),
            align="center",
            spacing="2",
        ),
    )


def week_header(week_label: Var, on_step, zone_label: Var, *extra: rx.Component) -> rx.Component:
    """Week navigation (and ``extra`` controls beside it), with the zone the times are in."""
    return rx.flex(
        rx.hstack(week_navigation(week_label, on_step), *extra, align="center", spacing="2", wrap="wrap"),
        rx.badge(rx.icon("globe", size=12), "Times in ", zone_label, variant="surface"),
        justify="between",
        align="center",
        wrap="wrap",
        gap="8px",
        width="100%",
    )


def legend_swatch(text: str, background: str) -> rx.Component:
    """One entry of a calendar's legend: a small square of the cell's colour and its meaning."""
    return rx.hstack(
        rx.box(
            width="14px",
            height="14px",
            border_radius="4px",
            background=background,
            border=f"1px solid {rx.color('gray', 6)}",
        ),
        rx.text(text, size="1", color=rx.color("gray", 11)),
        spacing="1",
        align="center",
    )

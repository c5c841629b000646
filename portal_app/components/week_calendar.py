"""The drag-to-select week calendar: a small React component (assets/week_picker.jsx) wrapped.

While the pointer moves, the browser alone draws the selection; the server hears one
``on_select(start_epoch_seconds, minutes)`` when it is released, or on a click, double-click,
Enter or Space. The server re-checks every bound of what it is told.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.assets import WEEK_PICKER


class WeekPicker(rx.Component):
    """Days × rows at the practice's increment; free, greyed and own cells; one event per choice."""

    library = WEEK_PICKER.importable_path
    tag = "WeekPicker"

    # [{"key", "short", "long"}] per day column.
    days: Var[list[dict[str, str]]]
    # [{"key", "label", "hour"}] per row (``hour`` marks the first row of an hour).
    rows: Var[list[dict]]
    # states[day][row]: "free" | "unavailable" | "your_request" | "your_appointment" | "open".
    states: Var[list[list[str]]]
    # lengths[day][row]: the session lengths (minutes) that may start in that cell.
    lengths: Var[list[list[list[int]]]]
    # starts[day][row]: the cell's start as UTC epoch seconds.
    starts: Var[list[list[int]]]
    increment: Var[int]
    # [{"day", "row", "minutes", "text", "tone", "id"?, "label"?}]: blocks drawn over the grid;
    # those with an id are buttons calling ``on_open_mark(id)``.
    marks: Var[list[dict]]
    # {"day", "row", "minutes"} confirmed by the server, or null.
    selected: Var[dict | None]
    label: Var[str]

    on_select: rx.EventHandler[lambda start, minutes: [start, minutes]]
    on_open_mark: rx.EventHandler[lambda mark_id: [mark_id]]


week_picker = WeekPicker.create

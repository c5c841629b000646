"""The week grid in the shape the browser calendar draws: rectangular rows × days, with labels."""

from __future__ import annotations

from dataclasses import dataclass

from portal_app.domain.time_display import clock_label
from portal_app.domain.week_grid import CellState, WeekGrid

_OWN_MARKS = {
    CellState.YOUR_REQUEST: ("Your request", "request"),
    CellState.YOUR_APPOINTMENT: ("Your appointment", "appointment"),
}


@dataclass(frozen=True)
class CalendarView:
    """Everything the week picker needs, as plain lists; ``starts[d][r]`` is 0 where no cell is."""

    days: list[dict[str, str]]
    rows: list[dict]
    states: list[list[str]]
    lengths: list[list[list[int]]]
    starts: list[list[int]]
    marks: list[dict]
    increment: int

    def as_props(self) -> dict:
        """The view as the week picker's props (plus ``has_free_time``), kept in page state."""
        return {
            "days": self.days,
            "rows": self.rows,
            "states": self.states,
            "lengths": self.lengths,
            "starts": self.starts,
            "marks": self.marks,
            "increment": self.increment,
            "has_free_time": any(CellState.FREE in day for day in self.states),
        }


def locate(props: dict, start: int, minutes: int) -> dict | None:
    """In calendar ``props``, the ``{day, row, minutes}`` of a free cell at ``start`` allowing ``minutes``."""
    for day, day_starts in enumerate(props.get("starts", [])):
        if start in day_starts:
            row = day_starts.index(start)
            if props["states"][day][row] == CellState.FREE and minutes in props["lengths"][day][row]:
                return {"day": day, "row": row, "minutes": minutes}
    return None


def calendar_view(grid: WeekGrid) -> CalendarView:
    """Lay ``grid`` out row by row; the viewer's own sessions become labelled marks."""
    row_of = {value: index for index, value in enumerate(grid.rows)}
    size = len(grid.rows)
    states = [[CellState.UNAVAILABLE.value] * size for _ in grid.days]
    lengths: list[list[list[int]]] = [[[] for _ in range(size)] for _ in grid.days]
    starts = [[0] * size for _ in grid.days]
    marks: list[dict] = []
    for d, day in enumerate(grid.days):
        current_mark: dict | None = None
        for start, cell in zip(day.start_seconds, day.cells(), strict=True):
            r = row_of[cell.local_time]
            if starts[d][r]:
                # The viewer's clocks went back: the repeated wall-clock time keeps its first instant.
                continue
            states[d][r] = cell.state.value
            lengths[d][r] = list(cell.durations_minutes)
            starts[d][r] = start
            if cell.state in _OWN_MARKS:
                if current_mark and current_mark["id"] == cell.appointment_id:
                    current_mark["minutes"] += grid.increment_minutes
                    continue
                text, tone = _OWN_MARKS[cell.state]
                current_mark = {
                    "day": d,
                    "row": r,
                    "minutes": grid.increment_minutes,
                    "text": text,
                    "tone": tone,
                }
                current_mark["id"] = cell.appointment_id
                marks.append(current_mark)
            else:
                current_mark = None
    return CalendarView(
        days=[
            {
                "key": day.day.isoformat(),
                "short": f"{day.day:%a} {day.day.day}",
                "long": f"{day.day:%A} {day.day.day} {day.day:%B}",
            }
            for day in grid.days
        ],
        rows=[
            {"key": value.isoformat(), "label": clock_label(value), "hour": value.minute == 0}
            for value in grid.rows
        ],
        states=states,
        lengths=lengths,
        starts=starts,
        marks=[{key: value for key, value in mark.items() if key != "id"} for mark in marks],
        increment=grid.increment_minutes,
    )

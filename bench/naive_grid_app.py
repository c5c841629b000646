"""A bare Reflex app for comparison: a grid of cells with Reflex mouse events, and a counter.

Run by ``bench/drag_frames.py`` as its own project in a temporary folder; not part of the portal.
"""

import reflex as rx

DAYS, ROWS = 7, 32


class GridState(rx.State):
    """Selection kept on the server, one event per cell the pointer enters."""

    anchor: int = -1
    selected: list[int] = []
    dragging: bool = False
    count: int = 0

    @rx.event
    def press(self, cell: int):
        self.dragging, self.anchor, self.selected = True, cell, [cell]

    @rx.event
    def enter(self, cell: int):
        if self.dragging and cell % DAYS == self.anchor % DAYS:
            low, high = sorted((self.anchor, cell))
            self.selected = list(range(low, high + 1, DAYS))

    @rx.event
    def release(self):
        self.dragging = False

    @rx.event
    def increment(self):
        self.count += 1


def _cell(index: int) -> rx.Component:
    return rx.box(
        id=f"cell-{index}",
        on_mouse_down=GridState.press(index),
        on_mouse_enter=GridState.enter(index),
        on_mouse_up=GridState.release,
        background=rx.cond(GridState.selected.contains(index), "teal", "white"),
        border="1px solid #ddd",
        height="22px",
    )


def index() -> rx.Component:
    return rx.vstack(
        rx.button("Add one", on_click=GridState.increment),
        rx.text(GridState.count, id="count"),
        rx.text(GridState.selected.length(), id="selected-count"),
        rx.grid(
            *[_cell(i) for i in range(DAYS * ROWS)], columns=str(DAYS), width="700px", user_select="none"
        ),
    )


app = rx.App()
app.add_page(index)

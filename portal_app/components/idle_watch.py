"""The warning before a staff session ends for want of activity (assets/idle_watch.jsx wrapped).

The browser only times it: ``on_warn`` a couple of minutes before the deadline the server gave,
``on_end`` just after it. The server refuses any event after the idle time whatever the page does.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.assets import IDLE_WATCH


class IdleWatch(rx.Component):
    """Calls ``on_warn`` ``warn_before`` ms before ``deadline`` (epoch ms), ``on_end`` after it."""

    library = IDLE_WATCH.importable_path
    tag = "IdleWatch"

    deadline: Var[int]
    warn_before: Var[int]

    on_warn: rx.EventHandler[lambda: []]
    on_end: rx.EventHandler[lambda: []]


def idle_warning(
    *, deadline: Var, warn_before_ms: int, is_open: Var, minutes: Var, on_warn, on_end, on_stay, on_sign_out
) -> rx.Component:
    """The timer and the dialog it opens: "Stay signed in" or "Log out"."""
    return rx.fragment(
        IdleWatch.create(deadline=deadline, warn_before=warn_before_ms, on_warn=on_warn, on_end=on_end),
        rx.alert_dialog.root(
            rx.alert_dialog.content(
                rx.alert_dialog.title("Are you still there?"),
                rx.alert_dialog.description(
                    "To protect your clients' information, the portal signs you out after ",
                    minutes,
                    " minutes without activity. You will be signed out in about two minutes.",
                    size="2",
                ),
                rx.flex(
                    rx.alert_dialog.cancel(
                        rx.button("Log out", variant="soft", color_scheme="gray", on_click=on_sign_out)
                    ),
                    rx.alert_dialog.action(rx.button("Stay signed in", on_click=on_stay)),
                    spacing="3",
                    justify="end",
                    margin_top="16px",
                ),
                max_width="440px",
            ),
            open=is_open,
        ),
    )

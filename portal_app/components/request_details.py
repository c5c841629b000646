"""A request's facts as a short list: with whom, what, where, when."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var


def _fact(label: str, value: Var | str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", weight="bold", min_width="90px", color=rx.color("gray", 11)),
        rx.text(value, size="2"),
        spacing="3",
        align="start",
        width="100%",
    )


def request_facts(
    *, clinician: Var | str, service: Var | str, place: Var | str, when: Var | str
) -> rx.Component:
    """The request's clinician, service, place and time (with its zone), one per line."""
    return rx.vstack(
        _fact("With", clinician),
        _fact("Service", service),
        _fact("Where", place),
        _fact("When", when),
        spacing="2",
        width="100%",
    )

"""How one appointment looks in a list."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.focus import returns_focus
from portal_app.domain.vocabulary import AppointmentStatus

STATUS_COLORS = {
    AppointmentStatus.UNCONFIRMED.value: "gray",
    AppointmentStatus.REQUESTED.value: "amber",
    AppointmentStatus.PROPOSED.value: "iris",
    AppointmentStatus.CONFIRMED.value: "green",
    AppointmentStatus.DECLINED.value: "red",
    AppointmentStatus.WITHDRAWN.value: "gray",
    AppointmentStatus.CANCELLED.value: "gray",
    AppointmentStatus.COMPLETED.value: "blue",
    AppointmentStatus.NO_SHOW.value: "orange",
    AppointmentStatus.EXPIRED.value: "gray",
}


def status_badge(status: Var, label: Var) -> rx.Component:
    """The status as a coloured badge with its word (colour is never the only cue)."""
    return rx.badge(
        label,
        color_scheme=rx.match(status, *STATUS_COLORS.items(), "gray"),
        variant="soft",
        size="2",
        radius="full",
    )


# A space between the card's blocks: flex and grid layouts do not draw it, but text read from the
# page (speech input matching what is seen, axe's check of the name) keeps its words apart.
WORD_BREAK = " "


def appointment_card(row: Var, *, show_client: bool = False, on_open=None) -> rx.Component:
    """Date, time, who, what, where and status of one appointment.

    With ``on_open`` (a function of the row returning an event) the card is a button that
    opens the appointment's details.
    """
    who = row.client if show_client else row.clinician
    # The name says everything the card shows, in the order it shows it (so speech input can
    # name the card by any run of words on it, and a screen reader hears what is seen).
    label = (
        row.day
        + ", "
        + row.time
        + ", "
        + who
        + ", "
        + row.service
        + ", "
        + row.where
        + rx.cond(row.moves != "", ", New time for the appointment of " + row.moves, "")
        + rx.cond(row.message != "", ", Message from your therapist: " + row.message, "")
        + ", "
        + row.status_label
    )
    card = rx.card(
        # One grid: when · what · status on a wide screen; on a phone the day and its status
        # share the first line and who and what take the whole width below.
        rx.grid(
            rx.vstack(
                rx.text(row.day, weight="bold", size="3"),
                WORD_BREAK,
                rx.text(row.time, size="2", color=rx.color("gray", 11)),
                spacing="1",
                grid_area="when",
            ),
            WORD_BREAK,
            rx.vstack(
                rx.text(who, weight="medium", size="3"),
                WORD_BREAK,
                rx.hstack(
                    rx.icon(rx.cond(row.telehealth, "video", "map-pin"), size=14, flex_shrink="0"),
                    rx.text(row.service, " · ", row.where, size="2"),
                    align="center",
                    spacing="1",
                    color=rx.color("gray", 11),
                ),
                WORD_BREAK,
                rx.cond(
                    row.moves != "",
                    rx.text(
                        rx.icon("arrow-right-left", size=14, display="inline", margin_right="4px"),
                        "New time for the appointment of ",
                        row.moves,
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                ),
                WORD_BREAK,
                rx.cond(
                    row.message != "",
                    rx.text(
                        "Message from your therapist: ",
                        rx.text.em(row.message),
                        size="2",
                        color=rx.color("gray", 11),
                    ),
                ),
                spacing="1",
                flex="1",
                min_width="0",
                grid_area="what",
            ),
            WORD_BREAK,
            rx.box(status_badge(row.status, row.status_label), grid_area="status", justify_self="end"),
            grid_template_columns=rx.breakpoints(initial="1fr auto", sm="190px 1fr auto"),
            grid_template_areas=rx.breakpoints(initial='"when status" "what what"', sm='"when what status"'),
            gap="12px",
            align_items="start",
            width="100%",
        ),
        width="100%",
        role=None if on_open is not None else "group",
        aria_label=None if on_open is not None else label,
        _hover={"border_color": rx.color("teal", 8)} if on_open is not None else {},
    )
    if on_open is None:
        return card
    # A native button: focusable, and Enter/Space open it, without extra wiring.
    return rx.el.button(
        card,
        on_click=on_open(row),
        aria_label=label,
        style={
            "all": "unset",
            "display": "block",
            "width": "100%",
            "cursor": "pointer",
            "border_radius": "12px",
            "&:focus-visible": {"outline": f"2px solid {rx.color('teal', 8)}", "outline_offset": "2px"},
        },
    )


def empty_state(icon: str, title: str, detail: str, action: rx.Component | None = None) -> rx.Component:
    """What an empty list says instead of nothing."""
    return rx.card(
        rx.vstack(
            rx.icon(icon, size=28, color=rx.color("gray", 9)),
            rx.text(title, weight="medium"),
            rx.text(detail, size="2", color=rx.color("gray", 11), align="center"),
            *([action] if action is not None else []),
            align="center",
            spacing="2",
            padding_y="16px",
        ),
        variant="surface",
        width="100%",
    )


def section(
    title: str, rows: Var, empty: rx.Component, *, show_client: bool = False, on_open=None
) -> rx.Component:
    """A titled list of appointments, or its empty state."""
    return rx.vstack(
        rx.heading(title, size="4", as_="h2"),
        rx.cond(
            rows.length() > 0,
            rx.vstack(
                rx.foreach(rows, lambda row: appointment_card(row, show_client=show_client, on_open=on_open)),
                spacing="3",
                width="100%",
            ),
            empty,
        ),
        spacing="3",
        width="100%",
    )


def _detail_line(icon: str, text) -> rx.Component:
    return rx.hstack(
        rx.icon(icon, size=16, color=rx.color("gray", 10)),
        rx.text(text, size="2"),
        align="center",
        spacing="2",
    )


def calendar_file_button(url: Var) -> rx.Component:
    """ "Add to calendar": a plain link (not the app's router) that downloads the .ics file."""
    return rx.button(
        rx.el.a(
            rx.icon("calendar-plus", size=16), "Add to calendar", href=url, download=True, target="_blank"
        ),
        as_child=True,
        variant="soft",
    )


def appointment_dialog(
    detail: Var,
    error: Var | str,
    is_open: Var,
    on_open_change,
    *,
    extra: rx.Component | None = None,
    calendar_url: Var | None = None,
    show_client: bool = False,
) -> rx.Component:
    """The details of one appointment (plus ``extra`` below them), or why they cannot be shown.

    With ``calendar_url`` the dialog offers "Add to calendar" (when the URL is not empty); with
    ``show_client`` (staff) it names the client first, then the clinician.
    """
    people = (
        [_detail_line("user", detail.client), _detail_line("stethoscope", detail.clinician)]
        if show_client
        else [_detail_line("user", detail.clinician)]
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(error != "", "Appointment", detail.service)),
            rx.cond(
                error != "",
                rx.callout(error, icon="circle-alert", color_scheme="red", role="alert"),
                rx.vstack(
                    status_badge(detail.status, detail.status_label),
                    _detail_line("calendar", detail.day),
                    _detail_line("clock", detail.time),
                    *people,
                    _detail_line(rx.cond(detail.telehealth, "video", "map-pin"), detail.where),
                    rx.cond(detail.message != "", _detail_line("message-square", detail.message)),
                    *([extra] if extra is not None else []),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.flex(
                *(
                    [rx.cond(calendar_url != "", calendar_file_button(calendar_url))]
                    if calendar_url is not None
                    else []
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                justify="end",
                gap="12px",
                margin_top="16px",
            ),
            max_width="440px",
            **returns_focus(),
        ),
        open=is_open,
        on_open_change=on_open_change,
    )


def loading_list() -> rx.Component:
    """Placeholders while a list loads."""
    return rx.vstack(*[rx.skeleton(height="72px", width="100%") for _ in range(3)], width="100%")

"""The Clients page: a searchable directory of the viewer's clients, and each client's record."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.account_badge import account_badge
from portal_app.components.appointment_card import empty_state, loading_list
from portal_app.components.forms import info_callout
from portal_app.pages.client_dialogs import MUTED, add_client_dialog, client_dialog
from portal_app.pages.team import account_dialogs, account_notice
from portal_app.pages.template import portal_page
from portal_app.state.clients import MAX_SEARCH_LENGTH
from portal_app.state.clients import ClientsState as State

COLUMNS = ("Name", "Email", "Phone", "Next appointment", "Portal account")


def _name_button(row: Var, **props) -> rx.Component:
    """The client's name as the button that opens their details (its accessible name is the name)."""
    return rx.el.button(
        row.name,
        on_click=State.open_client(row.id),
        custom_attrs={"data-client-button": row.id},
        style={
            "all": "unset",
            "cursor": "pointer",
            "font_weight": "600",
            "color": rx.color("teal", 11),
            "border_radius": "4px",
            "&:hover": {"text_decoration": "underline"},
            "&:focus-visible": {"outline": f"2px solid {rx.color('teal', 8)}", "outline_offset": "2px"},
        },
        **props,
    )


def _next_appointment(row: Var) -> rx.Component:
    return rx.cond(
        row.next_appointment != "",
        rx.hstack(
            rx.text(row.next_appointment, size="2"),
            rx.cond(
                row.next_unconfirmed,
                rx.badge("Unconfirmed", color_scheme="amber", variant="soft", radius="full"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.text("None booked", size="2", color=MUTED),
    )


def _table_row(row: Var) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(_name_button(row)),
        rx.table.cell(rx.text(row.email, size="2")),
        rx.table.cell(rx.text(row.phone, size="2", white_space="nowrap")),
        rx.table.cell(_next_appointment(row)),
        rx.table.cell(account_badge(row.account, row.account_label)),
        align="center",
    )


def _phone_card(row: Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    _name_button(row),
                    account_badge(row.account, row.account_label),
                    justify="between",
                    align="center",
                    width="100%",
                    wrap="wrap",
                ),
                rx.text(row.email, size="2", color=MUTED, word_break="break-all"),
                rx.cond(row.phone != "", rx.text(row.phone, size="2", color=MUTED)),
                rx.hstack(
                    rx.icon("calendar", size=14, color=rx.color("gray", 10)),
                    _next_appointment(row),
                    spacing="2",
                    align="center",
                ),
                spacing="1",
                width="100%",
            ),
            width="100%",
        ),
        style={"list_style": "none"},
    )


def _client_list() -> rx.Component:
    return rx.fragment(
        rx.desktop_only(
            rx.card(
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(name) for name in COLUMNS])),
                    rx.table.body(rx.foreach(State.clients, _table_row)),
                    variant="ghost",
                    width="100%",
                ),
                width="100%",
                overflow_x="auto",
            ),
            width="100%",
        ),
        rx.mobile_and_tablet(
            rx.el.ul(
                rx.foreach(State.clients, _phone_card),
                style={"display": "grid", "gap": "12px", "padding": "0", "margin": "0"},
                aria_label="Clients",
            ),
            width="100%",
        ),
    )


def _count_line() -> rx.Component:
    return rx.hstack(
        rx.text(
            rx.cond(
                State.search == "",
                State.total.to_string() + rx.cond(State.total == 1, " client", " clients"),
                State.matching.to_string() + " of " + State.total.to_string() + " clients match",
            ),
            size="2",
            color=MUTED,
            role="status",
        ),
        rx.text("Times in " + State.zone, size="2", color=MUTED),
        justify="between",
        width="100%",
        wrap="wrap",
    )


def _more() -> rx.Component:
    return rx.cond(
        State.clients.length() < State.matching,
        rx.hstack(
            rx.text(
                "Showing ",
                State.clients.length(),
                " of ",
                State.matching,
                " — refine your search, or",
                size="2",
                color=MUTED,
            ),
            rx.button("Show more", variant="soft", on_click=State.show_more),
            align="center",
            justify="center",
            width="100%",
            wrap="wrap",
        ),
    )


def _search_box() -> rx.Component:
    return rx.input(
        rx.input.slot(rx.cond(State.searching, rx.spinner(size="1"), rx.icon("search", size=16))),
        # Uncontrolled, and one search once typing pauses (a frontend debounce, no extra package).
        on_change=State.search_clients.debounce(300),
        type="search",
        placeholder="Search by name, email or phone",
        aria_label="Search clients",
        max_length=MAX_SEARCH_LENGTH,
        size="3",
        width="100%",
    )


def _empty() -> rx.Component:
    return rx.cond(
        State.total == 0,
        empty_state(
            "users",
            "No clients yet",
            rx.cond(
                State.can_add,
                "Add a client, or they appear here when they request an appointment.",
                "Clients appear here once they have an appointment or a request with you.",
            ),
        ),
        empty_state(
            "search-x",
            "No client matches “" + State.search + "”",
            "Check the spelling, or search by part of the email or phone number.",
        ),
    )


@portal_page(route=routes.CLIENTS, title="Clients", on_load=[State.load])
def clients_page() -> rx.Component:
    """The viewer's clients (a clinician's own, all for an admin), searchable, with their records."""
    return rx.vstack(
        client_dialog(),
        account_dialogs(),
        account_notice(),
        rx.hstack(
            rx.box(_search_box(), flex="1", min_width="220px"),
            rx.cond(State.can_add, add_client_dialog()),
            align="center",
            spacing="3",
            width="100%",
            wrap="wrap",
        ),
        info_callout(State.notice),
        rx.cond(
            State.loaded,
            rx.vstack(
                _count_line(),
                rx.cond(State.clients.length() > 0, _client_list(), _empty()),
                _more(),
                spacing="3",
                width="100%",
            ),
            loading_list(),
        ),
        spacing="4",
        width="100%",
    )

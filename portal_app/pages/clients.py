"""The Clients page: a searchable directory of the viewer's clients, and each client's record."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.appointment_card import empty_state, loading_list, status_badge
from portal_app.components.forms import info_callout
from portal_app.domain.vocabulary import AccountStatus
from portal_app.pages.template import portal_page
from portal_app.services.clients import MAX_SEARCH_LENGTH
from portal_app.state.clients import ClientsState as State

ACCOUNT_COLORS = {
    AccountStatus.NO_ACCOUNT.value: "gray",
    AccountStatus.ACTIVE.value: "green",
    AccountStatus.DEACTIVATED.value: "red",
}
COLUMNS = ("Name", "Email", "Phone", "Next appointment", "Portal account")
MUTED = rx.color("gray", 11)
# After the details dialog closes, focus goes back to the button that opened it (Radix only
# does this for its own trigger); the list and the phone cards each have one, one is visible.
_RETURN_FOCUS = (
    "Array.from(document.querySelectorAll('[data-client-button=\"' + {id} + '\"]'))"
    ".find((button) => button.offsetParent !== null)?.focus()"
)


def _account_badge(account: Var, label: Var) -> rx.Component:
    return rx.badge(
        label, color_scheme=rx.match(account, *ACCOUNT_COLORS.items(), "gray"), variant="soft", radius="full"
    )


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
        rx.table.cell(_account_badge(row.account, row.account_label)),
        align="center",
    )


def _phone_card(row: Var) -> rx.Component:
    return rx.el.li(
        rx.card(
            rx.vstack(
                rx.hstack(
                    _name_button(row),
                    _account_badge(row.account, row.account_label),
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


def _field(label: str, name: str, **props) -> rx.Component:
    """A labelled field of the Add client form, with the server's message beside it."""
    field_id, error_id = f"new-client-{name}", f"new-client-{name}-error"
    has_error = State.add_errors.contains(name)
    return rx.vstack(
        rx.el.label(rx.text(label, size="2", weight="medium"), html_for=field_id),
        rx.input(
            id=field_id,
            name=name,
            size="3",
            width="100%",
            aria_invalid=rx.cond(has_error, "true", "false"),
            aria_describedby=error_id,
            color_scheme=rx.cond(has_error, "red", "gray"),
            **props,
        ),
        rx.cond(
            has_error,
            rx.text(State.add_errors[name], id=error_id, size="2", color=rx.color("red", 11)),
        ),
        spacing="1",
        width="100%",
    )


def _add_client_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("user-plus", size=16), "Add client", size="3")),
        rx.dialog.content(
            rx.dialog.title("Add client"),
            rx.dialog.description(
                "Their details are kept with the practice; a portal account can be set up afterwards.",
                size="2",
                color=MUTED,
            ),
            rx.form(
                rx.vstack(
                    _field("Full name", "full_name", auto_complete="off", max_length=120),
                    _field("Email", "email", type="email", auto_complete="off", max_length=254),
                    _field("Phone (optional)", "phone", type="tel", auto_complete="off", max_length=40),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Add client", type="submit"),
                        justify="end",
                        gap="12px",
                        width="100%",
                        margin_top="8px",
                    ),
                    spacing="4",
                    margin_top="16px",
                ),
                on_submit=State.add_client,
                reset_on_submit=False,
                no_validate=True,
            ),
            max_width="480px",
        ),
        open=State.adding_open,
        on_open_change=State.set_adding_open,
    )


def _history_line(row: Var) -> rx.Component:
    return rx.el.li(
        rx.hstack(
            rx.vstack(
                rx.text(row.day, size="2", weight="medium"),
                rx.text(row.time, size="1", color=MUTED),
                spacing="0",
                min_width="180px",
            ),
            rx.vstack(
                rx.text(row.service, size="2"),
                rx.text(
                    row.clinician + " · " + row.where,
                    size="1",
                    color=MUTED,
                ),
                spacing="0",
                flex="1",
                min_width="150px",
            ),
            status_badge(row.status, row.status_label),
            align="center",
            spacing="3",
            wrap="wrap",
            width="100%",
        ),
        style={"list_style": "none", "padding": "10px 0", "border_top": f"1px solid {rx.color('gray', 4)}"},
    )


def _history(title: str, rows: Var, empty: str) -> rx.Component:
    return rx.vstack(
        rx.heading(title, size="3", as_="h3"),
        rx.cond(
            rows.length() > 0,
            rx.el.ul(rx.foreach(rows, _history_line), style={"padding": "0", "margin": "0", "width": "100%"}),
            rx.text(empty, size="2", color=MUTED),
        ),
        spacing="1",
        width="100%",
    )


def _contact_line(icon: str, content: rx.Component) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=16, color=rx.color("gray", 10)), content, align="center", spacing="2")


def _account_section() -> rx.Component:
    """The client's portal account (invitations add their state and buttons here)."""
    detail = State.detail
    return rx.hstack(
        rx.text("Portal account", size="2", weight="medium"),
        _account_badge(detail.account, detail.account_label),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def _attendees() -> rx.Component:
    return rx.cond(
        State.detail_attendees.length() > 0,
        rx.vstack(
            rx.heading("Also seen on their appointments", size="3", as_="h3"),
            rx.el.ul(
                rx.foreach(
                    State.detail_attendees,
                    lambda person: rx.el.li(
                        rx.text(
                            person.name,
                            rx.cond(person.about != "", rx.text.span(" · " + person.about, color=MUTED)),
                            size="2",
                        ),
                        style={"list_style": "none"},
                    ),
                ),
                style={"padding": "0", "margin": "0"},
            ),
            spacing="1",
            width="100%",
        ),
    )


def _record() -> rx.Component:
    detail = State.detail
    return rx.vstack(
        rx.vstack(
            _contact_line("mail", rx.link(detail.email, href="mailto:" + detail.email, size="2")),
            _contact_line(
                "phone",
                rx.cond(
                    detail.phone != "",
                    rx.link(detail.phone, href="tel:" + detail.phone, size="2"),
                    rx.text("No phone", size="2", color=MUTED),
                ),
            ),
            spacing="2",
        ),
        _account_section(),
        _attendees(),
        rx.text("Appointment times in " + State.zone, size="1", color=MUTED),
        _history("Upcoming", State.detail_upcoming, "No upcoming appointments."),
        _history("Past", State.detail_past, "No past appointments."),
        spacing="4",
        width="100%",
    )


def _client_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(State.detail.name != "", State.detail.name, "Client")),
            rx.cond(
                State.detail_loading,
                rx.vstack(
                    *[rx.skeleton(height="40px", width="100%") for _ in range(4)], aria_label="Loading"
                ),
                rx.cond(
                    State.detail_error != "",
                    rx.callout(State.detail_error, icon="circle-alert", color_scheme="red", role="alert"),
                    _record(),
                ),
            ),
            rx.flex(
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                justify="end",
                margin_top="16px",
            ),
            max_width="640px",
            on_close_auto_focus=rx.call_script(_RETURN_FOCUS.format(id=State.detail.id)),
        ),
        open=State.detail_open,
        on_open_change=State.set_detail_open,
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
        _client_dialog(),
        rx.hstack(
            rx.box(_search_box(), flex="1", min_width="220px"),
            rx.cond(State.can_add, _add_client_dialog()),
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

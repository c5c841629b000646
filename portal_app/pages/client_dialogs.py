"""The Clients page's dialogs: a client's record, and the admin's Add client form."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app.components.appointment_card import status_badge as appointment_badge
from portal_app.domain.vocabulary import AccountStatus
from portal_app.pages.team import account_actions, status_badge
from portal_app.state.clients import ClientsState as State
from portal_app.state.team import TeamState as Team

MUTED = rx.color("gray", 11)
# After the details dialog closes, focus goes back to the button that opened it (Radix only
# does this for its own trigger); the list and the phone cards each have one, one is visible.
_RETURN_FOCUS = (
    "Array.from(document.querySelectorAll('[data-client-button=\"' + {id} + '\"]'))"
    ".find((button) => button.offsetParent !== null)?.focus()"
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


def add_client_dialog() -> rx.Component:
    """The practice admin's Add client form, opened by its own button."""
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
            appointment_badge(row.status, row.status_label),
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
    """The client's portal account; an admin invites them, or re-sends, revokes, deactivates."""
    account = State.detail_account
    return rx.vstack(
        rx.hstack(
            rx.text("Portal account", size="2", weight="medium"),
            status_badge(account),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(
            State.can_add,
            rx.hstack(
                rx.cond(
                    account.status == AccountStatus.NO_ACCOUNT.value,
                    rx.button(
                        rx.icon("send", size=14),
                        "Invite to the portal",
                        size="1",
                        on_click=Team.invite_client(account.id),
                        aria_label="Invite " + account.name + " to the portal",
                    ),
                ),
                account_actions(account),
                spacing="2",
                wrap="wrap",
            ),
        ),
        spacing="2",
        width="100%",
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


def client_dialog() -> rx.Component:
    """A client's record, named after them; focus goes back to their button when it closes."""
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
                rx.cond(
                    (State.detail_export_url != "") & ~State.detail_loading,
                    # A plain link in a new browsing context: a download must not unload the page.
                    rx.button(
                        rx.el.a(
                            rx.icon("download", size=16),
                            "Download client data",
                            href=State.detail_export_url,
                            download=True,
                            target="_blank",
                        ),
                        as_child=True,
                        variant="soft",
                    ),
                ),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                justify="end",
                spacing="2",
                wrap="wrap",
                margin_top="16px",
            ),
            max_width="640px",
            on_close_auto_focus=rx.call_script(_RETURN_FOCUS.format(id=State.detail.id)),
        ),
        open=State.detail_open,
        on_open_change=State.set_detail_open,
    )

"""The Team page: clinicians and their portal accounts, invitations for clinicians and clients."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from portal_app import routes
from portal_app.components.account_badge import account_badge
from portal_app.components.appointment_card import empty_state
from portal_app.components.focus import returns_focus
from portal_app.components.forms import checked_input
from portal_app.pages.template import portal_page
from portal_app.state import wording
from portal_app.state.team import TeamState as State


def status_badge(row: Var) -> rx.Component:
    """An account's status, with an invitation's expiry beside it."""
    return rx.hstack(
        account_badge(row.status, row.status_label),
        rx.cond(row.status_detail != "", rx.text(row.status_detail, size="1", color=rx.color("gray", 11))),
        align="center",
        spacing="2",
        wrap="wrap",
    )


def account_actions(row: Var) -> rx.Component:
    """Re-send / Revoke an invitation, Deactivate / Reactivate: what fits the account now."""
    return rx.hstack(
        rx.cond(
            row.can_resend,
            rx.button(
                "Re-send",
                size="1",
                variant="soft",
                on_click=State.resend(row.kind, row.id),
                aria_label="Re-send invitation to " + row.name,
            ),
        ),
        rx.cond(
            row.can_revoke,
            rx.button(
                "Revoke",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=State.ask("revoke", row.kind, row.id),
                aria_label="Revoke invitation of " + row.name,
            ),
        ),
        rx.cond(
            row.can_deactivate,
            rx.button(
                "Deactivate",
                size="1",
                variant="soft",
                color_scheme="red",
                on_click=State.ask("deactivate", row.kind, row.id),
                aria_label="Deactivate " + row.name,
            ),
        ),
        rx.cond(
            row.can_reset_two_factor,
            rx.button(
                "Reset two-factor",
                size="1",
                variant="soft",
                color_scheme="gray",
                on_click=State.ask("reset_two_factor", row.kind, row.id),
                aria_label="Reset two-factor sign-in of " + row.name,
            ),
        ),
        rx.cond(
            row.can_reactivate,
            rx.button(
                "Reactivate",
                size="1",
                variant="soft",
                color_scheme="green",
                on_click=State.reactivate(row.kind, row.id),
                aria_label="Reactivate " + row.name,
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def _person_card(row: Var) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.hstack(
                rx.avatar(fallback=row.name.to(str)[0:1], size="3", radius="full", color_scheme="teal"),
                rx.vstack(
                    rx.hstack(
                        rx.text(row.name, weight="bold"),
                        rx.cond(row.detail != "", rx.text(row.detail, size="2", color=rx.color("gray", 11))),
                        align="baseline",
                        spacing="2",
                    ),
                    rx.text(row.email, size="2", color=rx.color("gray", 11), word_break="break-all"),
                    status_badge(row),
                    spacing="1",
                ),
                align="start",
                spacing="3",
            ),
            account_actions(row),
            direction={"initial": "column", "sm": "row"},
            justify="between",
            align={"initial": "start", "sm": "center"},
            gap="3",
        ),
        width="100%",
        role="listitem",
        aria_label=row.name,
    )


def _people(title: str, rows: Var, empty: rx.Component, action: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(title, size="4", as_="h2"), action, justify="between", align="center", width="100%"
        ),
        rx.cond(
            rows.length() > 0,
            rx.vstack(
                rx.foreach(rows, _person_card), spacing="2", width="100%", role="list", aria_label=title
            ),
            empty,
        ),
        spacing="3",
        width="100%",
    )


def _invite_dialog(
    *,
    title: str,
    intro: str,
    open_var: Var,
    on_open_change,
    on_submit,
    errors: Var,
    prefix: str,
    extra: tuple[str, str],
) -> rx.Component:
    extra_label, extra_name = extra
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.dialog.description(intro, size="2", color=rx.color("gray", 11)),
            rx.form(
                rx.vstack(
                    checked_input(
                        "Name",
                        name="name",
                        field_id=f"{prefix}-name",
                        error=errors.name,
                        required=True,
                        auto_complete="off",
                    ),
                    checked_input(
                        "Email",
                        name="email",
                        field_id=f"{prefix}-email",
                        input_type="email",
                        error=errors.email,
                        required=True,
                        auto_complete="off",
                    ),
                    checked_input(
                        extra_label,
                        name=extra_name,
                        field_id=f"{prefix}-{extra_name}",
                        error=errors.extra,
                        auto_complete="off",
                    ),
                    rx.cond(
                        errors.form != "",
                        rx.callout(
                            errors.form, icon="circle-alert", color_scheme="red", role="alert", width="100%"
                        ),
                    ),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button("Send invitation", type="submit", loading=State.sending),
                        justify="end",
                        gap="3",
                        width="100%",
                    ),
                    spacing="4",
                    width="100%",
                    padding_top="12px",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
            ),
            max_width="480px",
            **returns_focus(),
        ),
        open=open_var,
        on_open_change=on_open_change,
    )


def account_dialogs() -> rx.Component:
    """The confirmation dialog for Revoke and Deactivate; put it on any page using these actions."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(State.confirm_title),
            rx.alert_dialog.description(State.confirm_text, size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(State.confirm_button, color_scheme="red", on_click=State.confirm)
                ),
                justify="end",
                gap="3",
                margin_top="16px",
            ),
            max_width="460px",
            **returns_focus(),
        ),
        open=State.confirm_open,
        on_open_change=State.set_confirm_open,
    )


def account_notice() -> rx.Component:
    """What the last account action did (or why not); put it beside ``account_dialogs``."""
    return rx.cond(
        State.notice != "",
        rx.callout(
            State.notice,
            icon=rx.cond(State.notice_is_error, "circle-alert", "circle-check"),
            color_scheme=rx.cond(State.notice_is_error, "red", "green"),
            role=rx.cond(State.notice_is_error, "alert", "status"),
            width="100%",
        ),
    )


@portal_page(route=routes.TEAM, title="Team", on_load=[State.load])
def team_page() -> rx.Component:
    """Clinicians and their accounts; inviting clinicians and clients by email."""
    return rx.cond(
        State.loaded,
        rx.vstack(
            rx.text(
                wording.TEAM_INTRO,
                size="2",
                color=rx.color("gray", 11),
            ),
            account_notice(),
            account_dialogs(),
            _invite_dialog(
                title="Invite clinician",
                intro="They get an email with a link to set their password. Clients can book with them "
                "once they have availability.",
                open_var=State.clinician_dialog_open,
                on_open_change=State.set_clinician_dialog_open,
                on_submit=State.invite_clinician,
                errors=State.clinician_errors,
                prefix="clinician",
                extra=("Credentials (optional, e.g. LCSW)", "credentials"),
            ),
            _invite_dialog(
                title="Invite client",
                intro="Adds the client and emails them a link to set their portal password.",
                open_var=State.client_dialog_open,
                on_open_change=State.set_client_dialog_open,
                on_submit=State.invite_new_client,
                errors=State.client_errors,
                prefix="client",
                extra=("Phone (optional)", "phone"),
            ),
            _people(
                "Clinicians",
                State.clinicians,
                empty_state("users", "No clinicians yet", "Invite your first clinician to get started."),
                rx.button(
                    rx.icon("user-plus", size=16),
                    "Invite clinician",
                    on_click=State.set_clinician_dialog_open(True),
                ),
            ),
            _people(
                "Client invitations",
                State.invited_clients,
                empty_state(
                    "mail-check",
                    "No open client invitations",
                    "Clients you invite appear here until they set their password.",
                ),
                rx.button(
                    rx.icon("user-plus", size=16),
                    "Invite client",
                    variant="soft",
                    on_click=State.set_client_dialog_open(True),
                ),
            ),
            spacing="5",
            width="100%",
        ),
        rx.vstack(*[rx.skeleton(height="72px", width="100%") for _ in range(4)], width="100%"),
    )

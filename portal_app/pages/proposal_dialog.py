"""The Dashboard's "Propose another time" dialog: a week of the clinician's free time, a message."""

from __future__ import annotations

import reflex as rx

from portal_app.components.focus import returns_focus
from portal_app.components.forms import error_callout
from portal_app.components.week_calendar import calendar_picker, selection_status, week_header
from portal_app.domain.limits import MAX_MESSAGE_LENGTH
from portal_app.state.proposal import ProposalState as Proposal


def proposal_dialog() -> rx.Component:
    """Opened by ``ProposalState.open_for(request id)``."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Propose another time"),
            rx.dialog.description(
                Proposal.client,
                " asked for ",
                Proposal.requested,
                ". Choose a time you can offer instead; the request is declined and ",
                Proposal.client,
                " is asked to accept the new time.",
                size="2",
                color=rx.color("gray", 11),
            ),
            rx.form(
                rx.vstack(
                    week_header(Proposal.week_label, Proposal.change_week, Proposal.zone_label),
                    calendar_picker(
                        Proposal.calendar,
                        label="Choose a time to propose",
                        selected=Proposal.selected,
                        on_select=Proposal.select_time,
                    ),
                    selection_status(Proposal.selection_label),
                    rx.el.label(
                        rx.text("Message to the client (optional)", size="2", weight="medium"),
                        html_for="proposal-message",
                    ),
                    rx.text_area(
                        id="proposal-message",
                        name="message",
                        placeholder="For example: I'm not in that morning — would the afternoon work?",
                        max_length=MAX_MESSAGE_LENGTH,
                        rows="3",
                        width="100%",
                    ),
                    error_callout(Proposal.error),
                    rx.flex(
                        rx.dialog.close(
                            rx.button("Cancel", type="button", variant="soft", color_scheme="gray")
                        ),
                        rx.button(
                            "Send proposal",
                            type="submit",
                            loading=Proposal.sending,
                            disabled=Proposal.selected_start == 0,
                        ),
                        justify="end",
                        gap="12px",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=Proposal.send,
                width="100%",
            ),
            max_width="980px",
            width="96vw",
            **returns_focus(),
        ),
        open=Proposal.is_open,
        on_open_change=Proposal.set_is_open,
    )

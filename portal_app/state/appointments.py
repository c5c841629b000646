"""The client's Appointments tab."""

from __future__ import annotations

import reflex as rx

from portal_app import routes
from portal_app.domain.time_display import moment_label
from portal_app.domain.vocabulary import AppointmentStatus, Role
from portal_app.services.appointment_requests import cancel_appointment, withdraw_request
from portal_app.services.appointments import client_appointment_details, client_appointments
from portal_app.services.auth import Viewer
from portal_app.services.proposals import answer_proposal
from portal_app.state import live_updates, wording
from portal_app.state.access import Flag, MessageForm, RecordId, in_worker, open_to_all, requires
from portal_app.state.booking import BookingWizardState
from portal_app.state.rows import AppointmentRow, ClientDetail, VideoRow
from portal_app.state.session import SessionState

# What an .ics is offered for: a request (tentative) or an appointment that will take place.
_IN_A_CALENDAR = frozenset(
    {AppointmentStatus.REQUESTED.value, AppointmentStatus.PROPOSED.value, AppointmentStatus.CONFIRMED.value}
)


class ClientAppointmentsState(SessionState):
    """Upcoming, Requested and Past, for the signed-in client only."""

    upcoming: list[AppointmentRow] = []
    requested: list[AppointmentRow] = []
    past: list[AppointmentRow] = []
    loaded: bool = False
    # Whether any provider takes online requests (otherwise there is no New Appointment button).
    can_request: bool = False
    join_now: list[VideoRow] = []
    detail: ClientDetail = ClientDetail()
    detail_open: bool = False
    detail_error: str = ""
    # The details dialog asks "are you sure?" (with a reason) before a withdraw or cancel.
    confirming: bool = False
    _detail_opened_in: str = ""
    notice: str = ""

    @rx.event
    @requires(Role.CLIENT)
    async def load(self, viewer: Viewer):
        """Read the signed-in client's appointments (never anyone else's)."""
        await self._read(viewer)
        await live_updates.follow(self, viewer.user_id)
        # A link from an email (a proposed time) opens that appointment; others' are not found.
        opened = routes.record_id_in_url(self.router.url.query_parameters.get("open", ""))
        if opened is not None:
            return ClientAppointmentsState.open_details(opened)
        slug = self.router.url.query_parameters.get("book")
        if slug and self.can_request:
            return BookingWizardState.open_for_provider(slug)
        if slug:
            return BookingWizardState.open_new
        return None

    @rx.event
    @requires(Role.CLIENT)
    async def page_opened(self, viewer: Viewer):
        """The page was opened or reloaded: it starts with its dialogs and the wizard closed.

        Sent when the page mounts, not from ``load``: a dropped connection that comes back
        runs ``load`` again, and must not throw away a dialog or a wizard in progress.
        """
        asked = self.router.url.query_parameters
        if asked.get("open") or asked.get("book"):
            return None
        if self._detail_opened_in != self._connection():
            self.detail_open = self.confirming = False
        return BookingWizardState.close_if_left_open

    @rx.event
    @requires(Role.CLIENT, activity=False)
    async def refresh(self, viewer: Viewer):
        """Re-read: pushed when a change concerns this client, and polled slowly as a safety net."""
        await self._read(viewer)

    async def _read(self, viewer: Viewer) -> None:
        sections = await in_worker(
            client_appointments,
            client_id=viewer.client_id,
            practice_id=viewer.practice_id,
            now=self._now(),
            zone=self._display_zone(viewer),
        )
        self.upcoming = [AppointmentRow.of(view) for view in sections.upcoming]
        self.requested = [AppointmentRow.of(view) for view in sections.requested]
        self.past = [AppointmentRow.of(view) for view in sections.past]
        self.can_request = sections.can_request
        self.join_now = [
            VideoRow(appointment_id=v.appointment_id, clinician=v.clinician, link=v.link)
            for v in sections.join_now
        ]
        self.loaded = True

    @rx.event
    @requires(Role.CLIENT)
    async def open_details(self, viewer: Viewer, appointment_id: RecordId):
        """Show one appointment, if and only if it is the signed-in client's own."""
        details = await in_worker(
            client_appointment_details,
            client_id=viewer.client_id,
            appointment_id=appointment_id,
            zone=self._display_zone(viewer),
            now=self._now(),
        )
        if details is None:
            self.detail, self.detail_error = ClientDetail(), wording.NOT_FOUND
        else:
            actions, phone = details.actions, details.practice_phone
            self.detail = ClientDetail(
                appointment=AppointmentRow.of(details.view),
                calendar_url=(
                    routes.calendar_file_url(rx.config.get_config().api_url, appointment_id)
                    if details.view.status in _IN_A_CALENDAR
                    else ""
                ),
                can_withdraw=actions.can_withdraw,
                can_cancel=actions.can_cancel,
                can_answer=actions.can_answer,
                cancel_note=(
                    wording.why_call(
                        online_cancellation=details.online_cancellation,
                        window_hours=details.window_hours,
                        phone=phone,
                    )
                    if actions.must_call
                    else ""
                ),
                phone=phone,
                phone_href=routes.phone_link(phone),
                manage=details.manage,
                video_link=details.video.link if details.video else "",
                video_note=(
                    wording.video_opens(moment_label(details.video.opens_at, self._display_zone(viewer)))
                    if details.video and not details.video.link
                    else ""
                ),
            )
            self.detail_error = ""
        self.detail_open, self.confirming = True, False
        self._detail_opened_in = self._connection()

    @rx.event
    @requires(Role.CLIENT)
    async def ask_to_confirm(self, viewer: Viewer, asking: Flag):
        """Show (or leave) the "are you sure?" step of a withdraw or cancel."""
        self.confirming = asking and (self.detail.can_withdraw or self.detail.can_cancel)

    @rx.event
    @requires(Role.CLIENT)
    async def withdraw(self, viewer: Viewer, appointment_id: RecordId, form: MessageForm):
        """Withdraw one of the client's own pending requests, with an optional reason."""
        await self._change(viewer, withdraw_request, appointment_id, form.message)

    @rx.event
    @requires(Role.CLIENT)
    async def cancel(self, viewer: Viewer, appointment_id: RecordId, form: MessageForm):
        """Cancel one of the client's own confirmed appointments, inside the practice's rules."""
        await self._change(viewer, cancel_appointment, appointment_id, form.message)

    @rx.event
    @requires(Role.CLIENT)
    async def answer_proposal(self, viewer: Viewer, appointment_id: RecordId, accept: Flag):
        """Accept or decline a time the therapist proposed instead of the one requested."""
        result = await in_worker(
            answer_proposal,
            writing=True,
            viewer=viewer,
            appointment_id=appointment_id,
            accept=accept,
            now=self._now(),
        )
        await self._after_change(viewer, result)

    async def _change(self, viewer: Viewer, change, appointment_id: int, reason: str) -> None:
        result = await in_worker(
            change,
            writing=True,
            viewer=viewer,
            appointment_id=appointment_id,
            now=self._now(),
            reason=reason,
        )
        self.confirming = False
        await self._after_change(viewer, result)

    async def _after_change(self, viewer: Viewer, result) -> None:
        if not result.ok:
            self.detail_error = wording.result_text(result, practice_phone=self.detail.phone)
            return
        self.detail_open, self.notice = False, wording.result_text(result)
        await self._read(viewer)
        live_updates.push(result.concerns, origin=self)

    @rx.event
    @open_to_all
    async def set_detail_open(self, is_open: Flag):
        """Close (or reopen) the details dialog."""
        self.detail_open = is_open and bool(self.detail.appointment.id or self.detail_error)
        self.confirming = False

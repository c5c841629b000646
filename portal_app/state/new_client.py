"""The public wizard: someone who is not yet a client asks for a first appointment.

Open to all (nobody is signed in), so every step is checked on the server as in the signed-in
wizard: the choices against lists the server offered, the time against the engine (new-client
rules), and the request in one transaction under the clinician's lock. The card's number and
code arrive in the submitted form, go to the gateway, and are not kept in any var.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

import reflex as rx

from portal_app import routes
from portal_app.domain.accounts import normalize_email
from portal_app.domain.time_display import day_label, moment_label, time_range_label
from portal_app.domain.vocabulary import Forum, RequestedFor
from portal_app.http_security import portal_address
from portal_app.services import availability
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.booking_catalog import booking_catalog
from portal_app.services.new_client_requests import (
    Contact,
    NewClientRequest,
    NewClientResult,
    admit_public_request,
    form_refusal,
    request_as_new_client,
)
from portal_app.services.payments import CardRefused, SavedCard
from portal_app.services.practice import the_practice
from portal_app.services.request_links import LinkOutcome, cancel_by_link
from portal_app.state import live_updates, wording
from portal_app.state import new_client_wording as words
from portal_app.state.access import (
    Choice,
    Epoch,
    Flag,
    MessageForm,
    Minutes,
    Step,
    in_worker,
    open_to_all,
)
from portal_app.state.booking_choices import FORUM_LABELS, BookingChoices
from portal_app.state.new_client_form import NewClientForm, save_card
from portal_app.state.rows import RequestSummary
from portal_app.state.session import SessionState, ask_browser_zone
from portal_app.state.week_picker import WeekPicker


class NewClientState(BookingChoices, WeekPicker, SessionState):
    """One visitor's request in progress: choose → who → details → sent (or cancelled)."""

    step: str = "choose"
    # Why this page takes no request (the practice or the clinician is not open to new clients).
    closed_detail: str = ""
    requested_for: str = ""
    card_required: bool = False
    field_errors: dict[str, str] = {}
    submitting: bool = False
    summary: RequestSummary = RequestSummary()
    held_until: str = ""
    sent_to: str = ""
    confirming_cancel: bool = False
    calendar_url: str = ""

    _practice_id: int = 0
    _practice_zone: str = "UTC"
    _request_key: str = ""
    _manage_token: str = ""

    def _for_new_client(self) -> bool:
        return True

    def _calendar_zone(self, viewer: Viewer | None) -> str:
        return self.browser_zone or self._practice_zone

    def _slot_request(self, viewer: Viewer | None) -> SlotRequest:
        return SlotRequest(
            clinician_id=int(self.provider_id),
            service_id=int(self.service_id),
            location_id=int(self.location_id),
            forum=Forum(self.forum),
            is_new_client=True,
        )

    @rx.event
    @open_to_all
    async def load(self):
        """Start afresh: the practice's clinicians open to new clients, one chosen by ``?with=``."""
        practice = await in_worker(the_practice)
        self.step, self.closed_detail, self.field_errors = "choose", "", {}
        self.summary, self.held_until, self.sent_to, self.confirming_cancel = RequestSummary(), "", "", False
        self.calendar_url, self.requested_for = "", ""
        self._manage_token, self._request_key = "", secrets.token_urlsafe(24)
        if practice is None or not practice.new_client_requests:
            self.practice_name = practice.name if practice else ""
            self.practice_phone = practice.phone if practice else ""
            self.step, self.closed_detail = "closed", words.closed_to_new_clients(self.practice_phone)
            return ask_browser_zone()
        self.practice_name, self.practice_phone = practice.name, practice.phone
        self._practice_id, self._practice_zone = practice.id, practice.time_zone
        self.card_required = practice.card_required_for_new_clients
        self._offer(await in_worker(booking_catalog, practice_id=practice.id))
        slug = self.router.url.query_parameters.get("with", "")
        if isinstance(slug, str) and slug in self._slugs:
            await self._choose_provider(str(self._slugs[slug]))
        elif len(self.providers) == 1:
            await self._choose_provider(self.providers[0].value)
        if not self.providers:
            self.step, self.closed_detail = "closed", words.closed_to_new_clients(self.practice_phone)
        return ask_browser_zone()

    @rx.event
    @open_to_all
    async def choose_provider(self, value: Choice):
        """Clinician chosen: offer their locations."""
        await self._choose_provider(value)

    @rx.event
    @open_to_all
    async def choose_location(self, value: Choice):
        """Location chosen: offer its forums."""
        self._choose_location(value)

    @rx.event
    @open_to_all
    async def choose_forum(self, value: Choice):
        """Forum chosen: offer the services open to new clients there."""
        self._choose_forum(value)

    @rx.event
    @open_to_all
    async def choose_service(self, value: Choice):
        """Service chosen: show the week's free time."""
        if self._choose_service(value):
            await self._show_week(self._today(None))

    async def _show_week(self, first_day: date) -> None:
        if not await self._load_week(None, first_day):
            self._reset_from("provider")
            self.error = wording.PROVIDER_GONE

    @rx.event
    @open_to_all
    async def change_week(self, step: Step):
        """Show the previous (-1) or next (+1) week."""
        first = self._week_after(None, step)
        if first is not None:
            await self._show_week(first)

    @rx.event
    @open_to_all
    async def select_time(self, start: Epoch, minutes: Minutes):
        """The calendar's one event per choice."""
        if not self._pick(None, start, minutes):
            self._reset_from("time")
            self.error = wording.NOT_OFFERED_TIME
            return
        self.error = ""

    @rx.event
    @open_to_all
    async def choose_length(self, value: Choice):
        """The length control: the chosen time takes that length, or says it does not fit there."""
        if not value or self._set_length(None, value):
            self.error = ""
            return None
        if value not in {option.value for option in self.length_options}:
            return self._bad_input()
        starts_at = datetime.fromtimestamp(self.selected_start, tz=UTC)
        self.error = wording.length_does_not_fit(value, moment_label(starts_at, self._calendar_zone(None)))
        return None

    @rx.event
    @open_to_all
    async def next_step(self):
        """Time chosen: check it, then ask whom the appointment is for."""
        if self.step != "choose" or not self.selected_start or not self.service_id:
            self.error = wording.CHOOSE_FIRST
            return
        check = await in_worker(
            availability.check_bookable,
            slot_request=self._slot_request(None),
            now=self._now(),
            **self._interval(),
        )
        if not check.ok:
            self.error = wording.problem_text(check)
            await self._show_week(date.fromisoformat(self.week_start))
            return
        zone, interval = self._calendar_zone(None), self._interval()
        self.summary = RequestSummary(
            provider=self._names["providers"][int(self.provider_id)],
            location=self._names["locations"][int(self.location_id)],
            forum=FORUM_LABELS[Forum(self.forum)],
            service=self._names["services"][int(self.service_id)],
            day=day_label(interval["starts_at"], zone),
            time=time_range_label(interval["starts_at"], interval["ends_at"], zone),
        )
        self.error, self.step = "", "who"

    @rx.event
    @open_to_all
    async def choose_for(self, value: Choice):
        """Whom the appointment is for (Next then asks for the details)."""
        if self.step != "who" or value not in {kind.value for kind in RequestedFor}:
            return self._bad_input()
        self.requested_for, self.field_errors = value, {}
        return None

    @rx.event
    @open_to_all
    async def to_details(self):
        """Next, once it is said whom the appointment is for."""
        if self.step == "who" and self.requested_for:
            self.step = "details"

    @rx.event
    @open_to_all
    async def go_back(self, step: Choice):
        """Back to an earlier step, keeping what was chosen."""
        earlier = {"details": ("who", "choose"), "who": ("choose",)}.get(self.step, ())
        if step in earlier:
            self.step, self.error, self.field_errors = step, "", {}

    @rx.event
    @open_to_all
    async def submit(self, form: NewClientForm):
        """Request Appointment: throttled, the card to the gateway if asked for, then the held request."""
        if self.submitting or self.step != "details" or not self.requested_for:
            return
        self.submitting, self.error, self.field_errors = True, "", {}
        yield
        try:
            result = await self._send(form)
        finally:
            self.submitting = False
        if result is not None and self._show(result, normalize_email(form.requester_email)):
            # Back at the calendar, which no longer offers the time that was taken.
            await self._show_week(date.fromisoformat(self.week_start))

    async def _send(self, form: NewClientForm) -> NewClientResult | None:
        request = self._request(form)
        # A typo is said at once and not counted against the limits; every real try is.
        if (refusal := form_refusal(request)) is not None:
            return refusal
        admitted = await in_worker(
            admit_public_request,
            writing=True,
            email=form.requester_email,
            client_ip=self.router.session.client_ip,
            now=self._now(),
        )
        if not admitted:
            self.error = words.THROTTLED
            return None
        card: SavedCard | None = None
        if self.card_required and not form.website:
            saved = await save_card(form, today=self._now().date())
            if isinstance(saved, CardRefused):
                self.field_errors = {"card": words.CARD_PROBLEMS[saved.problem]}
                return None
            card = saved
        return await in_worker(
            request_as_new_client,
            writing=True,
            request=request,
            card=card,
            link_base=portal_address(),
            now=self._now(),
        )

    def _request(self, form: NewClientForm) -> NewClientRequest:
        kind = RequestedFor(self.requested_for)
        return NewClientRequest(
            clinician_id=int(self.provider_id),
            service_id=int(self.service_id),
            location_id=int(self.location_id),
            forum=Forum(self.forum),
            requested_for=kind,
            requester=Contact(form.requester_name, form.requester_email, form.requester_phone),
            patient=Contact(form.patient_name, form.patient_email, form.patient_phone)
            if kind in (RequestedFor.CHILD, RequestedFor.SOMEONE_ELSE)
            else None,
            partner=Contact(form.partner_name, form.partner_email) if kind == RequestedFor.COUPLE else None,
            message=form.message,
            request_key=self._request_key,
            honeypot=form.website,
            **self._interval(),
        )

    def _show(self, result: NewClientResult, email: str) -> bool:
        """Show the outcome; True when the person goes back to choose another time."""
        if result.ok and result.held_until is not None:
            self.step, self.sent_to, self._manage_token = "sent", email, result.manage_token
            self.calendar_url = routes.request_calendar_url(
                rx.config.get_config().api_url, result.manage_token
            )
            self.held_until = moment_label(result.held_until, self._calendar_zone(None))
            return False
        if result.field_name:
            self.field_errors = {result.field_name: words.field_problem(result)}
            return False
        self.error = words.refusal_text(result)
        if result.outcome not in words.BACK_TO_CALENDAR:
            return False
        self.step = "choose"
        self._request_key = secrets.token_urlsafe(24)
        return True

    @rx.event
    @open_to_all
    async def ask_to_cancel(self, asking: Flag):
        """Show (or leave) the "cancel this request?" question on the confirmation screen."""
        self.confirming_cancel = asking and self.step == "sent" and bool(self._manage_token)

    @rx.event
    @open_to_all
    async def cancel_request(self, form: MessageForm):
        """Cancel the request just made (its link is used up with it)."""
        if self.step != "sent" or not self._manage_token:
            return
        view = await in_worker(
            cancel_by_link, writing=True, token=self._manage_token, reason=form.message, now=self._now()
        )
        self.confirming_cancel = False
        if view.outcome == LinkOutcome.CANCELLED:
            self.step, self._manage_token, self.calendar_url = "cancelled", "", ""
            live_updates.push(view.concerns, origin=self)
        else:
            self.error = words.DEAD_LINK

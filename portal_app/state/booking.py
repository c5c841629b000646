"""The booking wizard: Provider → Location → Forum → Service → Availability → Save → Submit.

The browser only suggests; every choice is checked against lists the server built, and Save and
Submit re-check the time with the availability engine (Submit inside the request transaction).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

import reflex as rx
from reflex.event import EventSpec

from portal_app import routes
from portal_app.domain.time_display import day_label, moment_label, time_range_label
from portal_app.domain.vocabulary import Forum, Role
from portal_app.services import availability
from portal_app.services.appointment_requests import request_appointment, withdraw_request
from portal_app.services.auth import Viewer
from portal_app.services.availability import SlotRequest
from portal_app.services.booking_catalog import booking_catalog
from portal_app.state import live_updates, wording
from portal_app.state.access import Choice, Epoch, Flag, MessageForm, Minutes, Step, in_worker, requires
from portal_app.state.booking_choices import FORUM_LABELS, BookingChoices
from portal_app.state.rows import RequestSummary
from portal_app.state.session import SessionState
from portal_app.state.week_picker import MAX_WEEKS_AHEAD, WeekPicker

# Where focus goes when the wizard's content changes under it: the one place for problems (above
# the calendar), the review's opening words, the confirmation's heading.
PROBLEM_ID, REVIEW_ID, DONE_ID = "wizard-problem", "wizard-review", "wizard-done"


def _focus(element_id: str) -> EventSpec:
    """Focus (and scroll to: a phone may show the calendar's end) ``element_id`` once drawn."""
    return rx.call_script(
        "(function f(n) { const e = document.getElementById('" + element_id + "');"
        " if (e && e.textContent.trim()) { e.focus(); e.scrollIntoView({block: 'center'}); }"
        " else if (n > 0) { requestAnimationFrame(() => f(n - 1)); } })(60)"
    )


class BookingWizardState(BookingChoices, WeekPicker, SessionState):
    """One client's request in progress."""

    is_open: bool = False
    # new (a new request), change (a pending request) or reschedule (a new time for a confirmed one).
    purpose: str = "new"
    step: str = "choose"  # choose → review → done
    notice: str = ""
    submitting: bool = False
    summary: RequestSummary = RequestSummary()
    # After Submit: the new request's calendar file, and the "cancel it?" step.
    calendar_url: str = ""
    confirming_withdraw: bool = False
    # Escape or a click outside asked to close a wizard holding choices: "discard them?"
    confirming_close: bool = False

    _request_key: str = ""
    _submitted_id: int = 0
    _opened_in: str = ""
    # The appointment Manage Appointment changes or moves (its own time does not count as taken).
    _managing_id: int = 0

    @rx.event
    @requires(Role.CLIENT)
    async def open_new(self, viewer: Viewer):
        """Start a new request from the first step."""
        await self._start(viewer)

    @rx.event
    @requires(Role.CLIENT)
    async def open_for_provider(self, viewer: Viewer, slug: Choice):
        """Start a new request with the provider of a direct booking link chosen."""
        await self._start(viewer)
        clinician_id = self._slugs.get(slug)
        if clinician_id is None:
            self.notice = wording.PROVIDER_NOT_LINKED if self.providers else self.notice
            return
        await self._choose_provider(str(clinician_id))

    @rx.event
    @requires(Role.CLIENT)
    async def set_is_open(self, viewer: Viewer, is_open: Flag):
        """Close the wizard (opening goes through ``open_new``)."""
        if not is_open:
            self.is_open, self.confirming_close = False, False

    @rx.event
    @requires(Role.CLIENT)
    async def ask_to_close(self, viewer: Viewer):
        """Escape or a click outside: close at once if nothing would be lost, else ask first."""
        if self.step in ("choose", "review") and self.provider_id:
            self.confirming_close = self.is_open
        else:
            self.is_open = False

    @rx.event
    @requires(Role.CLIENT)
    async def answer_close(self, viewer: Viewer, discard: Flag):
        """The answer to "discard this request?": close the wizard, or keep choosing."""
        self.confirming_close = False
        if discard:
            self.is_open = False

    @rx.event
    @requires(Role.CLIENT)
    async def close_if_left_open(self, viewer: Viewer):
        """A page opened or reloaded: a wizard left open in an earlier page closes."""
        if self._opened_in != self._connection():
            self.is_open = False

    async def _start(self, viewer: Viewer) -> None:
        self._offer(await in_worker(booking_catalog, practice_id=viewer.practice_id))
        self.step, self.summary, self.submitting = "choose", RequestSummary(), False
        self._submitted_id, self.calendar_url, self.confirming_withdraw = 0, "", False
        self.confirming_close = False
        self.purpose, self._managing_id = "new", 0
        self._opened_in = self._connection()
        self.notice = "" if self.providers else wording.NO_PROVIDERS
        self._request_key = secrets.token_urlsafe(24)
        self.is_open = True
        if len(self.providers) == 1:
            await self._choose_provider(self.providers[0].value)

    @rx.event
    @requires(Role.CLIENT)
    async def choose_provider(self, viewer: Viewer, value: Choice):
        """Provider chosen: offer the locations where they have bookable time."""
        await self._choose_provider(value)

    def _for_new_client(self) -> bool:
        return False

    @rx.event
    @requires(Role.CLIENT)
    async def choose_location(self, viewer: Viewer, value: Choice):
        """Location chosen: offer the forums there (skipped when only one)."""
        self._choose_location(value)

    @rx.event
    @requires(Role.CLIENT)
    async def choose_forum(self, viewer: Viewer, value: Choice):
        """Forum chosen: offer the services the provider's blocks allow here."""
        self._choose_forum(value)

    @rx.event
    @requires(Role.CLIENT)
    async def choose_service(self, viewer: Viewer, value: Choice):
        """Service chosen: show this week's free time for it."""
        if self._choose_service(value):
            await self._show_week(viewer, self._today(viewer))

    def _calendar_zone(self, viewer: Viewer) -> str:
        return self._display_zone(viewer)

    def _slot_request(self, viewer: Viewer) -> SlotRequest:
        """The choices so far, as the availability engine's question."""
        return SlotRequest(
            clinician_id=int(self.provider_id),
            service_id=int(self.service_id),
            location_id=int(self.location_id),
            forum=Forum(self.forum),
            is_new_client=False,
            viewer_client_id=viewer.client_id,
            ignore_appointment_id=self._managing_id or None,
        )

    async def _show_week(self, viewer: Viewer, first_day: date) -> None:
        if not await self._load_week(viewer, first_day):
            # The provider or service changed under the open wizard: start the choice again.
            self._reset_from("provider")
            self.error = wording.PROVIDER_GONE

    @rx.event
    @requires(Role.CLIENT)
    async def change_week(self, viewer: Viewer, step: Step):
        """Show the previous (-1) or next (+1) week."""
        first = self._week_after(viewer, step)
        if first is not None:
            await self._show_week(viewer, first)

    @rx.event
    @requires(Role.CLIENT)
    async def next_available(self, viewer: Viewer):
        """Jump to the week of the first free time from today on."""
        if not self.week_start:
            return
        now = self._now()
        slots = await in_worker(
            availability.bookable_slots,
            slot_request=self._slot_request(viewer),
            window_start=now,
            window_end=now + timedelta(weeks=MAX_WEEKS_AHEAD),
            now=now,
        )
        if not slots:
            self.error = wording.NO_FREE_TIME
            return
        self.error = ""
        await self._show_week(viewer, self._local_day(viewer, slots[0]))

    @rx.event
    @requires(Role.CLIENT)
    async def select_time(self, viewer: Viewer, start: Epoch, minutes: Minutes):
        """The calendar's one event per choice: remember it if that cell offered that length."""
        if not self._pick(viewer, start, minutes):
            self._reset_from("time")
            self.error = wording.NOT_OFFERED_TIME
            return
        self.error = ""

    @rx.event
    @requires(Role.CLIENT)
    async def choose_length(self, viewer: Viewer, value: Choice):
        """The length control: the chosen time takes that length, or says it does not fit there."""
        if not value:  # a control cleared: nothing to change
            return None
        if self._set_length(viewer, value):
            self.error = ""
            return None
        if value in {option.value for option in self.length_options}:
            starts_at = datetime.fromtimestamp(self.selected_start, tz=UTC)
            when = moment_label(starts_at, self._calendar_zone(viewer))
            self.error = wording.length_does_not_fit(value, when)
            return _focus(PROBLEM_ID)
        return self._bad_input()

    @rx.event
    @requires(Role.CLIENT)
    async def save(self, viewer: Viewer):
        """Check the chosen time on the server; on success show the request to confirm."""
        if not self.selected_start or not self.service_id:
            self.error = wording.CHOOSE_FIRST
            return _focus(PROBLEM_ID)
        check = await in_worker(
            availability.check_bookable,
            slot_request=self._slot_request(viewer),
            now=self._now(),
            **self._interval(),
        )
        if not check.ok:
            self.error = wording.problem_text(check)
            await self._show_week(viewer, date.fromisoformat(self.week_start))
            return _focus(PROBLEM_ID)
        names = self._names
        zone = self._display_zone(viewer)
        interval = self._interval()
        self.summary = RequestSummary(
            provider=names["providers"][int(self.provider_id)],
            location=names["locations"][int(self.location_id)],
            forum=FORUM_LABELS[Forum(self.forum)],
            service=names["services"][int(self.service_id)],
            day=day_label(interval["starts_at"], zone),
            time=time_range_label(interval["starts_at"], interval["ends_at"], zone),
        )
        self.error, self.step = "", "review"
        return _focus(REVIEW_ID)

    @rx.event
    @requires(Role.CLIENT)
    async def back_to_calendar(self, viewer: Viewer):
        """Return from the review to the calendar to choose another time."""
        self.step = "choose"

    @rx.event
    @requires(Role.CLIENT)
    async def submit(self, viewer: Viewer):
        """Submit New Appointment: one request, created and re-checked in one transaction."""
        if self.submitting or self.step != "review" or not self.selected_start or self.purpose != "new":
            return
        self.submitting = True
        yield
        try:
            choice = self._slot_request(viewer)
            result = await in_worker(
                request_appointment,
                writing=True,
                viewer=viewer,
                clinician_id=choice.clinician_id,
                service_id=choice.service_id,
                location_id=choice.location_id,
                forum=choice.forum,
                request_key=self._request_key,
                now=self._now(),
                **self._interval(),
            )
        finally:
            self.submitting = False
        if not result.ok:
            yield await self._refused(viewer, wording.result_text(result))
            return
        self.step = "done"
        self._submitted_id = result.appointment_id or 0
        self.calendar_url = routes.calendar_file_url(rx.config.get_config().api_url, self._submitted_id)
        live_updates.push(result.concerns, origin=self)
        yield _focus(DONE_ID)

    async def _refused(self, viewer: Viewer, message: str):
        """Submit was refused (the time was just taken…): back on the calendar, refreshed, with
        the message above it focused, where the client can choose another time at once."""
        self.step, self.error = "choose", message
        await self._show_week(viewer, date.fromisoformat(self.week_start))
        return _focus(PROBLEM_ID)

    @rx.event
    @requires(Role.CLIENT)
    async def ask_to_withdraw(self, viewer: Viewer, asking: Flag):
        """Show (or leave) the "cancel this request?" step after Submit."""
        self.confirming_withdraw = asking and self.step == "done"

    @rx.event
    @requires(Role.CLIENT)
    async def withdraw(self, viewer: Viewer, form: MessageForm):
        """Cancel the request just submitted (the service checks it is still the client's and pending)."""
        if self.step != "done" or not self._submitted_id:
            return
        result = await in_worker(
            withdraw_request,
            writing=True,
            viewer=viewer,
            appointment_id=self._submitted_id,
            now=self._now(),
            reason=form.message,
        )
        self.confirming_withdraw = False
        self.notice = wording.result_text(result)
        if result.ok:
            self.step, self.calendar_url = "withdrawn", ""
            live_updates.push(result.concerns, origin=self)

    @rx.event
    @requires(Role.CLIENT)
    async def view_my_appointments(self, viewer: Viewer):
        """Close the wizard and show the Appointments tab (with the new request)."""
        self.is_open = False
        return rx.redirect(routes.APPOINTMENTS)

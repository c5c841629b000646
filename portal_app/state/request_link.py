"""The page a new client's emailed links open: confirm the email, see the request, cancel it."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from portal_app import routes
from portal_app.domain.email_messages import describe_time
from portal_app.domain.time_display import valid_zone
from portal_app.http_security import portal_address
from portal_app.services.one_time_links import MAX_TOKEN_LENGTH
from portal_app.services.request_links import (
    LinkOutcome,
    RequestView,
    cancel_by_link,
    confirm_request,
    request_by_link,
)
from portal_app.state import live_updates
from portal_app.state import new_client_wording as words
from portal_app.state.access import Choice, Flag, MessageForm, in_worker, open_to_all
from portal_app.state.session import SessionState, ask_browser_zone


class RequestLinkState(SessionState):
    """One request, as its link shows it; the link itself stays in a backend var once read."""

    loading: bool = True
    title: str = ""
    detail: str = ""
    status: str = ""
    clinician: str = ""
    service: str = ""
    place: str = ""
    when: str = ""
    cancellable: bool = False
    confirming_cancel: bool = False
    calendar_url: str = ""

    _token: str = ""
    _starts: datetime | None = None
    _ends: datetime | None = None

    @rx.event
    @open_to_all
    async def open_link(self):
        """Confirm (a confirmation link) or show (a see-or-cancel link) the request in the address."""
        self.loading, self.confirming_cancel = True, False
        await self._show_practice()
        token = self.router.url.query_parameters.get("token", "")
        token = token if isinstance(token, str) and len(token) <= MAX_TOKEN_LENGTH else ""
        view = await in_worker(
            confirm_request, writing=True, token=token, link_base=portal_address(), now=self._now()
        )
        if view.outcome == LinkOutcome.CONFIRMED:
            live_updates.push(view.concerns, origin=self)
        elif view.outcome == LinkOutcome.DEAD:
            # Not a confirmation link (or a used one): perhaps a link to see the request.
            view = await in_worker(request_by_link, token=token, now=self._now())
        self._token = view.manage_token
        self._show(view)
        return ask_browser_zone(RequestLinkState.show_in_zone)

    @rx.event
    @open_to_all
    async def show_in_zone(self, zone: Choice):
        """The browser's zone arrived: say the time in it."""
        zone = valid_zone(zone)
        if zone is None:
            return
        self.browser_zone = zone
        if self._starts is not None and self._ends is not None:
            self.when = describe_time(self._starts, self._ends, zone)

    def _show(self, view: RequestView) -> None:
        self.loading, self.title = False, words.LINK_TITLES[view.outcome]
        self.detail = {LinkOutcome.DEAD: words.DEAD_LINK, LinkOutcome.CANCELLED: words.CANCELLED}.get(
            view.outcome, ""
        )
        details = view.details
        if details is None or view.outcome == LinkOutcome.DEAD:
            self.status = self.clinician = self.service = self.place = self.when = self.calendar_url = ""
            self.cancellable = False
            return
        self.status = words.REQUEST_STATUS[details.status]
        self.clinician, self.service, self.place = details.clinician_name, view.service_name, details.place
        self._starts, self._ends = details.starts_at, details.ends_at
        self.when = describe_time(
            details.starts_at, details.ends_at, self.browser_zone or details.client_zone
        )
        self.cancellable = view.cancellable and bool(self._token) and view.outcome != LinkOutcome.CANCELLED
        self.calendar_url = (
            routes.request_calendar_url(rx.config.get_config().api_url, self._token)
            if self.cancellable
            else ""
        )

    @rx.event
    @open_to_all
    async def ask_to_cancel(self, asking: Flag):
        """Show (or leave) the "cancel this request?" question."""
        self.confirming_cancel = asking and self.cancellable

    @rx.event
    @open_to_all
    async def cancel_request(self, form: MessageForm):
        """Cancel the request (the link is used up with it)."""
        if not self.cancellable or not self._token:
            return
        view = await in_worker(
            cancel_by_link, writing=True, token=self._token, reason=form.message, now=self._now()
        )
        self.confirming_cancel = False
        if view.outcome == LinkOutcome.CANCELLED:
            self._token = ""
            live_updates.push(view.concerns, origin=self)
        self._show(view)

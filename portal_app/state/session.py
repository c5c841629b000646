"""The base state every page state inherits: who is signed in, checked on every event.

Nothing here is trusted from the browser: the session token comes from the HttpOnly cookie
in the websocket's handshake headers (filled in by the server), and it is looked up in the
database on every call, so a revoked or expired session is refused on the very next event.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from http.cookies import CookieError, SimpleCookie

import reflex as rx

from portal_app import routes
from portal_app.domain.time_display import valid_zone
from portal_app.domain.vocabulary import Role
from portal_app.services.auth import (
    ACTIVITY_RESOLUTION,
    Viewer,
    ended_idle,
    record_activity,
    remember_time_zone,
    revoke_session,
    viewer_for_token,
)
from portal_app.services.practice import the_practice
from portal_app.state import wording
from portal_app.state.access import Choice, in_worker, open_to_all

_READ_BROWSER_ZONE = "Intl.DateTimeFormat().resolvedOptions().timeZone"
# How long before a staff session's idle end the page warns ("Stay signed in").
IDLE_WARNING = timedelta(minutes=2)


class SessionState(rx.State):
    """Who is signed in, for the shell; and the access check for every handler."""

    signed_in: bool = False
    # Whether the signed-in person may see the page now open (set by ``guard_page``).
    page_allowed: bool = False
    viewer_name: str = ""
    viewer_role: str = ""
    practice_name: str = ""
    # Shown on public pages, and wherever a client is told to call.
    practice_phone: str = ""
    # The browser's IANA zone, reported by the page; times are shown in it.
    browser_zone: str = ""
    # When a staff session ends unless its person does something (epoch ms; 0: it does not).
    idle_deadline_ms: int = 0
    idle_minutes: int = 0
    idle_warning_open: bool = False
    # The last refusal was of a staff session that ended for want of activity.
    _ended_idle: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _refuse_setvar_on(cls)

    @rx.var
    def current_page(self) -> str:
        """The open page's route, without the trailing slash a static host may add."""
        return routes.normalize_path(self.router.url.path)

    def _now(self) -> datetime:
        return datetime.now(UTC)

    def _connection(self) -> str:
        """This page's connection: a reload (or a dropped connection coming back) gets a new one.

        A dialog remembers the connection it was opened in; a page opened or reloaded closes
        only dialogs from an earlier one, never one the person has just opened.
        """
        return self.router.session.session_id

    def _session_token(self) -> str | None:
        cookie_header = self.router.headers.cookie or ""
        try:
            morsel = SimpleCookie(cookie_header).get(routes.SESSION_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel else None

    def _browser_nonce(self) -> str | None:
        """This browser's binding secret (``http_security.BrowserBinding``), which sign-in codes are bound to.

        From the websocket's handshake headers, which the server fills in; the page's scripts
        can neither read nor set this cookie.
        """
        try:
            morsel = SimpleCookie(self.router.headers.cookie or "").get(routes.BROWSER_COOKIE)
        except CookieError:
            return None
        return morsel.value if morsel else None

    async def _signed_in_viewer(
        self, roles: frozenset[Role] = frozenset(), *, activity: bool = True
    ) -> Viewer | None:
        """The signed-in person if they may act in one of ``roles`` (any role when empty).

        Read from the database on every event (in a worker thread), so a revoked, expired or
        idle session is refused at once. None when nobody is signed in or the role does not
        fit; the access decorator then answers with ``_refusal()`` and changes nothing.

        ``activity``: the person did this (not a page's own refresh), so a staff session's
        idle time starts again.
        """
        now, token = self._now(), self._session_token()
        viewer = await in_worker(viewer_for_token, token=token, now=now)
        if viewer is None and token and self.signed_in:
            # Refused now, signed in before: say at sign-in if it was for want of activity.
            self._ended_idle = await in_worker(ended_idle, token=token, now=now)
        self._show_viewer(viewer)
        if viewer is None or (roles and viewer.role not in roles) or not viewer.is_complete:
            return None
        await self._note_activity(viewer, now, activity=activity)
        return viewer

    async def _note_activity(self, viewer: Viewer, now: datetime, *, activity: bool) -> None:
        # Only what changed goes back to the browser (most events change none of it).
        if viewer.idle_ends_at is None or viewer.idle_limit is None or viewer.session_id is None:
            self._assign_changed(idle_deadline_ms=0, idle_minutes=0)
            return
        ends_at = viewer.idle_ends_at
        if activity and ends_at - now < viewer.idle_limit - ACTIVITY_RESOLUTION:
            await in_worker(record_activity, writing=True, session_id=viewer.session_id, now=now)
            ends_at = now + viewer.idle_limit
        # The deadline moves at most every ACTIVITY_RESOLUTION: most answers send none of these.
        self._assign_changed(
            idle_minutes=int(viewer.idle_limit.total_seconds() // 60),
            idle_deadline_ms=int(ends_at.timestamp() * 1000),
        )
        if ends_at - now > IDLE_WARNING:
            self._assign_changed(idle_warning_open=False)

    def _show_viewer(self, viewer: Viewer | None) -> None:
        shown: dict[str, object] = {
            "signed_in": viewer is not None,
            "viewer_name": viewer.display_name if viewer else "",
            "viewer_role": viewer.role.value if viewer else "",
        }
        # Signed out, a public page names the practice itself (``_show_practice``); a refusal or
        # the browser's zone report must not blank the name it shows.
        if viewer is not None:
            shown["practice_name"] = viewer.practice_name
        self._assign_changed(**shown)

    def _assign_changed(self, **values: object) -> None:
        """Assign only the vars whose value differs.

        Reflex sends every var assigned during an event, equal or not: the viewer checked on
        every event would otherwise go to the browser with every answer.
        """
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _display_zone(self, viewer: Viewer) -> str:
        """The zone to show times in: the browser's, else the one last seen, else the practice's."""
        return self.browser_zone or viewer.time_zone or viewer.practice_zone

    def _refusal(self) -> rx.event.EventSpec:
        """Where to send someone whose event was refused: sign-in, or their own home page."""
        if not self.signed_in:
            idle, self._ended_idle = self._ended_idle, False
            self.idle_deadline_ms = 0
            self.idle_warning_open = False
            return rx.redirect(routes.login_url(self.current_page, idle=idle))
        return rx.redirect(routes.HOME_FOR_ROLE[Role(self.viewer_role)])

    async def _welcome(self) -> rx.event.EventSpec | None:
        """On a public page: send a signed-in person to their home page, else name the practice."""
        viewer = await self._signed_in_viewer()
        if viewer is not None:
            return rx.redirect(routes.HOME_FOR_ROLE[viewer.role])
        await self._show_practice()
        return None

    async def _show_practice(self) -> None:
        """Name the practice (and its phone) on a public page."""
        practice = await in_worker(the_practice)
        self.practice_name = practice.name if practice else "Client Portal"
        self.practice_phone = practice.phone if practice else ""

    def _bad_input(self) -> rx.event.EventSpec:
        """The answer to an event whose arguments are not what the page sends: change nothing."""
        return rx.toast.error(wording.BAD_INPUT, id="bad-input")

    @rx.event
    @open_to_all
    async def guard_page(self):
        """On every protected page load: turn away anyone who may not see this page."""
        allowed = routes.roles_for(self.current_page)
        # A page missing from PAGE_ROLES is closed to everyone rather than open to all.
        viewer = await self._signed_in_viewer(allowed) if allowed else None
        self.page_allowed = viewer is not None
        if viewer is None:
            return self._refusal()
        if not self.browser_zone:
            return ask_browser_zone()
        await self._remember_zone(viewer)
        return None

    @rx.event
    @open_to_all
    async def set_browser_zone(self, zone: Choice):
        """Remember the browser's zone for display and for the signed-in person's emails."""
        zone = valid_zone(zone)
        if zone is None:
            return
        self.browser_zone = zone
        viewer = await self._signed_in_viewer(activity=False)
        if viewer is not None:
            await self._remember_zone(viewer)

    async def _remember_zone(self, viewer: Viewer) -> None:
        if self.browser_zone and viewer.time_zone != self.browser_zone:
            await in_worker(remember_time_zone, writing=True, user_id=viewer.user_id, zone=self.browser_zone)

    @rx.event
    @open_to_all
    async def idle_warning_due(self):
        """The page's timer: the idle end is near. Warn, unless another tab's activity moved it on."""
        viewer = await self._signed_in_viewer(activity=False)
        if viewer is None:
            return self._refusal()
        # Another tab's activity moves the deadline on by at least ACTIVITY_RESOLUTION, and the
        # page's timer re-arms for the new one; a deadline that did not move is the one warned of.
        remaining_ms = self.idle_deadline_ms - self._now().timestamp() * 1000
        warn_within = (IDLE_WARNING + ACTIVITY_RESOLUTION).total_seconds() * 1000
        self.idle_warning_open = self.idle_deadline_ms > 0 and remaining_ms <= warn_within
        return None

    @rx.event
    @open_to_all
    async def idle_end_due(self):
        """The page's timer: the idle end has passed. The server decides whether it has."""
        if await self._signed_in_viewer(activity=False) is None:
            return self._refusal()
        return None

    @rx.event
    @open_to_all
    async def stay_signed_in(self):
        """ "Stay signed in": the person is here; the idle time starts again."""
        if await self._signed_in_viewer() is None:
            return self._refusal()
        self.idle_warning_open = False
        return None

    @rx.event
    @open_to_all
    async def sign_out(self):
        """End the session on the server at once, then clear the cookie."""
        await in_worker(revoke_session, writing=True, token=self._session_token(), now=self._now())
        self._show_viewer(None)
        self.page_allowed = False
        target = f"{rx.config.get_config().api_url.rstrip('/')}{routes.API_SIGN_OUT}"
        # The HttpOnly cookie can only be cleared by the server, which takes a POST (not a link).
        return rx.call_script(
            f"fetch({json.dumps(target)}, {{method: 'POST', credentials: 'include'}})"
            f".finally(() => window.location.assign({json.dumps(routes.LOGIN + '?signed_out=1')}))"
        )


@open_to_all
async def _refuse_setvar(self: SessionState, var_name: Choice, value: Choice) -> rx.event.EventSpec:
    """Setting a var by name is not an event any page sends."""
    return self._bad_input()


def _refuse_setvar_on(state_cls: type[SessionState]) -> None:
    # Reflex gives every state a ``setvar(name, value)`` handler that calls ``set_<name>``.
    # No page uses it, so a browser calling it is refused like any other bad event.
    handler = state_cls._create_event_handler(_refuse_setvar)
    state_cls.setvar = state_cls.event_handlers["setvar"] = handler


_refuse_setvar_on(SessionState)


def ask_browser_zone(answer_to=None) -> rx.event.EventSpec:
    """An event asking the browser for its IANA zone, answered to ``set_browser_zone`` (or ``answer_to``)."""
    return rx.call_script(_READ_BROWSER_ZONE, callback=answer_to or SessionState.set_browser_zone)


def complete_sign_in(grant_code: str, next_path: str) -> rx.event.EventSpec:
    """Send the browser to trade its one-time sign-in code for the session cookie, then on."""
    target = routes.sign_in_complete_url(rx.config.get_config().api_url, code=grant_code, next_path=next_path)
    return rx.call_script(f"window.location.assign({json.dumps(target)})")
